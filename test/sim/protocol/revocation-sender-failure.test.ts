import { describe, expect, it, vi } from 'vitest';
import { Simulation } from '../../../sim/engine/simulation.ts';
import { Signal } from '../../../sim/engine/signal.ts';
import type { ActorContext } from '../../../sim/context/actor-context.ts';
import type { AccessServerRevocationEndpoint } from '../../../sim/protocol/as-revocation-endpoint.ts';
import type { MissionRecord } from '../../../sim/protocol/mission-record.ts';
import type { Network } from '../../../sim/protocol/network.ts';
import { resolveProfile } from '../../../sim/protocol/profiles.ts';
import { RevocationSender } from '../../../sim/protocol/revocation-sender.ts';
import { compileTokens } from '../../../sim/scenario/compile.ts';
import { WorldContext } from '../../../sim/world/context.ts';
import { RecordingSink } from '../world/recording-sink.ts';
import { tokenFor } from './fakes.ts';

/** The request helper fails with whatever `failure` holds (a defect elsewhere, not a missing answer). */
const failure = vi.hoisted(() => ({ cause: new TypeError('a defect in the request path') as unknown }));
vi.mock('../../../sim/protocol/retrying-request.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../sim/protocol/retrying-request.ts')>();
  return {
    ...real,
    retryingRequest: (ctx: ActorContext) => {
      const signal = new Signal<never>(ctx.sim);
      signal.fail(failure.cause);
      return signal;
    },
  };
});

describe("RevocationSender: an AS notice's failure", () => {
  function notify() {
    const sim = new Simulation();
    const audit = new RecordingSink();
    const ctx = new WorldContext(sim, 1, audit);
    const as: AccessServerRevocationEndpoint = {
      actor: 'as:law',
      id: 'law',
      revokeIssued: () => undefined,
    };
    const network = { retry: { timeout: 1, retries: 0 }, link: () => undefined } as unknown as Network;
    const profile = resolveProfile('aauth-latest', compileTokens(undefined));
    const sender = new RevocationSender(ctx, 'ps:home', profile, new Map(), () => 0.99, new Map([['as:law', as]]), undefined, network);
    sender.revokeMission({ s256: 'm', agent: 'a' } as MissionRecord, [tokenFor('t1', 'resource:docs', { iss: 'as:law' })], false);
    return { sim, audit };
  }

  it('is not taken for a missing answer: a defect surfaces out of the run instead of being logged as revocation_unavailable', () => {
    failure.cause = new TypeError('a defect in the request path');
    const { sim, audit } = notify();
    expect(() => sim.run()).toThrow('a defect in the request path');
    expect(audit.ofType('revocation.unavailable')).toEqual([]);
  });

  it('no answer at all (NoAnswer) is still revocation_unavailable, given up', async () => {
    const { NoAnswer } = await import('../../../sim/protocol/retrying-request.ts');
    failure.cause = new NoAnswer('as:law', 4);
    const { sim, audit } = notify();
    sim.run();
    expect(audit.ofType('revocation.unavailable').map((e) => e.fields)).toEqual([
      { jti: 't1', to: 'law', attempt: 0, error: 'revocation_unavailable', exposed_until: 3_600_000_000, retry: false },
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { parseDistribution } from '../../../sim/engine/distribution.ts';
import { Simulation } from '../../../sim/engine/simulation.ts';
import type { ChainTarget } from '../../../sim/protocol/chained-caller.ts';
import { RevocationCascade } from '../../../sim/protocol/revocation-cascade.ts';
import { UNSUPPORTED, type RevocationAnswer, type RevocationCall } from '../../../sim/protocol/revocation-target.ts';
import type { Token } from '../../../sim/protocol/tokens.ts';
import { WorldContext } from '../../../sim/world/context.ts';
import { tokenFor } from './fakes.ts';
import { RecordingSink } from '../world/recording-sink.ts';

const MS = 1_000;
const LATENCY = parseDistribution('const(1ms)', 'duration');

describe('RevocationCascade', () => {
  function chain(modes: { db: string }, latest = false) {
    const sim = new Simulation();
    const audit = new RecordingSink();
    const ctx = new WorldContext(sim, 1, audit);
    const revoked: string[] = [];
    const node = (id: string, mode: string) => {
      const n = {
        id,
        actor: `resource:${id}`,
        revocation: { mode, latency: LATENCY },
        receiveRevocation: (token: Token, via: string, recallAll?: boolean) =>
          revoked.push(`${sim.now} ${id} ${token.jti} ${via}${recallAll ? ' recall' : ''}`),
        // As a resource answers (resource.ts): no endpoint, 403; else it revokes and cascades.
        answerRevocation: (call: RevocationCall): RevocationAnswer =>
          mode === 'push' ? { status: n.cascade.revoke(call.token, call.recallAll, call.onCascadeDone), retryAfter: 0 } : UNSUPPORTED,
      } as unknown as ChainTarget;
      (n as { cascade: RevocationCascade }).cascade = new RevocationCascade(ctx, n, latest);
      return n;
    };
    const front = node('front', 'push');
    const db = node('db', modes.db);
    const disk = node('disk', 'push');
    front.cascade.noteDownstream('up', db, tokenFor('d1', 'resource:db'));
    db.cascade.noteDownstream('d1', disk, tokenFor('k1', 'resource:disk'));
    return { sim, audit, front, revoked };
  }

  it('answers 200 at once when nothing was obtained downstream', () => {
    const { front, revoked } = chain({ db: 'push' });
    expect(front.cascade.revoke(tokenFor('other', 'resource:front'), false)).toBe(200);
    expect(front.cascade.status('other')).toBe(200);
    expect(revoked).toEqual(['0 front other push']);
  });

  it('cascades two hops down and reports done back up, one latency each way per hop', () => {
    const { sim, audit, front, revoked } = chain({ db: 'push' });
    let finished = -1;
    expect(
      front.cascade.revoke(tokenFor('up', 'resource:front'), true, () => {
        finished = sim.now;
      }),
    ).toBe(202);
    sim.run();
    expect(revoked).toEqual(['0 front up push recall', `${1 * MS} db d1 push recall`, `${2 * MS} disk k1 push recall`]);
    expect(audit.events.map((event) => `${event.t} ${event.type} ${event.actor} ${JSON.stringify(event.fields)}`)).toEqual([
      '0 revocation.cascaded resource:front {"jti":"up","to":"db","downstream_jti":"d1"}',
      `${1 * MS} revocation.cascaded resource:db {"jti":"d1","to":"disk","downstream_jti":"k1"}`,
      `${3 * MS} revocation.cascade_done resource:db {"jti":"d1","downstream":1}`,
      `${4 * MS} revocation.cascade_done resource:front {"jti":"up","downstream":1}`,
    ]);
    expect(finished).toBe(4 * MS);
    expect(front.cascade.status('up')).toBe(200);
  });

  it('counts a downstream resource without a revocation endpoint as done at once', () => {
    const { front, revoked } = chain({ db: 'introspect' });
    expect(front.cascade.revoke(tokenFor('up', 'resource:front'), false)).toBe(200);
    expect(revoked).toEqual(['0 front up push']);
  });

  it('aauth-latest: calls a downstream resource without a revocation endpoint and logs its revocation_unsupported when the answer is back (a round trip), then is done', () => {
    const { sim, audit, front } = chain({ db: 'none' }, true);
    let finished = -1;
    expect(
      front.cascade.revoke(tokenFor('up', 'resource:front'), false, () => {
        finished = sim.now;
      }),
    ).toBe(202);
    sim.run();
    expect(audit.events.map((event) => `${event.t} ${event.type} ${JSON.stringify(event.fields)}`)).toEqual([
      '0 revocation.cascaded {"jti":"up","to":"db","downstream_jti":"d1"}',
      `${2 * MS} revocation.unsupported {"jti":"up","to":"db","downstream_jti":"d1","error":"revocation_unsupported","exposed_until":3600000000}`,
      `${2 * MS} revocation.cascade_done {"jti":"up","downstream":1}`,
    ]);
    expect(finished).toBe(2 * MS);
  });
});

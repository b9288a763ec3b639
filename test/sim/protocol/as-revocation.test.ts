import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../sim/engine/simulation.ts';
import { AccessServerRevocation } from '../../../sim/protocol/as-revocation.ts';
import type { DownstreamEntry } from '../../../sim/protocol/as-revocation-endpoint.ts';
import { resolveProfile } from '../../../sim/protocol/profiles.ts';
import type { RevocationTarget } from '../../../sim/protocol/revocation-target.ts';
import { compileTokens } from '../../../sim/scenario/compile.ts';
import { WorldContext } from '../../../sim/world/context.ts';
import { RecordingSink } from '../world/recording-sink.ts';
import { FakeRevocationTarget, tokenFor } from './fakes.ts';

describe('AccessServerRevocation (aauth-latest, four-party)', () => {
  it('a duplicate notice for a token whose revocation is under way starts no second revocation, and both notices are answered', () => {
    const sim = new Simulation();
    const audit = new RecordingSink();
    const ctx = new WorldContext(sim, 1, audit);
    const docs = new FakeRevocationTarget(sim, 'docs', { mode: 'push' });
    const resources = new Map<string, RevocationTarget>([['resource:docs', docs]]);
    const as = new AccessServerRevocation(ctx, 'as:law', resolveProfile('aauth-latest', compileTokens(undefined)), resources);
    const token = tokenFor('t1', 'resource:docs', { iss: 'as:law' });
    const answers: Array<[number, string, DownstreamEntry[]]> = [];
    as.revoke(token, (downstream) => answers.push([sim.now, 'first', downstream]));
    sim.schedule(1_000, () => as.revoke(token, (downstream) => answers.push([sim.now, 'again', downstream])));
    sim.run();
    expect(audit.ofType('revocation.sent').map((e) => e.fields?.jti)).toEqual(['t1']);
    expect(docs.calls).toHaveLength(1);
    expect(answers.map(([, who]) => who)).toEqual(['first', 'again']);
    expect(answers[0]![0]).toBe(answers[1]![0]);
    expect(answers[1]![2]).toEqual(answers[0]![2]);
    expect(answers[0]![2]).toMatchObject([{ to: 'docs', jti: 't1', outcome: 'sent' }]);
  });
});

import { describe, expect, it } from 'vitest';
import { operationIndex, opFacts } from '../../../sim/authority/renderings.ts';
import { Simulation } from '../../../sim/engine/simulation.ts';
import { AuthorityDesk, DEFAULT_DEPTH_CAP } from '../../../sim/protocol/authority-desk.ts';
import { proposedMission } from '../../../sim/scenario/compile.ts';
import type { PersonServerDef } from '../../../sim/scenario/schema.ts';
import { WorldContext } from '../../../sim/world/context.ts';
import { RecordingSink } from '../world/recording-sink.ts';

const OPS = operationIndex([
  {
    id: 'shop',
    queue: { servers: 1, service: '1ms' },
    operations: [
      { name: 'buy', class: 'goods', action: 'transfer' },
      { name: 'look', class: 'goods', action: 'read' },
    ],
  },
]);
const op = (operation: string, depth = 0) => opFacts(OPS, 'shop', operation, undefined, undefined, depth);

function desk(def: Partial<PersonServerDef> = {}) {
  const audit = new RecordingSink();
  const ctx = new WorldContext(new Simulation(), 1, audit);
  return { audit, desk: new AuthorityDesk(ctx, 'ps:home', { id: 'home', ...def } as PersonServerDef, undefined, OPS) };
}

const mission = (scope?: string[]) => proposedMission({ description: 'Buy.', ...(scope ? { scope } : {}) } as Parameters<typeof proposedMission>[0]);

describe('AuthorityDesk', () => {
  it('defaults to the scopes model, at-mint narrowing and a depth cap of 5', () => {
    const { desk: d } = desk();
    expect([d.model.name, d.narrowing, d.depthCap]).toEqual(['scopes', 'at-mint', DEFAULT_DEPTH_CAP]);
    expect(DEFAULT_DEPTH_CAP).toBe(5);
  });

  it('refuses to open a mission with neither a scope nor a written text: it never reads the intent', () => {
    const { desk: d } = desk();
    expect(() => d.openMission('a', mission())).toThrow(/the mission of a has neither a scope nor a written text/);
  });

  it('opens a root hop and judges calls against the approved scope (scopes model)', () => {
    const { desk: d } = desk();
    const authority = d.openMission('a', mission(['shop/look']));
    const root = d.hop('a')!;
    expect([root.depth, root.root]).toEqual([0, 'a']);
    expect(d.authorize(authority, root, op('look'))).toEqual({ allow: true, reason: 'in mission scope' });
    expect(d.authorize(authority, root, op('buy'))).toEqual({ allow: false, reason: 'outside mission scope' });
    const outside = d.logShowsOutside('a', authority);
    expect([outside(op('look')), outside(op('buy'))]).toEqual([false, true]);
    expect(d.policyOf('a')).toBeUndefined(); // only the envelope model compiles a policy
  });

  it('mints hops below the root, logging each, and refuses beyond the depth cap with its reason', () => {
    const { audit, desk: d } = desk({ max_depth: 2 });
    d.openMission('a', mission(['shop/look']));
    expect(d.mint('m', 'a', 'b', 'look around', undefined)).toBeNull();
    expect(d.mint('m', 'b', 'c', 'look closer', undefined)).toBeNull();
    expect(d.mint('m', 'c', 'd', 'and closer', undefined)).toBe('delegation depth 3 exceeds the deployment cap 2');
    expect(d.hop('c')?.depth).toBe(2);
    expect(d.hop('d')).toBeUndefined();
    expect(d.descendants('a')).toEqual(['b', 'c']);
    expect(audit.events.map((event) => [event.type, event.fields?.child, event.fields?.depth])).toEqual([
      ['delegation.requested', 'b', 1],
      ['delegation.granted', 'b', 1],
      ['delegation.requested', 'c', 2],
      ['delegation.granted', 'c', 2],
      ['delegation.requested', 'd', 3],
      ['delegation.rejected', 'd', 3],
    ]);
    expect(audit.ofType('delegation.requested')[0]?.fields).toEqual({ parent: 'a', child: 'b', depth: 1, task: 'look around' });
  });

  it('provenance-only narrowing mints without checking, and says so', () => {
    const { audit, desk: d } = desk({ narrowing: 'provenance' });
    d.openMission('a', mission(['shop/look']));
    d.mint('m', 'a', 'b', 'help', undefined);
    expect(audit.ofType('delegation.granted')[0]?.fields?.reason).toBe('provenance only: delegation recorded, not checked');
  });

  it("the envelope model compiles the policy it enforces from the approved scope (derived), and logs each hop's grant", () => {
    const { audit, desk: d } = desk({ authority: 'envelope' });
    const authority = d.openMission('a', mission(['shop/look']));
    expect(d.policyOf('a')?.source).toBe('derived');
    const root = d.hop('a')!;
    expect(d.authorize(authority, root, op('look')).allow).toBe(true);
    expect(d.authorize(authority, root, op('buy')).allow).toBe(false);
    expect(d.enforcedEnvelope(authority, root)).toBe(root.grant);
    d.mint('m', 'a', 'b', 'help', undefined);
    expect(audit.ofType('delegation.granted')[0]?.fields).toHaveProperty('grant');
  });
});

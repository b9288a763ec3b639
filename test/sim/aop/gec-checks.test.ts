import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSpawn, type CommittedSacr, type SpawnRequest } from '../../../sim/aop/gec-checks.ts';
import { MissionPlan } from '../../../sim/aop/plan.ts';
import type { SubGoalDef } from '../../../sim/scenario/orchestration-schema.ts';
import { inScope } from '../../../sim/aop/scope.ts';

const goal = (id: string, parent?: string): SubGoalDef => ({ id, parent, agent: `agent-${id}`, sacr: { scope: [] }, eod: { outcome: id, fields: [] } });
const plan = new MissionPlan('p', [goal('district1'), goal('routing', 'district1')]);
const master: CommittedSacr = {
  sub_goal_id: null,
  scope: ['D1.*', 'D2.*'],
  can_decompose: true,
  max_spawn_depth: 2,
  hub_only: true,
  replan_authority: 'BOUNDED',
};
const local: CommittedSacr = { sub_goal_id: 'district1', scope: ['D1.*'], can_decompose: true, max_spawn_depth: 1, hub_only: true, replan_authority: 'NONE' };
const leaf: CommittedSacr = {
  sub_goal_id: 'routing',
  scope: ['D1.routing'],
  can_decompose: false,
  max_spawn_depth: 0,
  hub_only: true,
  replan_authority: 'NONE',
};
const request = (extra: Partial<SpawnRequest>): SpawnRequest => ({
  requester: 'master',
  sub_goal_id: 'district1',
  agent: 'local',
  scope: ['D1.*'],
  can_decompose: true,
  max_spawn_depth: 1,
  hub_only: true,
  replan_authority: 'NONE',
  eod_fields: ['D1.routing'],
  ...extra,
});

describe('GEC spawn checks (seed 003 sections 5.4 and 15)', () => {
  it('accepts a narrower scope for a node the requester decomposes', () => {
    expect(checkSpawn(master, request({}), plan)).toEqual({ ok: true });
    expect(
      checkSpawn(local, request({ requester: 'local', sub_goal_id: 'routing', scope: ['D1.routing'], max_spawn_depth: 0, eod_fields: ['D1.routing'] }), plan),
    ).toEqual({ ok: true });
  });

  it('SCOPE_NARROWING_VIOLATION: a wider scope, or an equal one (the subset must be strict)', () => {
    const wider = checkSpawn(local, request({ requester: 'local', sub_goal_id: 'routing', scope: ['D1.routing', 'D2.routing'], max_spawn_depth: 0 }), plan);
    expect(wider).toMatchObject({ ok: false, error: 'SCOPE_NARROWING_VIOLATION', detail: 'outside the parent scope: D2.routing' });
    const equal = checkSpawn(local, request({ requester: 'local', sub_goal_id: 'routing', scope: ['D1.*'], max_spawn_depth: 0 }), plan);
    expect(equal).toMatchObject({ ok: false, error: 'SCOPE_NARROWING_VIOLATION', detail: 'not narrower than the parent scope' });
  });

  it('SPAWN_DEPTH_EXCEEDED: from a leaf (even presenting a forged SACR), or asking for as deep as the parent', () => {
    const fromLeaf = checkSpawn(leaf, request({ requester: 'leaf', sub_goal_id: 'routing', scope: ['D1.routing'], max_spawn_depth: 0, forged: true }), plan);
    expect(fromLeaf).toMatchObject({ ok: false, error: 'SPAWN_DEPTH_EXCEEDED' });
    expect(fromLeaf.ok ? '' : fromLeaf.detail).toContain('fails its signature');
    expect(checkSpawn(master, request({ max_spawn_depth: 2 }), plan)).toMatchObject({
      ok: false,
      error: 'SPAWN_DEPTH_EXCEEDED',
      detail: 'requested max_spawn_depth 2 > 1',
    });
  });

  it('SUB_GOAL_NOT_IN_PLAN: a node outside the committed plan, or one the requester does not decompose', () => {
    expect(checkSpawn(master, request({ sub_goal_id: 'census-export' }), plan)).toMatchObject({ ok: false, error: 'SUB_GOAL_NOT_IN_PLAN' });
    expect(checkSpawn(master, request({ sub_goal_id: 'routing', scope: ['D1.routing'], max_spawn_depth: 0 }), plan)).toMatchObject({
      ok: false,
      error: 'SUB_GOAL_NOT_IN_PLAN',
      detail: 'routing is not decomposed from the mission',
    });
  });

  it('EOD_SCOPE_VIOLATION: the EOD references a field outside the SACR scope', () => {
    expect(checkSpawn(master, request({ eod_fields: ['D1.routing', 'CENSUS.residents'] }), plan)).toMatchObject({
      ok: false,
      error: 'EOD_SCOPE_VIOLATION',
      detail: 'EOD references fields outside the SACR scope: CENSUS.residents',
    });
  });

  it('MANDATE_LIMIT_EXCEEDED, and SACR_NOT_FOUND for an agent never spawned', () => {
    expect(checkSpawn(master, request({ amount_jpy: 6_000_000, limit_jpy: 5_000_000 }), plan)).toMatchObject({ ok: false, error: 'MANDATE_LIMIT_EXCEEDED' });
    expect(checkSpawn(undefined, request({}), plan)).toMatchObject({ ok: false, error: 'SACR_NOT_FOUND' });
  });
});

// Property tests: whatever a (possibly compromised) hierarchy asks for, what the GEC accepts stays inside the root.
const TYPES = ['A', 'B', 'C'];
const FIELDS = TYPES.flatMap((t) => ['x', 'y', 'z'].map((f) => `${t}.${f}`));
const entry = fc.oneof(fc.constantFrom(...FIELDS), fc.constantFrom(...TYPES.map((t) => `${t}.*`)));
// Requests are hostile (any scope, any EOD fields) or plausible (the parent's scope narrowed, EOD
// fields picked inside it), and parents are usually the previous request, so that chains several
// tiers deep get built and then probed.
const spawnArbitrary = fc.record({
  parent: fc.constantFrom('previous', 'previous', 'previous', 'any', 'mission'),
  pick: fc.nat(),
  narrowed: fc.boolean(),
  scope: fc.array(entry, { minLength: 1, maxLength: 2 }),
  eodFields: fc.array(fc.constantFrom(...FIELDS), { maxLength: 2 }),
  depth: fc.integer({ min: 0, max: 4 }),
  decompose: fc.oneof(fc.constant(true), fc.constant(true), fc.constant(false)),
});
const rootScopeArbitrary = fc.oneof(fc.constant(TYPES.map((t) => `${t}.*`)), fc.array(entry, { minLength: 2, maxLength: 5 }));

/** A plausible narrowing: one entry of several, or a lone wildcard replaced by one of its fields. */
function narrow(parent: readonly string[], pick: number): string[] {
  const chosen = parent[pick % parent.length] ?? 'A.x';
  if (parent.length > 1 || !chosen.endsWith('.*')) return [chosen];
  return [`${chosen.slice(0, -1)}${'xyz'[pick % 3]}`];
}

describe('GEC invariants (property tests)', () => {
  it("no accepted scope escapes its parent's or the root's, and no tier lies deeper than the root bound", () => {
    const acceptedAtTier = [0, 0, 0, 0, 0];
    fc.assert(
      fc.property(
        rootScopeArbitrary,
        fc.integer({ min: 0, max: 4 }),
        fc.array(spawnArbitrary, { minLength: 1, maxLength: 12 }),
        (rootScope, rootDepth, spawns) => {
          // Sub-goal i decomposes an earlier one (or the mission), as generated.
          const parents = spawns.map((s, i) => {
            if (i === 0 || s.parent === 'mission') return undefined;
            return s.parent === 'previous' ? `g${i - 1}` : `g${s.pick % i}`;
          });
          const testPlan = new MissionPlan(
            'p',
            spawns.map((_, i) => goal(`g${i}`, parents[i])),
          );
          const root: CommittedSacr = {
            sub_goal_id: null,
            scope: rootScope,
            can_decompose: true,
            max_spawn_depth: rootDepth,
            hub_only: true,
            replan_authority: 'BOUNDED',
          };
          const committed = new Map<string | null, { sacr: CommittedSacr; tier: number }>([[null, { sacr: root, tier: 0 }]]);
          spawns.forEach((s, i) => {
            const parentId = parents[i] ?? null;
            const parent = committed.get(parentId);
            const scope = s.narrowed && parent ? narrow(parent.sacr.scope, s.pick) : s.scope;
            const eodFields = s.narrowed ? FIELDS.filter((f) => inScope(scope, f)).slice(0, 1) : s.eodFields;
            const req: SpawnRequest = {
              requester: String(parentId),
              sub_goal_id: `g${i}`,
              agent: `a${i}`,
              scope,
              can_decompose: s.narrowed || s.decompose,
              max_spawn_depth: s.narrowed && parent ? Math.max(0, parent.sacr.max_spawn_depth - 1) : s.depth,
              hub_only: true,
              replan_authority: 'NONE',
              eod_fields: eodFields,
            };
            const verdict = checkSpawn(parent?.sacr, req, testPlan);
            if (!verdict.ok || !parent) return;
            const tier = parent.tier + 1;
            expect(tier).toBeLessThanOrEqual(rootDepth);
            expect(req.max_spawn_depth).toBeLessThan(parent.sacr.max_spawn_depth);
            for (const field of FIELDS) {
              if (inScope(scope, field)) {
                expect(inScope(parent.sacr.scope, field)).toBe(true);
                expect(inScope(rootScope, field)).toBe(true);
              }
            }
            for (const field of eodFields) expect(inScope(scope, field)).toBe(true);
            committed.set(`g${i}`, { sacr: { ...req, sub_goal_id: `g${i}` }, tier });
            acceptedAtTier[Math.min(tier, 4)]!++;
          });
        },
      ),
      { numRuns: 500 },
    );
    // The property is not vacuous: spawns were accepted at the first and deeper tiers.
    expect(acceptedAtTier[1]).toBeGreaterThan(20);
    expect(acceptedAtTier[2]).toBeGreaterThan(5);
  });
});

import fc from 'fast-check';
import { setFlagsFromString } from 'node:v8';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileEnvelope } from '../../../sim/authority/cedar.ts';
import { inside, type Envelope, type OpFacts } from '../../../sim/authority/envelope.ts';
import { envelopeFromDef } from '../../../sim/authority/renderings.ts';
import { isSubset } from '../../../sim/authority/subset.ts';
import { runScenario } from '../../../sim/run.ts';
import { loadScenario } from '../../../sim/scenario/load.ts';
import type { IntentDef } from '../../../sim/scenario/schema.ts';
import { readLines, tempDir, writeScenario } from '../../helpers.ts';

// Node 20's V8 (11.3) crashes this file's process now and then ("Fatal error ... unreachable code" in
// Deoptimizer::DoComputeBuiltinContinuation, lazily deoptimizing isSubset; 1 run in 6 on 2026-12-05's first
// commit, up to 5 in 6 later, whatever the JavaScript around it: reworded loops and object shapes did not help).
// Without the optimizing compiler it never did (0 in 6); this process runs only this file.
setFlagsFromString('--no-opt');

// A small world: three classes, two resources each, two actions, a few amounts and stages.
const CLASSES = ['a', 'b', 'c'] as const;
const ACTIONS = ['read', 'write'] as const;
const RESOURCES = CLASSES.flatMap((c) => [`${c}.one`, `${c}.two`]);
const BOUNDS = [10, 100, 1000];
const STAGES = ['plan', 'run'];

const grantArb = fc.record({
  class: fc.constantFrom(...CLASSES),
  actions: fc.subarray([...ACTIONS], { minLength: 1 }),
  resourcePick: fc.option(fc.subarray([0, 1], { minLength: 1 }), { nil: undefined }),
  stages: fc.option(fc.subarray(STAGES, { minLength: 1 }), { nil: undefined }),
  bound: fc.option(fc.constantFrom(...BOUNDS), { nil: undefined }),
});

const intentArb: fc.Arbitrary<IntentDef> = fc
  .record({
    grants: fc.array(grantArb, { minLength: 1, maxLength: 3 }),
    exclusions: fc.array(
      fc.record({ class: fc.constantFrom(...CLASSES), actions: fc.option(fc.subarray([...ACTIONS], { minLength: 1 }), { nil: undefined }) }),
      { maxLength: 1 },
    ),
    max_depth: fc.integer({ min: 0, max: 4 }),
  })
  .map((raw) => ({
    grants: raw.grants.map((g) => ({
      class: g.class,
      actions: g.actions,
      ...(g.resourcePick ? { resources: g.resourcePick.map((i) => `${g.class}.${i === 0 ? 'one' : 'two'}`) } : {}),
      ...(g.stages ? { stages: g.stages } : {}),
      ...(g.bound !== undefined ? { constraints: [`amount <= ${g.bound}`] } : {}),
    })),
    exclusions: raw.exclusions.map((e) => ({ class: e.class, ...(e.actions ? { actions: e.actions } : {}) })),
    max_depth: raw.max_depth,
  }));

/** Every point of the small world, including a resource and stage no grant lists and an amount beyond every bound. */
function universe(depths: number): OpFacts[] {
  const points: OpFacts[] = [];
  for (const cls of CLASSES)
    for (const action of ACTIONS)
      for (const resource of [`${cls}.one`, `${cls}.two`, `${cls}.other`]) {
        for (const stage of [...STAGES, 'other'])
          for (const amount of [undefined, 10, 11, 100, 101, 1000, 1001, 10 ** 9])
            for (let depth = 0; depth <= depths; depth++) {
              points.push({ resource, operation: action, class: cls, action, args: amount === undefined ? {} : { amount }, stage, depth });
            }
      }
  return points;
}
const POINTS = universe(5);

describe('child grant subset check (Cedar) against the oracle on every point of a small world', () => {
  it('says subset exactly when every point the child permits, the parent permits', () => {
    fc.assert(
      fc.property(intentArb, intentArb, (parentDef, childDef) => {
        const parent = envelopeFromDef(parentDef);
        const child = envelopeFromDef(childDef);
        const answer = isSubset(child, compileEnvelope(child), parent, compileEnvelope(parent));
        const escaping = POINTS.find((p) => p.depth <= child.maxDepth && inside(child, p) && !inside(parent, p));
        const deeper = child.maxDepth > parent.maxDepth;
        expect(answer.subset).toBe(escaping === undefined && !deeper);
      }),
      { numRuns: 150, seed: 4242 },
    );
  });
});

/** A chain: a root agent with an intent (also its approved envelope), then sub-agents each delegating to the next, each calling random operations. */
function chainScenario(narrowing: string, root: IntentDef, hops: Array<{ grant: IntentDef; calls: Array<[number, number, number]> }>): string {
  const op = ([r, a, amount]: [number, number, number]) => ({ op: `${RESOURCES[r]}/${ACTIONS[a]}`, args: { amount } });
  const resources = RESOURCES.map((id) => ({
    id,
    queue: { servers: 2, service: 'exp(100ms)' },
    operations: ACTIONS.map((action) => ({ name: action, class: id.split('.')[0], action })),
  }));
  // Calls that fit the hop's own grant (so hops do act), then the generated ones (which may not).
  const fitting = (grant: IntentDef) =>
    grant.grants.map((g) => ({
      op: `${g.resources?.[0] ?? `${g.class}.one`}/${g.actions[0]}`,
      args: { amount: 5 },
      ...(g.stages ? { stage: g.stages[0] } : {}),
    }));
  const plan = (grant: IntentDef, calls: Array<[number, number, number]>, start: number) =>
    [...fitting(grant), ...calls.map(op)].map((step, i) => ({ ...step, at: `${start + i + 1}m` }));
  const agents = [
    {
      id: 'hop0',
      person: 'p',
      ps: 'ps',
      start: '0s',
      // The person approved what they meant, and compilation is exact (the default): the PS enforces the root intent.
      mission: { description: 'generated', scope: RESOURCES.flatMap((r) => ACTIONS.map((a) => `${r}/${a}`)), intent: root, approved: root },
      plan: plan(root, [], 0),
    },
    ...hops.map((hop, i) => ({
      id: `hop${i + 1}`,
      person: 'p',
      ps: 'ps',
      parent: `hop${i}`,
      task: 'generated',
      grant: hop.grant,
      start: `${(i + 1) * 10}m`,
      plan: plan(hop.grant, hop.calls, (i + 1) * 10),
    })),
  ];
  return JSON.stringify({
    name: 'generated-chain',
    description: 'property test',
    duration: '2h',
    seed: 1,
    topology: { person_servers: [{ id: 'ps', approval: 'immediate', authority: 'envelope', narrowing, max_depth: 5 }], resources },
    people: [{ id: 'p' }],
    agents,
  });
}

const callArb = fc.tuple(fc.integer({ min: 0, max: RESOURCES.length - 1 }), fc.integer({ min: 0, max: 1 }), fc.constantFrom(5, 50, 500, 5000));
// Delegation bounds deep enough for the chain to be worth walking; the grants themselves are free.
const chainArb = fc
  .record({
    root: intentArb.map((root) => ({ ...root, max_depth: Math.max(root.max_depth ?? 0, 3) })),
    hops: fc.array(fc.record({ grant: intentArb, calls: fc.array(callArb, { maxLength: 3 }) }), { minLength: 1, maxLength: 3 }),
  })
  .map(({ root, hops }) => ({ root, hops: hops.map((hop, i) => ({ ...hop, grant: { ...hop.grant, max_depth: Math.max(hop.grant.max_depth ?? 0, i + 1) } })) }));

function runChain(
  narrowing: string,
  chain: { root: IntentDef; hops: Array<{ grant: IntentDef; calls: Array<[number, number, number]> }> },
): Array<Record<string, unknown>> {
  const dir = join(tempDir(), 'run');
  runScenario(loadScenario(writeScenario(chainScenario(narrowing, chain.root, chain.hops))), { outDir: dir });
  return readLines(join(dir, 'truth.jsonl')).map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('under envelope, any generated delegation chain stays inside the root envelope', () => {
  // The same chains, not contained: the property is not vacuous (sub-agents do act, and can escape).
  it('provenance only: the generator does find chains whose hops execute outside the root intent', () => {
    const samples = fc.sample(chainArb, { numRuns: 30, seed: 99 });
    const truth = samples.flatMap((chain) => runChain('provenance', chain));
    const deepOps = truth.filter((r) => r.kind === 'op' && (r.depth as number) > 0);
    expect(deepOps.length).toBeGreaterThan(10);
    expect(deepOps.some((r) => r.intended === false)).toBe(true);
    const mintedAtMint = samples.flatMap((chain) => runChain('at-mint', chain)).filter((r) => r.kind === 'delegation' && r.allow === true);
    expect(mintedAtMint.length).toBeGreaterThan(0);
  });

  for (const narrowing of ['at-mint', 'at-evaluation']) {
    it(`${narrowing}: no executed operation lies outside the root intent${narrowing === 'at-mint' ? ', and every minted child grant is a subset of its parent' : ''}`, () => {
      fc.assert(
        fc.property(chainArb, ({ root, hops }) => {
          const truth = runChain(narrowing, { root, hops });
          for (const record of truth.filter((r) => r.kind === 'op')) expect(record).toMatchObject({ intended: true });
          if (narrowing !== 'at-mint') return;
          const grants = new Map<string, Envelope>([['hop0', envelopeFromDef(root)]]);
          hops.forEach((hop, i) => grants.set(`hop${i + 1}`, envelopeFromDef(hop.grant)));
          for (const minted of truth.filter((r) => r.kind === 'delegation' && r.allow === true)) {
            const child = grants.get(minted.child as string)!;
            const parent = grants.get(minted.parent as string)!;
            expect(POINTS.some((p) => p.depth <= child.maxDepth && inside(child, p) && !inside(parent, p))).toBe(false);
          }
        }),
        { numRuns: 30, seed: 99 },
      );
    });
  }
});

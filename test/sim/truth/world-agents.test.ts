import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { outsideReason } from '../../../sim/authority/envelope.ts';
import { MetricsTally } from '../../../sim/truth/metrics.ts';
import { MissionOutcomes } from '../../../sim/truth/mission-outcomes.ts';
import { Oracle, type OracleTypes, type TrueIntent } from '../../../sim/truth/oracle.ts';
import type { TruthRecord } from '../../../sim/truth/records.ts';
import { type WorldAgent, WorldAgents } from '../../../sim/truth/world-agents.ts';
import { pay, paymentsUpTo } from './payments.ts';

const AGENTS = ['a', 'b', 'c', 'd'];

/** What the world does to the oracle and the outcome tally, in any order. */
type Step =
  | { kind: 'mission'; agent: string; mission: string | null }
  | { kind: 'hop'; agent: string; root: string; depth: number }
  | { kind: 'approved'; agent: string; mission: string | null }
  | { kind: 'terminated'; agent: string; t: number }
  | { kind: 'executed'; agent: string; t: number; amount: number; depth: number; irreversible: boolean }
  | { kind: 'decision'; agent: string; amount: number; allow: boolean; request: string };

const agent = fc.constantFrom(...AGENTS, 'stranger');
const mission = fc.option(fc.constantFrom('m-1', 'm-2'), { nil: null });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('mission' as const), agent, mission }),
  fc.record({ kind: fc.constant('hop' as const), agent, root: agent, depth: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('approved' as const), agent, mission }),
  fc.record({ kind: fc.constant('terminated' as const), agent, t: fc.integer({ min: 0, max: 100 }) }),
  fc.record({
    kind: fc.constant('executed' as const),
    agent,
    t: fc.integer({ min: 0, max: 100 }),
    amount: fc.integer({ min: 0, max: 200 }),
    depth: fc.integer({ min: 0, max: 3 }),
    irreversible: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('decision' as const),
    agent,
    amount: fc.integer({ min: 0, max: 200 }),
    allow: fc.boolean(),
    request: fc.constantFrom('r1', 'r2', 'r3'),
  }),
);

/** Runs the steps against an oracle and an outcome tally; `shared` gives both one registry, as the world does. */
function run(steps: Step[], intents: ReadonlyMap<string, TrueIntent>, shared: boolean) {
  const records: TruthRecord[] = [];
  const metrics = new MetricsTally({ write: (record) => records.push(record) });
  const agents = new WorldAgents<OracleTypes>();
  const oracle = shared ? new Oracle(intents, agents) : new Oracle(intents);
  const outcomes = shared ? new MissionOutcomes(agents) : new MissionOutcomes();
  const verdicts: unknown[] = [];
  for (const s of steps) {
    if (s.kind === 'mission') oracle.mission(s.agent, s.mission, (op) => (op.args.amount as number) > 150);
    else if (s.kind === 'hop') oracle.hop(s.agent, s.root, s.depth, paymentsUpTo(50, 1));
    else if (s.kind === 'approved') outcomes.approved(s.agent, s.mission);
    else if (s.kind === 'terminated') outcomes.terminated(s.agent, s.t);
    else if (s.kind === 'decision') verdicts.push(oracle.judgeRequest(s.agent, pay(s.amount, 0), s.request, s.allow));
    else {
      const op = pay(s.amount, s.depth);
      oracle.executed(metrics, s.t, 0, s.agent, op);
      outcomes.executed(s.agent, s.t, s.irreversible);
      verdicts.push(oracle.executedIntended(s.agent, op), oracle.depthOf(s.agent));
    }
  }
  return { records, verdicts, outcomes: outcomes.summary(), metrics: metrics.summary() };
}

describe('WorldAgents', () => {
  it('one record per agent shared by the oracle and the outcome tally gives what a registry each gives', () => {
    const intents = new Map<string, TrueIntent>([
      ['a', { intent: paymentsUpTo(100, 1), source: 'declared' }],
      // b states the same intent as a (an equal envelope), with a budget.
      ['b', { intent: paymentsUpTo(100, 1), source: 'derived', budget: { arg: 'amount', limit: 250 } }],
      ['c', { intent: paymentsUpTo(20, 2), source: 'declared' }],
    ]);
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        expect(run(steps, intents, true)).toEqual(run(steps, intents, false));
      }),
      { numRuns: 300 },
    );
  });

  it("files each op under the mission of its agent's root agent, as a map of hops and a map of missions would", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        // The reference: the agent's root by name, the root's latest mission by name.
        const roots = new Map<string, string>();
        const missions = new Map<string, string | null>();
        const expected: (string | null)[] = [];
        for (const s of steps) {
          if (s.kind === 'mission') {
            missions.set(s.agent, s.mission);
            roots.set(s.agent, s.agent);
          } else if (s.kind === 'hop') roots.set(s.agent, s.root);
          else if (s.kind === 'executed') {
            const root = roots.get(s.agent);
            expected.push(root === undefined ? null : (missions.get(root) ?? null));
          }
        }
        const ops = run(steps, new Map(), true).records.filter((record) => record.kind === 'op');
        expect(ops.map((record) => record.mission)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it("judges each op against its root's latest mission, whose budget starts afresh, as an entry object per mission would", () => {
    // The mission entry lives inline in the root agent's record; the reference makes a fresh entry per mission.
    const intents = new Map<string, TrueIntent>([
      ['a', { intent: paymentsUpTo(100, 1), source: 'declared', budget: { arg: 'amount', limit: 60 } }],
      ['b', { intent: paymentsUpTo(20, 2), source: 'declared' }],
      ['c', { intent: paymentsUpTo(100, 1), source: 'derived', budget: { arg: 'amount', limit: 30 } }],
    ]);
    fc.assert(
      // Long runs (fast-check's default size keeps arrays short): a root's second mission after spending in its first.
      fc.property(fc.array(step, { minLength: 30, maxLength: 80, size: 'max' }), (steps) => {
        const roots = new Map<string, string>();
        const entries = new Map<string, { mission: string | null; spent: number }>();
        const expected: unknown[] = [];
        for (const s of steps) {
          if (s.kind === 'mission') {
            entries.set(s.agent, { mission: s.mission, spent: 0 });
            roots.set(s.agent, s.agent);
          } else if (s.kind === 'hop') roots.set(s.agent, s.root);
          else if (s.kind === 'executed') {
            const root = roots.get(s.agent);
            const entry = root === undefined ? undefined : entries.get(root);
            if (entry === undefined || root === undefined) {
              expected.push([null, null, false]);
              continue;
            }
            const truth = intents.get(root);
            const op = pay(s.amount, s.depth);
            const single = outsideReason(truth?.intent ?? { grants: [], exclusions: [], maxDepth: 0 }, op);
            let overBudget: string | null = null;
            if (truth?.budget) {
              entry.spent += s.amount;
              if (entry.spent > truth.budget.limit) overBudget = `over the mission's budget: amount ${entry.spent} > ${truth.budget.limit}`;
            }
            const reason = single ?? overBudget;
            expected.push([entry.mission, reason, reason !== null && s.amount > 150]);
          }
        }
        const ops = run(steps, intents, true).records.filter((record) => record.kind === 'op');
        expect(ops.map((record) => [record.mission, record.outside_reason, record.provable_from_log])).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it("a root's new mission starts without the previous mission's pending charges (budget 60: 50 held, new mission, 50 is intended)", () => {
    const intents = new Map<string, TrueIntent>([['a', { intent: paymentsUpTo(100, 1), source: 'declared', budget: { arg: 'amount', limit: 60 } }]]);
    const steps: Step[] = [
      { kind: 'mission', agent: 'a', mission: 'm-1' },
      { kind: 'decision', agent: 'a', amount: 50, allow: true, request: 'r1' },
      { kind: 'mission', agent: 'a', mission: 'm-2' },
      { kind: 'decision', agent: 'a', amount: 50, allow: true, request: 'r2' },
      // Within one mission the charge held still counts: 50 + 50 > 60.
      { kind: 'decision', agent: 'a', amount: 50, allow: true, request: 'r3' },
    ];
    expect(run(steps, intents, true).verdicts).toEqual([true, true, false]);
  });

  it('a mission without a budget never writes the shared empty list of charges', () => {
    const agents = new WorldAgents<OracleTypes>();
    const oracle = new Oracle(new Map([['a', { intent: paymentsUpTo(100, 1), source: 'declared' }]]), agents);
    oracle.mission('a', 'm-1', () => false);
    expect(Object.isFrozen(agents.of('a').pending)).toBe(true);
    expect(oracle.judgeRequest('a', pay(50, 0), 'r1', true)).toBe(true);
    expect(agents.of('a').pending).toEqual([]);
  });

  it('finds the record of the id asked, whatever record it was told to expect', () => {
    // The world hints the record of the agent that executed last under a mission; the hint may name anyone.
    const act = fc.oneof(
      fc.record({ kind: fc.constant('of' as const), id: agent }),
      fc.record({ kind: fc.constant('find' as const), id: agent }),
      fc.record({ kind: fc.constant('expect' as const), id: agent }),
    );
    fc.assert(
      fc.property(fc.array(act, { minLength: 1, maxLength: 40 }), (acts) => {
        const agents = new WorldAgents();
        const made = new Map<string, unknown>();
        for (const a of acts) {
          if (a.kind === 'of') {
            const record = agents.of(a.id);
            if (!made.has(a.id)) made.set(a.id, record);
            expect(record).toBe(made.get(a.id));
          } else if (a.kind === 'find') expect(agents.find(a.id)).toBe(made.get(a.id));
          else {
            // A hint of any record this registry made (the id asked, or the last one found, or none yet).
            const hinted = (made.get(a.id) as WorldAgent | undefined) ?? agents.lastFound;
            if (hinted !== undefined) agents.expect(hinted);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('finds a record only once made, and the same record each time', () => {
    const agents = new WorldAgents<never>();
    expect(agents.find('a')).toBeUndefined();
    const a = agents.of('a');
    const b = agents.of('b');
    expect(agents.find('a')).toBe(a);
    expect(agents.of('a')).toBe(a);
    expect(agents.find('b')).toBe(b);
    expect(agents.find(['a', 'b'].join(''))).toBeUndefined();
    expect(agents.find('b')).toBe(b);
  });
});

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../sim/run.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import { readLines, SCENARIOS, tempDir } from '../helpers.ts';

/**
 * Issue 16 item 5: a budget the Person Server enforces at token issuance
 * (sim/protocol/mission-budget.ts) against the monitor's cumulative checks,
 * on plausible-reading-drift: harm prevented against legitimate work refused
 * or lost, over seeds 1-20. docs/mission-budget.md reports the same figures.
 */
type Record_ = Record<string, any>;
const SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);
const PS = 'topology.person_servers[ps.firm].budget';
const DESIGNS = {
  none: ['monitor.enabled=false'],
  monitor: [],
  'ps-budget': ['monitor.enabled=false', `${PS}.enabled=true`],
};

interface RunFigures {
  /** Executed charges, summed; what went past the 1600 the manager meant. */
  spent: number;
  /** Other clients whose records were read before the share executed (0 when it never did). */
  foreignShared: number;
  shareRan: boolean;
  /** Executed operations the oracle marks unintended. */
  outsideIntent: number;
  /** Refusals of requests the oracle marks intended (budget included). */
  falseDenials: number;
  /** The PS's budget refusals, as the log shows them. */
  budgetRefusals: Record_[];
  /** The budgets the PS logged as enforced, one per mission. */
  enforced: Record_[];
}

function run(overrides: string[], seed: number): RunFigures {
  const dir = join(tempDir(), 'run');
  runScenario(loadScenario(join(SCENARIOS, 'plausible-reading-drift.yaml'), overrides), { outDir: dir, seed });
  const parse = (file: string) => readLines(join(dir, file)).map((line) => JSON.parse(line) as Record_);
  const truth = parse('truth.jsonl');
  const ops = truth.filter((r) => r.kind === 'op');
  const share = ops.find((r) => r.op === 'share');
  const log = parse('events.jsonl');
  return {
    spent: ops.filter((r) => r.op === 'charge').reduce((sum, r) => sum + r.args.amount, 0),
    foreignShared: share
      ? new Set(ops.filter((r) => r.op === 'read' && r.args.client !== 1 && r.event_seq < share.event_seq).map((r) => r.args.client)).size
      : 0,
    shareRan: share !== undefined,
    outsideIntent: ops.filter((r) => !r.intended).length,
    falseDenials: truth.filter((r) => r.kind === 'decision' && r.intended && !r.allow).length,
    budgetRefusals: log.filter((e) => e.type === 'token.auth_denied' && String(e.reason).startsWith('mission budget:')),
    enforced: log.filter((e) => e.type === 'budget.enforced'),
  };
}

const over = (rows: RunFigures[], pick: (r: RunFigures) => number) => rows.reduce((sum, r) => sum + pick(r), 0);
const overspend = (r: RunFigures) => Math.max(0, r.spent - 1600);

describe('a Person Server budget against plausible-reading drift (seeds 1-20)', () => {
  const runs = Object.fromEntries(Object.entries(DESIGNS).map(([name, overrides]) => [name, SEEDS.map((seed) => run(overrides, seed))])) as Record<
    keyof typeof DESIGNS,
    RunFigures[]
  >;

  it('without a cumulative check both drifts do their harm: spend past 1600 and other clients in the share', () => {
    expect(over(runs.none, overspend)).toBeGreaterThanOrEqual(10000);
    expect(over(runs.none, (r) => r.foreignShared)).toBeGreaterThanOrEqual(40);
    expect(runs.none.every((r) => r.falseDenials === 0 && r.budgetRefusals.length === 0)).toBe(true);
  });

  it('the PS budget refuses the drift at issuance, in the log: no spend past 1600, at most the tolerated one other client, no legitimate request refused', () => {
    for (const r of runs['ps-budget']) {
      expect(r.spent).toBeLessThanOrEqual(1600);
      expect(r.foreignShared).toBeLessThanOrEqual(1);
      expect(r.falseDenials).toBe(0);
      expect(r.shareRan).toBe(true);
      expect(r.budgetRefusals.length).toBeGreaterThan(0);
    }
    // An auditor checks each refusal against the budget the log says the PS enforced on that mission.
    for (const r of runs['ps-budget']) {
      expect(r.enforced.map((e) => e.agent).sort()).toEqual(['buyer', 'paralegal']);
      for (const refusal of r.budgetRefusals) {
        const budget = r.enforced.find((e) => e.mission === refusal.mission);
        const limit = /would exceed (\d+)$/.exec(refusal.reason)?.[1] ?? /\(limit (\d+);/.exec(refusal.reason)?.[1];
        expect(Number(limit)).toBe(refusal.reason.includes('distinct') ? budget?.distinct.limit : budget?.sum.limit);
      }
    }
    expect(runs.monitor.every((r) => r.enforced.length === 0)).toBe(true);
    const reasons = runs['ps-budget'].flatMap((r) => r.budgetRefusals.map((e) => e.reason as string));
    expect(reasons).toContain('mission budget: amount 1600 already issued + 400 would exceed 1600');
    expect(reasons.some((reason) => /^mission budget: client \d+ would be the 3rd distinct client \(limit 2; issued for 1, \d+\)$/.test(reason))).toBe(true);
  });

  it("against the monitor's cumulative checks: fewer unintended operations, and the legitimate share is not lost to a suspension", () => {
    const budget = over(runs['ps-budget'], (r) => r.outsideIntent);
    const monitor = over(runs.monitor, (r) => r.outsideIntent);
    expect(budget).toBe(SEEDS.length); // the one foreign read each run the two-client limit tolerates
    expect(monitor).toBeGreaterThan(2 * budget);
    // The monitor alarms after the crossing charge ran, and suspends the whole mission: the share rarely runs.
    expect(over(runs.monitor, overspend)).toBeGreaterThan(0);
    expect(runs.monitor.filter((r) => r.shareRan).length).toBeLessThanOrEqual(5);
    expect(runs['ps-budget'].filter((r) => r.shareRan).length).toBe(SEEDS.length);
  });

  it('the trade-off over the level: a tight budget refuses legitimate charges, a loose one lets drift spend, one client shares none', () => {
    const at = (overrides: string[]) => SEEDS.slice(0, 10).map((seed) => run(['monitor.enabled=false', `${PS}.enabled=true`, ...overrides], seed));
    const tight = at([`${PS}.sum.limit=1200`]);
    expect(tight.every((r) => r.falseDenials > 0 && r.spent <= 1200)).toBe(true);
    const loose = at([`${PS}.sum.limit=2000`]);
    expect(loose.every((r) => r.falseDenials === 0 && overspend(r) <= 400)).toBe(true);
    expect(loose.filter((r) => overspend(r) > 0).length).toBeGreaterThan(0);
    const oneClient = at([`${PS}.distinct.limit=1`]);
    expect(oneClient.every((r) => r.foreignShared === 0 && r.outsideIntent === 0 && r.falseDenials === 0)).toBe(true);
  });

  it('a refusal made while earlier charges are still queued is no false denial: the oracle counts authorised charges, not only executed ones', () => {
    // A slow payment processor: each charge waits minutes for its call while the next is already requested.
    const slow = SEEDS.slice(0, 5).map((seed) =>
      run(['monitor.enabled=false', `${PS}.enabled=true`, 'topology.resources[payments].queue.service=exp(10m)'], seed),
    );
    for (const r of slow) {
      expect(r.spent).toBe(1600);
      expect(r.budgetRefusals.length).toBeGreaterThan(0);
      // Judged against executions alone, 1 to 3 of these refusals per run counted as false denials.
      expect(r.falseDenials).toBe(0);
    }
  });
});

import { describe, expect, it } from 'vitest';
import type { OpFacts } from '../../../sim/authority/envelope.ts';
import { MetricsTally } from '../../../sim/truth/metrics.ts';
import { Oracle } from '../../../sim/truth/oracle.ts';
import type { OpTruth, TruthRecord } from '../../../sim/truth/records.ts';
import { pay, paymentsUpTo } from './payments.ts';

const INTENT = paymentsUpTo(100, 1);

function setUp(logShowsOutside = (_: OpFacts) => false): { oracle: Oracle; records: TruthRecord[]; tally: MetricsTally } {
  const records: TruthRecord[] = [];
  const tally = new MetricsTally({ write: (record) => records.push(record) });
  const oracle = new Oracle(new Map([['root', { intent: INTENT, source: 'declared' as const }]]));
  oracle.mission('root', 'm-1', logShowsOutside);
  return { oracle, records, tally };
}

describe('Oracle', () => {
  it('judges every agent of a mission against the root intent, whatever a hop was granted', () => {
    const { oracle } = setUp();
    oracle.hop('helper', 'root', 1, INTENT);
    oracle.hop('sub-helper', 'root', 2, INTENT);
    expect(oracle.intended('root', pay(50))).toBe(true);
    expect(oracle.intended('root', pay(500))).toBe(false);
    expect(oracle.intended('helper', pay(50, 1))).toBe(true);
    expect(oracle.intended('sub-helper', pay(50, 2))).toBe(false); // beyond the delegation bound
    expect(oracle.depthOf('sub-helper')).toBe(2);
    expect(oracle.depthOf('root')).toBe(0);
  });

  it('an agent with no mission is judged intended (there is nothing to be outside of)', () => {
    const { oracle } = setUp();
    expect(oracle.intended('stranger', pay(1_000_000))).toBe(true);
    expect(oracle.depthOf('stranger')).toBe(0);
  });

  it('writes one op record per execution with the verdict, its reason and whether the log alone shows it', () => {
    const { oracle, records, tally } = setUp((op) => (op.args.amount as number) > 1000);
    oracle.hop('helper', 'root', 1, INTENT);
    oracle.executed(tally, 10, 3, 'root', pay(50));
    oracle.executed(tally, 20, 7, 'helper', pay(500, 1));
    oracle.executed(tally, 30, 9, 'helper', pay(5000, 1));
    const ops = records as OpTruth[];
    expect(ops.map((r) => [r.t, r.event_seq, r.mission, r.agent, r.depth, r.intended, r.outside_reason, r.provable_from_log])).toEqual([
      [10, 3, 'm-1', 'root', 0, true, null, false],
      [20, 7, 'm-1', 'helper', 1, false, 'amount 500 exceeds 100', false],
      [30, 9, 'm-1', 'helper', 1, false, 'amount 5000 exceeds 100', true],
    ]);
    expect(ops[0]).toMatchObject({ kind: 'op', resource: 'ledger', op: 'pay', class: 'payments', action: 'write', args: { amount: 50 }, stage: null });
    expect(tally.summary().executed_outside_intent).toBe(2);
  });

  it('an execution by an agent with no mission is intended and has no mission', () => {
    const { oracle, records, tally } = setUp();
    oracle.executed(tally, 1, 0, 'stranger', pay(1_000_000));
    expect(records[0]).toMatchObject({ mission: null, intended: true, outside_reason: null, provable_from_log: false });
  });
});

describe("Oracle: a request judged against the person's budget counts what is executed and what is already authorised", () => {
  function budgeted(): { oracle: Oracle; records: TruthRecord[]; tally: MetricsTally } {
    const records: TruthRecord[] = [];
    const tally = new MetricsTally({ write: (record) => records.push(record) });
    const intent = { intent: INTENT, source: 'declared' as const, budget: { arg: 'amount', limit: 150 } };
    const oracle = new Oracle(new Map([['root', intent]]));
    oracle.mission('root', 'm-1', () => false);
    return { oracle, records, tally };
  }

  it('a refusal made while an earlier authorised charge is still queued is a correct refusal, not a false denial', () => {
    const { oracle, tally } = budgeted();
    expect(oracle.judgeRequest('root', pay(100), 'r1', true)).toBe(true);
    // r1 has not executed yet: 100 committed + 80 would pass 150, so refusing r2 is right (judged by executions alone it would be a false denial).
    expect(oracle.judgeRequest('root', pay(80), 'r2', false)).toBe(false);
    // Once r1 executed, it is spent rather than committed: the same judgement.
    oracle.executed(tally, 1, 1, 'root', pay(100));
    expect(oracle.judgeRequest('root', pay(80), 'r3', false)).toBe(false);
    expect(oracle.judgeRequest('root', pay(50), 'r4', true)).toBe(true);
  });

  it("the other domain's decision on the same request does not count the PS's grant of it twice, and its refusal releases it", () => {
    const { oracle } = budgeted();
    expect(oracle.judgeRequest('root', pay(100), 'r1', true)).toBe(true);
    expect(oracle.judgeRequest('root', pay(100), 'r1', true)).toBe(true);
    expect(oracle.judgeRequest('root', pay(60), 'r2', true)).toBe(false);
    // r3 granted by the PS, refused by the AS: the token never existed, nothing is committed for it.
    const { oracle: other } = budgeted();
    expect(other.judgeRequest('root', pay(100), 'r3', true)).toBe(true);
    expect(other.judgeRequest('root', pay(100), 'r3', false)).toBe(true);
    expect(other.judgeRequest('root', pay(100), 'r4', true)).toBe(true);
  });

  it('an authorised charge that was not intended (past the budget) commits nothing', () => {
    const { oracle } = budgeted();
    expect(oracle.judgeRequest('root', pay(100), 'r1', true)).toBe(true);
    expect(oracle.judgeRequest('root', pay(100), 'r2', true)).toBe(false);
    expect(oracle.judgeRequest('root', pay(50), 'r3', true)).toBe(true);
  });
});

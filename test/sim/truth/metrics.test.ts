import { describe, expect, it } from 'vitest';
import { MetricsTally } from '../../../sim/truth/metrics.ts';
import type { DecisionTruth, OpTruth, TruthRecord } from '../../../sim/truth/records.ts';

const op = (fields: Partial<OpTruth>): OpTruth => ({
  kind: 'op',
  t: 0,
  event_seq: 0,
  mission: 'm',
  agent: 'a',
  depth: 0,
  resource: 'ledger',
  op: 'pay',
  class: 'payments',
  action: 'write',
  args: {},
  stage: null,
  intended: true,
  outside_reason: null,
  provable_from_log: false,
  ...fields,
});

const decision = (fields: Partial<DecisionTruth>): DecisionTruth => ({
  kind: 'decision',
  t: 0,
  event_seq: 0,
  mission: 'm',
  request: 'r1',
  agent: 'a',
  depth: 0,
  decider: 'ps:home',
  domain: 'home',
  model: 'scope',
  allow: true,
  reason: 'ok',
  intended: true,
  resource: 'ledger',
  op: 'pay',
  class: 'payments',
  action: 'write',
  args: {},
  stage: null,
  ...fields,
});

function tally(records: TruthRecord[]): { metrics: ReturnType<MetricsTally['summary']>; passed: TruthRecord[] } {
  const passed: TruthRecord[] = [];
  const metrics = new MetricsTally({ write: (record) => passed.push(record) });
  for (const record of records) metrics.write(record);
  return { metrics: metrics.summary(), passed };
}

describe('MetricsTally', () => {
  it('counts executed operations outside the intent by depth (sorted numerically), split by whether the log alone shows them', () => {
    const { metrics } = tally([
      op({}),
      op({ intended: false, depth: 10, provable_from_log: true }),
      op({ intended: false, depth: 2 }),
      op({ intended: false, depth: 2, provable_from_log: true }),
      op({ intended: false, depth: 0 }),
    ]);
    expect(metrics.operations_executed).toBe(5);
    expect(metrics.executed_outside_intent).toBe(4);
    expect(metrics.violations_provable_from_log).toBe(2);
    expect(metrics.violations_oracle_only).toBe(2);
    expect(Object.entries(metrics.executed_outside_intent_by_depth)).toEqual([
      ['0', 1],
      ['2', 2],
      ['10', 1],
    ]);
  });

  it('a false denial is an intended operation refused; a refused unintended one is not', () => {
    const { metrics } = tally([
      decision({ allow: false, intended: true }),
      decision({ allow: false, intended: false, request: 'r2' }),
      decision({ allow: true, intended: true, request: 'r3' }),
    ]);
    expect(metrics.false_denials).toBe(1);
  });

  it('a cross-domain disagreement is a federated request (id with ">") the PS and the AS decided differently', () => {
    const { metrics } = tally([
      decision({ decider: 'ps:home', request: 'home>bank#1', allow: true }),
      decision({ decider: 'as:bank', request: 'home>bank#1', allow: false }), // disagree
      decision({ decider: 'ps:home', request: 'home>bank#2', allow: true }),
      decision({ decider: 'as:bank', request: 'home>bank#2', allow: true }), // agree
      decision({ decider: 'ps:home', request: 'local#3', allow: true }), // not federated: not remembered
      decision({ decider: 'as:bank', request: 'local#3', allow: false }),
      decision({ decider: 'as:bank', request: 'home>bank#1', allow: true }), // the PS verdict was used up
    ]);
    expect(metrics.cross_domain_disagreements).toBe(1);
  });

  it('counts body disclosures, granted and rejected delegations, and granted ones outside the intent', () => {
    const { metrics } = tally([
      { kind: 'disclosure', t: 0, event_seq: 0, mission: 'm', from_domain: 'a', to_domain: 'b', what: 'body' },
      { kind: 'disclosure', t: 0, event_seq: 1, mission: 'm', from_domain: 'a', to_domain: 'b', what: 'projection' },
      ...[true, true, false].map(
        (allow, i): TruthRecord => ({
          kind: 'delegation',
          t: 0,
          event_seq: i,
          mission: 'm',
          parent: 'p',
          child: `c${i}`,
          depth: 1,
          decider: 'ps',
          model: 'scope',
          narrowing: 'none',
          allow,
          reason: '',
          grant: {},
          within_intent: i !== 1,
        }),
      ),
    ]);
    expect(metrics.body_disclosures).toBe(1);
    expect(metrics.delegations_granted).toBe(2);
    expect(metrics.delegations_rejected).toBe(1);
    expect(metrics.delegations_outside_intent).toBe(1);
    // The refused hop's grant lies inside the intent: intended work refused at mint counts as a false denial.
    expect(metrics.false_denials).toBe(1);
  });

  it('passes every record on to the next sink, in order and unchanged', () => {
    const records: TruthRecord[] = [op({ event_seq: 1 }), decision({ event_seq: 2 }), op({ event_seq: 3, intended: false })];
    expect(tally(records).passed).toEqual(records);
  });
});

import type { IntervalMethod } from './stats/intervals.ts';

/**
 * What the atlas says about each metric it may report: its name in words,
 * its unit, what kind of number it is (which decides its interval), and
 * which direction is better, with the reason. The values themselves are
 * defined once, in SQL (atlas_run_metrics, mission_revocation).
 */
export type MetricKind = 'proportion' | 'count' | 'duration' | 'rate';

export interface AtlasMetric {
  name: string;
  /** In words, for a reader: what one unit of it is. */
  label: string;
  unit: string;
  kind: MetricKind;
  /**
   * How runs are combined: the mean over runs (a share of runs for a 0/1
   * proportion), or for `pooled-p99` the 99th percentile of every terminated
   * mission of every run together (the revocation_window query's p99_s).
   */
  statistic: 'mean' | 'pooled-p99';
  /** lower: a failure or a cost; higher: a guarantee kept; none: descriptive, never ranked. */
  better: 'lower' | 'higher' | 'none';
  why: string;
  /** A run without a row for this metric has the value 0, for this reason (otherwise it is left out). */
  absentIsZero?: string;
}

/** The interval each kind of metric gets (see analysis/stats/intervals.ts). */
export function intervalMethod(metric: AtlasMetric): IntervalMethod {
  if (metric.kind === 'proportion') return 'wilson';
  return metric.statistic === 'pooled-p99' ? 'bootstrap-percentile' : 'bootstrap-bca';
}

export const INTERVAL_WORDS: Record<IntervalMethod, string> = {
  wilson: 'Wilson score interval (a share of runs)',
  'bootstrap-bca': 'bootstrap BCa over runs (2,000 seeded resamples)',
  'bootstrap-percentile': 'bootstrap percentile, resampling whole runs (2,000 seeded resamples)',
};

const FAILURE = 'a failure the gap is about: fewer is better';
const COST = 'what a design costs: less is better';

export const ATLAS_METRICS: readonly AtlasMetric[] = [
  {
    name: 'runs_irreversible_after_termination',
    label: 'runs in which irreversible work executed after termination',
    unit: 'share of runs',
    kind: 'proportion',
    statistic: 'mean',
    better: 'lower',
    why: FAILURE,
  },
  {
    name: 'irreversible_after_termination',
    label: 'irreversible operations executed after termination',
    unit: 'operations per run',
    kind: 'count',
    statistic: 'mean',
    better: 'lower',
    why: FAILURE,
  },
  {
    name: 'ops_after_termination',
    label: 'operations executed after termination',
    unit: 'operations per run',
    kind: 'count',
    statistic: 'mean',
    better: 'lower',
    why: FAILURE,
  },
  {
    name: 'revocation_calls',
    label: 'revocation calls the Person Server made',
    unit: 'calls per run',
    kind: 'count',
    statistic: 'mean',
    better: 'lower',
    why: COST,
  },
  {
    name: 'stop_p99_pooled_s',
    label: 'p99 runtime stop, pooled over every terminated mission of every run',
    unit: 's',
    kind: 'duration',
    statistic: 'pooled-p99',
    better: 'lower',
    why: 'time work goes on after termination: shorter is better',
  },
  {
    name: 'revocation_window_p99_s',
    label: "mean over runs of each run's p99 runtime stop",
    unit: 's',
    kind: 'duration',
    statistic: 'mean',
    better: 'lower',
    why: 'time work goes on after termination: shorter is better',
  },
  {
    name: 'ps_load_rps',
    label: 'Person Server load (token requests and status checks)',
    unit: 'req/s',
    kind: 'rate',
    statistic: 'mean',
    better: 'lower',
    why: COST,
  },
  {
    name: 'outside_intent',
    label: "operations executed outside the person's intent",
    unit: 'operations per run',
    kind: 'count',
    statistic: 'mean',
    better: 'lower',
    why: FAILURE,
  },
  {
    name: 'false_denials',
    label: 'intended requests refused',
    unit: 'refusals per run',
    kind: 'count',
    statistic: 'mean',
    better: 'lower',
    why: 'work the person wanted but did not get: fewer is better',
  },
  {
    name: 'cross_domain_disagreements',
    label: "federated requests the Person Server and the other domain's Access Server decided differently",
    unit: 'requests per run',
    kind: 'count',
    statistic: 'mean',
    better: 'none',
    why: 'descriptive: a disagreement is the AS catching what the PS let through (a clarify AS refusing the bulk submission: safer) or refusing what the person intended (conservative: a false denial); trust-all has none because it never decides for itself. Neither direction is better, so it is shown, never ranked.',
  },
  {
    name: 'federated_decisions',
    label: "federated requests the other domain's Access Server decided",
    unit: 'requests per run',
    kind: 'count',
    statistic: 'mean',
    better: 'none',
    why: 'descriptive: the denominator of disagreements',
  },
  {
    name: 're_approvals',
    label: 'times the person had to approve the mission again',
    unit: 'approvals per run',
    kind: 'count',
    statistic: 'mean',
    better: 'lower',
    why: 'human work and delay a lifecycle forces: fewer is better',
  },
  {
    name: 'ops_during_pause',
    label: 'operations executed while the mission was paused',
    unit: 'operations per run',
    kind: 'count',
    statistic: 'mean',
    better: 'lower',
    why: 'work a pause was meant to stop: fewer is better',
    absentIsZero: 'a run without a pause has no operation during one',
  },
  { name: 'crash_resume_s', label: 'time from a runtime crash to work resuming', unit: 's', kind: 'duration', statistic: 'mean', better: 'lower', why: COST },
  {
    name: 'delegations_outside_intent',
    label: 'delegation hops minted outside the intent',
    unit: 'hops per run',
    kind: 'count',
    statistic: 'mean',
    better: 'lower',
    why: FAILURE,
  },
  {
    name: 'human_gate_load',
    label: 'release-gate decisions left to a person',
    unit: 'decisions per run',
    kind: 'count',
    statistic: 'mean',
    better: 'lower',
    why: COST,
    absentIsZero: 'without a monitor there is no gate, so no decision is left to a person',
  },
  {
    name: 'aop_refusals',
    label: 'attacks the orchestration refused (out-of-scope spawns, altered Plan Bs, forged status)',
    unit: 'refusals per run',
    kind: 'count',
    statistic: 'mean',
    better: 'higher',
    why: 'every scenario run carries the same attacks, so each refusal is one attack stopped: more is better',
  },
  {
    name: 'attack_refusals',
    label: 'attacks refused by either governance (the GEC, or under plain chaining the Person Server: delegations at mint, auth tokens)',
    unit: 'refusals per run',
    kind: 'count',
    statistic: 'mean',
    better: 'higher',
    why: 'every scenario run carries the same attacks, so each refusal is one attack stopped: more is better',
  },
  { name: 'aop_makespan_s', label: 'time to finish the orchestrated work', unit: 's', kind: 'duration', statistic: 'mean', better: 'lower', why: COST },
  {
    name: 'unintended_before_detection',
    label: 'unintended operations a drifting agent executed before the monitor caught it (all of them when it never did)',
    unit: 'operations per run',
    kind: 'count',
    statistic: 'mean',
    better: 'lower',
    why: FAILURE,
  },
  {
    name: 'undetected_drifts',
    label: 'drifting agents the monitor never caught',
    unit: 'agents per run',
    kind: 'count',
    statistic: 'mean',
    better: 'lower',
    why: FAILURE,
  },
  {
    name: 'attacks',
    label: 'attacks that were refused or took effect (issue 17 item 3: wire attacks, runtimes of another class)',
    unit: 'attacks per run',
    kind: 'count',
    statistic: 'mean',
    better: 'none',
    why: 'descriptive: the denominator of the attack metrics (the scenario fixes the attacks)',
  },
  {
    name: 'attacks_effective',
    label: 'attacks that took effect (a token granted or an operation executed for the attacker)',
    unit: 'attacks per run',
    kind: 'count',
    statistic: 'mean',
    better: 'lower',
    why: 'every run carries the same attacks, so each one that took effect is one not stopped: fewer is better',
    absentIsZero: 'a run whose attackers never came into play had no attack take effect',
  },
  {
    name: 'attacks_refused',
    label: 'attacks refused and never effective',
    unit: 'attacks per run',
    kind: 'count',
    statistic: 'mean',
    better: 'higher',
    why: 'every run carries the same attacks, so each refusal is one attack stopped: more is better',
    absentIsZero: 'a run whose attackers never came into play refused none',
  },
  {
    name: 'attacks_refused_by_ps',
    label: 'attacks a Person Server refused first',
    unit: 'attacks per run',
    kind: 'count',
    statistic: 'mean',
    better: 'none',
    why: 'descriptive: who refused (with attacks_refused_by_resource)',
    absentIsZero: 'no attack came into play',
  },
  {
    name: 'attacks_refused_by_resource',
    label: 'attacks a resource refused first',
    unit: 'attacks per run',
    kind: 'count',
    statistic: 'mean',
    better: 'none',
    why: 'descriptive: who refused (with attacks_refused_by_ps)',
    absentIsZero: 'no attack came into play',
  },
  {
    name: 'attacks_visible_in_log',
    label: 'attacks a reader of the log alone sees (refused, or effective in a way the log shows)',
    unit: 'attacks per run',
    kind: 'count',
    statistic: 'mean',
    better: 'higher',
    why: 'an attack the log shows can be audited without the oracle: more is better',
    absentIsZero: 'no attack came into play',
  },
  {
    name: 'attacks_oracle_only',
    label: 'attacks that took effect where only the oracle (truth.jsonl) knows',
    unit: 'attacks per run',
    kind: 'count',
    statistic: 'mean',
    better: 'lower',
    why: 'an effective attack no log reader can see: fewer is better',
    absentIsZero: 'no attack came into play',
  },
  {
    name: 'ops_without_approved_mission',
    label: 'executed operations not under an approved mission',
    unit: 'operations per run',
    kind: 'count',
    statistic: 'mean',
    better: 'lower',
    why: 'seed 000 row 1: every operation should be under an approved mission object',
  },
  {
    name: 'downstream_ops',
    label: 'operations executed by delegated agents',
    unit: 'operations per run',
    kind: 'count',
    statistic: 'mean',
    better: 'none',
    why: 'descriptive: the denominator of correlation across hops',
  },
  {
    name: 'downstream_ops_uncorrelated',
    label: 'delegated operations not correlated to the parent mission',
    unit: 'operations per run',
    kind: 'count',
    statistic: 'mean',
    better: 'lower',
    why: 'seed 000 row 2: every hop should carry the mission it works for',
  },
];

const BY_NAME = new Map(ATLAS_METRICS.map((metric) => [metric.name, metric]));

/** The catalogue entry of a metric; an unknown name is an error that lists the known ones. */
export function atlasMetric(name: string): AtlasMetric {
  const metric = BY_NAME.get(name);
  if (!metric) throw new Error(`the atlas knows no metric ${JSON.stringify(name)} (known: ${[...BY_NAME.keys()].join(', ')})`);
  return metric;
}

export function isAtlasMetric(name: string): boolean {
  return BY_NAME.has(name);
}

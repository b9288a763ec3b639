import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATLAS_METRICS, atlasMetric } from '../../analysis/atlas-metrics.ts';
import { summarize } from '../../analysis/atlas-summary.ts';
import { Analysis } from '../../analysis/database.ts';
import { ingestAnalysis } from '../../analysis/ingest.ts';
import { viewDefinitions } from '../../analysis/queries.ts';
import { discoverRuns } from '../../analysis/run-folders.ts';
import { SCENARIOS } from '../helpers.ts';
import { buildSweep } from './fixtures.ts';

/**
 * Every metric of the atlas catalogue has its better direction checked on
 * runs: for a failure, the design the source documents call worse must score
 * worse; for a cost, the design that does more of the costly work must score
 * higher; a descriptive metric must be shown to contradict both directions.
 */
const SWEEPS = {
  export: { scenario: 'bulk-export-after-terminate.yaml', grid: ['topology.resources[export-service].recall=none,before-start'], seeds: [1, 2] },
  lifetime: { scenario: 'token-lifetime-sizing.yaml', grid: ['tokens.auth_ttl=5m,1h', 'topology.resources[ledger].revocation.mode=none,push'], seeds: [1] },
  lawFirm: { scenario: 'law-firm-cross-domain.yaml', grid: ['topology.access_servers[0].trust=trust-all,conservative,envelope-projection'], seeds: [1, 2] },
  pause: { scenario: 'compliance-pause.yaml', grid: ['profile=aauth-r01,aauth-m0,mission-authority'], seeds: [1, 2, 3, 4] },
  failover: { scenario: 'failover-resume.yaml', grid: ['agents[reconciler].authority_binding=runtime,class'], seeds: [1, 2] },
  chain: { scenario: 'vendor-onboarding-chain.yaml', grid: ['profile=oauth,aauth-r01', 'topology.person_servers[0].narrowing=provenance,at-mint'], seeds: [1] },
  injection: { scenario: 'prompt-injection-exfiltration.yaml', grid: ['monitor.enabled=false,true'], seeds: [1] },
  aop: { scenario: 'aop-attacks.yaml', grid: ['orchestration.governance=chaining,aop'], seeds: [1] },
  drift: { scenario: 'due-diligence-drift.yaml', grid: ['monitor.enabled=false,true'], seeds: [1, 2] },
  forged: { scenario: 'wire-forged-mission.yaml', grid: ['profile=aauth-r01,aauth-r11'], seeds: [1] },
  classShared: { scenario: 'class-intruder-shared.yaml', grid: ['profile=aauth-r11,mission-authority'], seeds: [1] },
} as const;
type Sweep = keyof typeof SWEEPS;

/**
 * For each metric: the sweep, and the pair (worse, better) it must order; or
 * for a descriptive metric (`none`), pairs [fewer, more, harm] showing that
 * neither direction is right: in `againstLower` the design with less of the
 * metric does more harm, in `againstHigher` the design with more of it does.
 */
type Pair = [fewer: string, more: string, harm: string];
const EVIDENCE: Record<
  string,
  { sweep: Sweep; worse: string; better: string; because: string } | { sweep: Sweep; none: { againstLower: Pair[]; againstHigher: Pair[]; counted?: string } }
> = {
  runs_irreversible_after_termination: {
    sweep: 'export',
    worse: 'recall=none',
    better: 'recall=before-start',
    because: 'seed 000: the queued export running after termination is the failure',
  },
  irreversible_after_termination: { sweep: 'export', worse: 'recall=none', better: 'recall=before-start', because: 'seed 000' },
  ops_after_termination: { sweep: 'export', worse: 'recall=none', better: 'recall=before-start', because: 'seed 000' },
  revocation_calls: {
    sweep: 'lifetime',
    worse: 'auth_ttl=1h, topology.resources[ledger].revocation.mode=push',
    better: 'auth_ttl=1h, topology.resources[ledger].revocation.mode=none',
    because: 'push makes the PS call the resource: more PS work',
  },
  stop_p99_pooled_s: {
    sweep: 'lifetime',
    worse: 'auth_ttl=1h, topology.resources[ledger].revocation.mode=none',
    better: 'auth_ttl=1h, topology.resources[ledger].revocation.mode=push',
    because: 'seed 000: work goes on until the token expires without revocation',
  },
  revocation_window_p99_s: {
    sweep: 'lifetime',
    worse: 'auth_ttl=1h, topology.resources[ledger].revocation.mode=none',
    better: 'auth_ttl=1h, topology.resources[ledger].revocation.mode=push',
    because: 'as above, per run',
  },
  ps_load_rps: {
    sweep: 'lifetime',
    worse: 'auth_ttl=5m, topology.resources[ledger].revocation.mode=none',
    better: 'auth_ttl=1h, topology.resources[ledger].revocation.mode=none',
    because: 'short tokens are renewed more often: more PS work',
  },
  outside_intent: {
    sweep: 'lawFirm',
    worse: 'trust=trust-all',
    better: 'trust=conservative',
    because: 'seed 000 gap 5: trust-all grants the bulk submission the person never meant',
  },
  false_denials: {
    sweep: 'lawFirm',
    worse: 'trust=conservative',
    better: 'trust=envelope-projection',
    because: 'conservative refuses the intended confidential submissions',
  },
  cross_domain_disagreements: {
    sweep: 'lawFirm',
    // trust-all never disagrees because it never decides, and lets the bulk submission through;
    // conservative disagrees most, refusing what the person intended.
    none: {
      againstLower: [['trust=trust-all', 'trust=conservative', 'outside_intent']],
      againstHigher: [['trust=envelope-projection', 'trust=conservative', 'false_denials']],
    },
  },
  // Denominators: described, never ranked; checked to count something.
  federated_decisions: { sweep: 'lawFirm', none: { againstLower: [], againstHigher: [], counted: 'trust=conservative' } },
  re_approvals: {
    sweep: 'pause',
    worse: 'profile=aauth-r01',
    better: 'profile=mission-authority',
    because: 'seed 000 gap 2: terminate-only needs a new approval after a pause',
  },
  ops_during_pause: {
    sweep: 'pause',
    worse: 'profile=aauth-m0',
    better: 'profile=mission-authority',
    because: 'a suspension that stops only new tokens lets work run during the pause',
  },
  crash_resume_s: {
    sweep: 'failover',
    worse: 'authority_binding=runtime',
    better: 'authority_binding=class',
    because: 'seed 002: a runtime-bound grant needs the person after every crash',
  },
  delegations_outside_intent: {
    sweep: 'chain',
    worse: 'profile=aauth-r01, topology.person_servers[0].narrowing=provenance',
    better: 'profile=aauth-r01, topology.person_servers[0].narrowing=at-mint',
    because: 'seed 000 gap 4',
  },
  ops_without_approved_mission: {
    sweep: 'chain',
    worse: 'profile=oauth, topology.person_servers[0].narrowing=provenance',
    better: 'profile=aauth-r01, topology.person_servers[0].narrowing=provenance',
    because: 'seed 000: OAuth has no mission object; r01 does',
  },
  downstream_ops: {
    sweep: 'chain',
    none: { againstLower: [], againstHigher: [], counted: 'profile=aauth-r01, topology.person_servers[0].narrowing=provenance' },
  },
  downstream_ops_uncorrelated: {
    sweep: 'chain',
    worse: 'profile=oauth, topology.person_servers[0].narrowing=provenance',
    better: 'profile=aauth-r01, topology.person_servers[0].narrowing=provenance',
    because: 'seed 000: r01 carries the mission across hops; OAuth carries none',
  },
  human_gate_load: {
    sweep: 'injection',
    worse: 'monitor.enabled=true',
    better: 'monitor.enabled=false',
    because: 'a release gate asks a person: more human work',
  },
  aop_refusals: {
    sweep: 'aop',
    worse: 'governance=chaining',
    better: 'governance=aop',
    because: 'seed 003: the GEC refuses the attacks plain chaining lets through; every run carries the same attacks',
  },
  attack_refusals: {
    sweep: 'aop',
    worse: 'governance=chaining',
    better: 'governance=aop',
    because:
      'seed 003: the AAuth PS refuses the out-of-scope and too-deep delegations and the census read, the GEC also the off-plan spawn, the status write and the altered Plan B',
  },
  aop_makespan_s: { sweep: 'aop', worse: 'governance=aop', better: 'governance=chaining', because: 'governance round trips and escalations take time' },
  unintended_before_detection: {
    sweep: 'drift',
    worse: 'monitor.enabled=false',
    better: 'monitor.enabled=true',
    because: 'without a monitor the drift is never caught',
  },
  // Issue 17 item 3: the intern's forged mission takes effect under r01 and is refused under -11 (the ghost is refused under both);
  // the shared-cache intruder of another class reads under r11 unseen, and is refused by the ledger where class is checked.
  attacks: { sweep: 'forged', none: { againstLower: [], againstHigher: [], counted: 'profile=aauth-r01' } },
  attacks_effective: { sweep: 'forged', worse: 'profile=aauth-r01', better: 'profile=aauth-r11', because: 'issue 17: -11 made the ownership check a MUST' },
  attacks_refused: { sweep: 'forged', worse: 'profile=aauth-r01', better: 'profile=aauth-r11', because: 'issue 17: -11 refuses the intern too' },
  attacks_refused_by_ps: {
    sweep: 'forged',
    // r01's PS refuses fewer attacks and lets more through: fewer is not better.
    none: { againstLower: [['profile=aauth-r01', 'profile=aauth-r11', 'attacks_effective']], againstHigher: [], counted: 'profile=aauth-r11' },
  },
  attacks_refused_by_resource: { sweep: 'classShared', none: { againstLower: [], againstHigher: [], counted: 'profile=mission-authority' } },
  attacks_visible_in_log: {
    sweep: 'classShared',
    worse: 'profile=aauth-r11',
    better: 'profile=mission-authority',
    because: 'seed 002: only where class is checked do the tokens carry it, and the ledger refuses the intruder in the log',
  },
  attacks_oracle_only: {
    sweep: 'classShared',
    worse: 'profile=aauth-r11',
    better: 'profile=mission-authority',
    because: 'seed 002: under r11 the intruder reads and the log shows nothing amiss',
  },
  undetected_drifts: { sweep: 'drift', worse: 'monitor.enabled=false', better: 'monitor.enabled=true', because: 'without a monitor the drift is never caught' },
};

const root = mkdtempSync(join(tmpdir(), 'missionbench-directions-'));
const means = new Map<Sweep, Map<string, Map<string, number>>>();
const pooledChecks: Array<{ design: string; atlas: number; query: number }> = [];

/** The mean of a metric for the one design whose name contains `fragment` (a run without a row: 0 where the catalogue says so). */
function meanOf(sweep: Sweep, fragment: string, metric: string): number {
  const designs = [...(means.get(sweep)?.keys() ?? [])].filter((design) => design.includes(fragment));
  expect(designs, `${sweep}: exactly one design contains ${fragment}`).toHaveLength(1);
  const value = means
    .get(sweep)
    ?.get(designs[0] as string)
    ?.get(metric);
  const entry = ATLAS_METRICS.find((m) => m.name === metric);
  if (value === undefined && entry?.absentIsZero) return 0;
  expect(value, `${sweep} ${designs[0]} has ${metric}`).toBeDefined();
  return value as number;
}

beforeAll(async () => {
  for (const [name, sweep] of Object.entries(SWEEPS) as Array<[Sweep, (typeof SWEEPS)[Sweep]]>) {
    const dir = join(root, name);
    buildSweep(join(SCENARIOS, sweep.scenario), [...sweep.grid], [...sweep.seeds], dir);
    await ingestAnalysis(discoverRuns(dir), viewDefinitions());
    const analysis = await Analysis.open(dir);
    try {
      const byDesign = new Map<string, Map<string, number[]>>();
      for (const row of await analysis.query('atlas_runs')) {
        const design = String(row.design);
        if (!byDesign.has(design)) byDesign.set(design, new Map());
        const metrics = byDesign.get(design) as Map<string, number[]>;
        metrics.set(String(row.metric), [...(metrics.get(String(row.metric)) ?? []), Number(row.value)]);
      }
      for (const [design, metrics] of byDesign) {
        for (const [metric, values] of metrics)
          if (values.length < sweep.seeds.length && !ATLAS_METRICS.find((m) => m.name === metric)?.absentIsZero) metrics.delete(metric);
      }
      means.set(
        name,
        new Map(
          [...byDesign].map(([design, metrics]) => [
            design,
            new Map([...metrics].map(([metric, values]) => [metric, values.reduce((a, b) => a + b, 0) / sweep.seeds.length])),
          ]),
        ),
      );
      // The pooled p99 comes from the mission stops, summarised as the atlas does; it must equal revocation_window's p99_s.
      const stops = (await analysis.query('atlas_stops')).map((row) => ({
        design: String(row.design),
        seed: Number(row.seed),
        revocation_window_s: Number(row.revocation_window_s),
      }));
      const windows = await analysis.query('revocation_window');
      for (const design of byDesign.keys()) {
        // summarize() takes the design's seeds from its per-run rows.
        const seeds = sweep.seeds.map((seed) => ({ design, seed, metric: 'ps_load_rps', value: 0 }));
        const pooled = summarize(atlasMetric('stop_p99_pooled_s'), design, seeds, stops);
        if (pooled.mean !== null) {
          means.get(name)?.get(design)?.set('stop_p99_pooled_s', pooled.mean);
          pooledChecks.push({ design, atlas: pooled.mean, query: Number(windows.find((row) => row.design === design)?.p99_s) });
        }
      }
    } finally {
      analysis.close();
    }
  }
}, 600_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("every atlas metric's better direction, checked on runs", () => {
  it("one definition per name: the atlas's pooled p99 runtime stop is revocation_window's p99_s, design by design", () => {
    expect(pooledChecks.length).toBeGreaterThanOrEqual(4);
    for (const check of pooledChecks) expect(check.atlas, check.design).toBeCloseTo(check.query, 6);
  });

  it('every metric of the catalogue has evidence', () => {
    expect(ATLAS_METRICS.map((metric) => metric.name).filter((name) => !(name in EVIDENCE))).toEqual([]);
  });

  for (const metric of ATLAS_METRICS) {
    it(`${metric.name}: ${metric.better} is better`, () => {
      const evidence = EVIDENCE[metric.name];
      if (!evidence) throw new Error(`no evidence for ${metric.name}`);
      if ('none' in evidence) {
        expect(metric.better).toBe('none');
        if (evidence.none.counted) expect(meanOf(evidence.sweep, evidence.none.counted, metric.name)).toBeGreaterThan(0);
        // A descriptive count with a plausible direction gets a contradiction each way.
        for (const [fewer, more, harm] of evidence.none.againstLower) {
          expect(meanOf(evidence.sweep, fewer, metric.name)).toBeLessThan(meanOf(evidence.sweep, more, metric.name));
          expect(meanOf(evidence.sweep, fewer, harm)).toBeGreaterThan(meanOf(evidence.sweep, more, harm));
        }
        for (const [fewer, more, harm] of evidence.none.againstHigher) {
          expect(meanOf(evidence.sweep, fewer, metric.name)).toBeLessThan(meanOf(evidence.sweep, more, metric.name));
          expect(meanOf(evidence.sweep, fewer, harm)).toBeLessThan(meanOf(evidence.sweep, more, harm));
        }
        return;
      }
      const worse = meanOf(evidence.sweep, evidence.worse, metric.name);
      const better = meanOf(evidence.sweep, evidence.better, metric.name);
      if (metric.better === 'lower') expect(worse, evidence.because).toBeGreaterThan(better);
      else expect(worse, evidence.because).toBeLessThan(better);
    });
  }
});

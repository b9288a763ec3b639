import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Analysis, type Row } from '../../analysis/database.ts';
import { ingestAnalysis } from '../../analysis/ingest.ts';
import { analysisIsCurrent } from '../../analysis/ingested-record.ts';
import { viewDefinitions } from '../../analysis/queries.ts';
import { discoverRuns } from '../../analysis/run-folders.ts';
import type { RunManifest } from '../../sim/run.ts';
import { SCENARIOS } from '../helpers.ts';
import { buildSweep } from './fixtures.ts';

const SIZING = join(SCENARIOS, 'token-lifetime-sizing.yaml');
const GRID = ['tokens.auth_ttl=2m,20m', 'topology.resources[ledger].revocation.mode=none,push,introspect'];
const SEEDS = [1, 2, 3];

let dir: string;
let analysis: Analysis;

type RunRecord = { run_id: string; manifest: RunManifest; events: Array<Record<string, unknown>> };
let cached: RunRecord[] | undefined;

/** Every run's manifest and parsed log, read once: the independent record the SQL is checked against. */
function manifests(): RunRecord[] {
  cached ??= discoverRuns(dir).runs.map((run) => ({
    run_id: run.run_id,
    manifest: JSON.parse(readFileSync(join(dir, run.run_id, 'manifest.json'), 'utf8')) as RunManifest,
    events: readFileSync(run.events_path, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>),
  }));
  return cached;
}

beforeAll(async () => {
  // Shared by every test of the file (the helper's tempDir lasts one test).
  dir = join(mkdtempSync(join(tmpdir(), 'missionbench-analysis-')), 'sweep');
  buildSweep(SIZING, GRID, SEEDS, dir);
  await ingestAnalysis(discoverRuns(dir), viewDefinitions());
  analysis = await Analysis.open(dir);
});

afterAll(() => {
  analysis?.close();
  rmSync(join(dir, '..'), { recursive: true, force: true });
});

describe('ingest', () => {
  it('writes Parquet partitioned by the grid axes, and records what it was built from', () => {
    const ttl = readdirSync(join(dir, 'analysis', 'parquet', 'events')).sort();
    expect(ttl).toEqual(['tokens_auth_ttl=20m', 'tokens_auth_ttl=2m']);
    const modes = readdirSync(join(dir, 'analysis', 'parquet', 'events', 'tokens_auth_ttl=2m')).sort();
    expect(modes).toEqual([
      'topology_resources_ledger_revocation_mode=introspect',
      'topology_resources_ledger_revocation_mode=none',
      'topology_resources_ledger_revocation_mode=push',
    ]);
    expect(readdirSync(join(dir, 'analysis', 'parquet', 'events', 'tokens_auth_ttl=2m', modes[0] as string)).every((file) => file.endsWith('.parquet'))).toBe(
      true,
    );
    expect(analysisIsCurrent(discoverRuns(dir))).toBe(true);
  });

  it('keeps every event of every run', async () => {
    const rows = await analysis.query('runs');
    const runs = manifests();
    expect(rows.map((row) => row.run_id)).toEqual(runs.map((run) => run.run_id));
    expect(rows.map((row) => row.events)).toEqual(runs.map((run) => run.manifest.events));
    expect(rows.map((row) => row.seed)).toEqual(runs.map((run) => run.manifest.seed));
  });
});

describe('revocation window, defined in SQL', () => {
  it('agrees, mission by mission, with what each run computed as it ran', async () => {
    const byDesign = new Map<string, number[]>();
    let missions = 0;
    for (const { run_id, manifest } of manifests()) {
      for (const outcome of manifest.summary.missions ?? []) {
        if (outcome.terminated_at_s === null) continue;
        missions++;
        const design = discoverRuns(dir).runs.find((run) => run.run_id === run_id)?.design as string;
        byDesign.set(design, [...(byDesign.get(design) ?? []), outcome.revocation_window_s as number]);
      }
    }
    expect(missions).toBe(6 * 3 * 12);
    const rows = await analysis.query('revocation_window');
    expect(rows).toHaveLength(6);
    for (const row of rows) {
      const windows = (byDesign.get(row.design as string) as number[]).sort((a, b) => a - b);
      expect(row.missions).toBe(windows.length);
      expect(row.max_s).toBeCloseTo(windows[windows.length - 1] as number, 6);
      // quantile_cont: linear interpolation between order statistics.
      const at = (q: number) => {
        const h = (windows.length - 1) * q;
        const lo = Math.floor(h);
        return (windows[lo] as number) + (h - lo) * ((windows[Math.min(lo + 1, windows.length - 1)] as number) - (windows[lo] as number));
      };
      expect(row.p50_s).toBeCloseTo(at(0.5), 6);
      expect(row.p99_s).toBeCloseTo(at(0.99), 6);
    }
  });

  it('counts operations and irreversible operations after termination as the runs did', async () => {
    const none = (await analysis.query('revocation_window')).find(
      (row) => (row.design as string).endsWith('mode=none') && (row.design as string).includes('20m'),
    );
    const push = (await analysis.query('revocation_window')).find(
      (row) => (row.design as string).endsWith('mode=push') && (row.design as string).includes('20m'),
    );
    const sum = (design: string, field: 'operations_after_termination' | 'irreversible_after_termination') =>
      manifests()
        .filter(({ run_id }) => discoverRuns(dir).runs.find((run) => run.run_id === run_id)?.design === design)
        .reduce((total, { manifest }) => total + (manifest.summary.missions ?? []).reduce((s, m) => s + m[field], 0), 0);
    expect(none?.ops_after).toBe(sum(none?.design as string, 'operations_after_termination'));
    expect(none?.irreversible_after).toBe(sum(none?.design as string, 'irreversible_after_termination'));
    expect(none?.ops_after as number).toBeGreaterThan(0);
    expect(push?.ops_after).toBe(sum(push?.design as string, 'operations_after_termination'));
    // TTL only: no resource is ever told; push: every terminated mission's resource is.
    expect(none?.notified).toBe(0);
    expect(push?.notified).toBe(push?.missions);
    expect(push?.p99_s as number).toBeLessThan(none?.p99_s as number);
  });
});

describe('load', () => {
  it('counts PS token requests and status checks per simulated second from the log', async () => {
    const rows = await analysis.query('load');
    for (const row of rows) {
      const runs = manifests().filter(({ run_id }) => discoverRuns(dir).runs.find((run) => run.run_id === run_id)?.design === row.design);
      const rate = (types: string[]) =>
        runs.reduce(
          (sum, { events, manifest }) => sum + events.filter((event) => types.includes(event.type as string)).length / (manifest.horizon_us / 1e6),
          0,
        ) / runs.length;
      expect(row.runs).toBe(3);
      expect(row.ps_token_rps).toBeCloseTo(rate(['token.auth_granted', 'token.auth_denied', 'ps.overloaded']), 9);
      expect(row.ps_load_rps).toBeCloseTo(rate(['token.auth_granted', 'token.auth_denied', 'ps.overloaded', 'revocation.status_check']), 9);
    }
    const introspect = rows.find((row) => (row.design as string).includes('2m') && (row.design as string).endsWith('introspect'));
    const none = rows.find((row) => (row.design as string).includes('2m') && (row.design as string).endsWith('none'));
    expect(introspect?.status_checks as number).toBeGreaterThan(0);
    expect(none?.status_checks).toBe(0);
    // Shorter tokens cost more token requests.
    const long = rows.find((row) => (row.design as string).includes('20m') && (row.design as string).endsWith('none'));
    expect(none?.ps_token_rps as number).toBeGreaterThan(long?.ps_token_rps as number);
  });
});

describe('replications', () => {
  it('gives each metric its mean and a 95% interval across seeds that stays in its range, naming the method', async () => {
    const rows = await analysis.query('replications');
    const row = rows.find((r) => r.metric === 'ps_token_rps' && (r.design as string).includes('2m') && (r.design as string).endsWith('none')) as Row;
    const values = manifests()
      .filter(({ run_id }) => discoverRuns(dir).runs.find((run) => run.run_id === run_id)?.design === row.design)
      .map(
        ({ events, manifest }) =>
          events.filter((e) => ['token.auth_granted', 'token.auth_denied', 'ps.overloaded'].includes(e.type as string)).length / (manifest.horizon_us / 1e6),
      );
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
    expect(row.n).toBe(3);
    expect(row.mean).toBeCloseTo(mean, 9);
    expect(row.sd).toBeCloseTo(sd, 9);
    expect(row.interval_method).toBe('bootstrap-bca');
    expect(row.ci95_low as number).toBeGreaterThanOrEqual(Math.min(...values) - 1e-12);
    expect(row.ci95_high as number).toBeLessThanOrEqual(Math.max(...values) + 1e-12);
    expect(row).not.toHaveProperty('run_values');
    // Every row: a named method; bounds exactly when there is one, never below zero (every run metric is a count, duration or rate).
    const methods = new Set(['bootstrap-bca', 'wilson', 'none: one run', 'none: the same value in every run']);
    for (const each of rows) {
      expect(methods.has(each.interval_method as string)).toBe(true);
      const none = (each.interval_method as string).startsWith('none');
      expect(each.ci95_low === null).toBe(none);
      if (!none) {
        expect(each.ci95_low as number).toBeGreaterThanOrEqual(0);
        expect(each.ci95_high as number).toBeGreaterThanOrEqual(each.ci95_low as number);
      }
    }
    // The fixture has metrics whose t-interval would leave the range (a count that is 0 in most runs).
    expect(
      rows.some((each) => each.interval_method === 'bootstrap-bca' && (each.mean as number) - (4.303 * (each.sd as number)) / Math.sqrt(each.n as number) < 0),
    ).toBe(true);
    const metrics = new Set(rows.map((r) => r.metric));
    for (const metric of [
      'revocation_window_p99_s',
      'ops_after_termination',
      'irreversible_after_termination',
      'ps_token_rps',
      'ps_load_rps',
      'revocation_calls',
      'person_interactions',
    ]) {
      expect(metrics.has(metric)).toBe(true);
    }
  });
});

describe("the architect's question", () => {
  it('marks the designs within both bounds, and exactly the undominated ones as the trade-off curve', async () => {
    const rows = await analysis.query('architect', { max_p99_stop_s: 30, max_ps_rps: 0.2 });
    expect(rows).toHaveLength(6);
    for (const row of rows) {
      expect(row.meets).toBe((row.p99_stop_s as number) <= 30 && (row.ps_load_rps as number) <= 0.2);
      const dominated = rows.some(
        (other) =>
          other !== row &&
          (other.p99_stop_s as number) <= (row.p99_stop_s as number) &&
          (other.ps_load_rps as number) <= (row.ps_load_rps as number) &&
          ((other.p99_stop_s as number) < (row.p99_stop_s as number) || (other.ps_load_rps as number) < (row.ps_load_rps as number)),
      );
      expect(row.pareto).toBe(!dominated);
    }
    expect(rows.some((row) => row.pareto)).toBe(true);
    // TTL-only with long tokens stops late; push stops at once for the same PS load.
    const none20 = rows.find((row) => (row.design as string).includes('20m') && (row.design as string).endsWith('none'));
    expect(none20?.meets).toBe(false);
  });

  it('refuses missing, unknown or non-numeric parameters', async () => {
    await expect(analysis.query('architect', { max_p99_stop_s: 30 })).rejects.toThrow(/missing parameter max_ps_rps/);
    await expect(analysis.query('architect', { max_p99_stop_s: 30, max_ps_rps: 'lots' })).rejects.toThrow(/expects a number/);
    await expect(analysis.query('architect', { max_p99_stop_s: 30, max_ps_rps: 1, x: 1 })).rejects.toThrow(/unknown parameter x/);
    await expect(analysis.query('drop table runs')).rejects.toThrow(/no query named/);
  });
});

import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSweep } from '../../cli/sweep/run-sweep.ts';
import { ensureRunLogs, RegenerateError } from '../../sim/regenerate-logs.ts';
import { runScenario } from '../../sim/run.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import { parseGridAxis, planSweep } from '../../sim/sweep/plan.ts';
import { SCENARIOS, tempDir } from '../helpers.ts';

/**
 * Issue 19 item 2: a sweep writes its runs' Parquet files, manifests and
 * fingerprints but no JSONL logs (unless --logs), and a command that needs
 * a log regenerates it from the manifest, byte for byte, or refuses.
 */
const BIN = new URL('../../bin/missionbench.mjs', import.meta.url).pathname;

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A short grid for each scenario: the queueing ones over two durations, the rest over their seed alone. */
function gridOf(name: string): string[] {
  return name === 'mm1' || name === 'mmc' ? ['duration=1h,2h'] : [];
}

const scenarios = readdirSync(SCENARIOS)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.slice(0, -'.yaml'.length))
  .sort();

describe('sweep without --logs: every scenario regenerates byte-identical logs', () => {
  it.each(scenarios)('%s', async (name) => {
    const file = join(SCENARIOS, `${name}.yaml`);
    const out = join(tempDir(), 'sweep');
    const axes = gridOf(name).map(parseGridAxis);
    await runSweep({ scenarioFile: file, axes, seeds: [1], overrides: [], outDir: out, workers: 2, resume: false });
    const plan = planSweep(axes, [1]);
    expect(plan.length).toBeGreaterThan(0);
    for (const run of plan) {
      const folder = join(out, run.id);
      // Nothing was written, so nothing needs deleting.
      expect(readdirSync(folder).sort()).toEqual(['events.parquet', 'log-files.json', 'manifest.json', 'truth.parquet']);
      expect(ensureRunLogs(folder)).toMatch(/regenerated events\.jsonl and truth\.jsonl/);
      const plain = join(tempDir(), 'plain');
      const manifest = runScenario(loadScenario(file, run.overrides), { seed: run.seed, outDir: plain });
      expect(readFileSync(join(folder, 'events.jsonl')).equals(readFileSync(join(plain, 'events.jsonl'))), `${run.id} events.jsonl`).toBe(true);
      expect(readFileSync(join(folder, 'truth.jsonl')).equals(readFileSync(join(plain, 'truth.jsonl'))), `${run.id} truth.jsonl`).toBe(true);
      expect(JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')).fingerprint).toBe(manifest.fingerprint);
      // Already there: nothing to do the second time.
      expect(ensureRunLogs(folder)).toBeUndefined();
    }
  });
});

describe("regenerating a sweep run's logs through the CLI", () => {
  /** A sweep of a copy of a scenario (so the test can change the scenario file), two short runs. */
  function sweepOfCopy(extra: string[] = [], name = 'mm1') {
    const dir = tempDir();
    const scenario = join(dir, `${name}.yaml`);
    copyFileSync(join(SCENARIOS, `${name}.yaml`), scenario);
    const out = join(dir, 'sweep');
    const swept = cli('sweep', scenario, '--grid', 'duration=30m,1h', '--seeds', '1', '--workers', '2', '--out', out, ...extra);
    expect(swept.stderr).not.toMatch(/Error/);
    expect(swept.code).toBe(0);
    return { scenario, out, run: join(out, 'runs', 'duration=1h', 'seed=1'), other: join(out, 'runs', 'duration=30m', 'seed=1') };
  }

  it('verify and replay regenerate the log, the same bytes as a plain run and as --logs writes', () => {
    const { scenario, run } = sweepOfCopy();
    expect(existsSync(join(run, 'events.jsonl'))).toBe(false);
    const verified = cli('verify', run);
    expect(verified.code).toBe(0);
    expect(verified.stderr).toMatch(
      /swept without --logs: regenerated events\.jsonl and truth\.jsonl from its manifest \(seed 1, duration=1h\); fingerprint matches/,
    );
    expect(verified.stdout).toMatch(/^ok: \d+ events, chain intact, sealed/);
    const plain = join(tempDir(), 'plain');
    expect(cli('run', scenario, '--seed', '1', '--set', 'duration=1h', '--out', plain).code).toBe(0);
    expect(readFileSync(join(run, 'events.jsonl')).equals(readFileSync(join(plain, 'events.jsonl')))).toBe(true);
    expect(readFileSync(join(run, 'truth.jsonl')).equals(readFileSync(join(plain, 'truth.jsonl')))).toBe(true);
    const logged = sweepOfCopy(['--logs']);
    expect(readFileSync(join(logged.run, 'events.jsonl')).equals(readFileSync(join(plain, 'events.jsonl')))).toBe(true);

    const other = join(run, '..', '..', 'duration=30m', 'seed=1');
    const replayed = cli('replay', other);
    expect(replayed.code).toBe(0);
    expect(replayed.stderr).toMatch(/regenerated events\.jsonl/);
    expect(replayed.stdout).toMatch(/^checked: \d+ events, chain intact, sealed/);
  });

  it('refuses, in one line and writing nothing, when the scenario file changed since the run', () => {
    const { scenario, run } = sweepOfCopy();
    appendFileSync(scenario, '\n# edited after the sweep\n');
    const refused = cli('verify', run);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(
      /cannot regenerate the log of .*seed=1 \(swept without --logs\): its scenario file .*mm1\.yaml changed since the run \(SHA-256 [0-9a-f]{64}, the manifest says [0-9a-f]{64}\)/,
    );
    expect(readdirSync(run).sort()).toEqual(['events.parquet', 'log-files.json', 'manifest.json', 'truth.parquet']);
  });

  it("refuses when the regenerated fingerprint differs from the manifest's, and leaves nothing behind", () => {
    const { run } = sweepOfCopy();
    const manifestPath = join(run, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, fingerprint: 'f'.repeat(64) }));
    expect(() => ensureRunLogs(run)).toThrow(RegenerateError);
    expect(() => ensureRunLogs(run)).toThrow(
      /the regenerated log \(\d+ events, fingerprint [0-9a-f]{64}\) differs from the manifest's \(\d+ events, fingerprint f{64}\)/,
    );
    expect(readdirSync(run).sort()).toEqual(['events.parquet', 'log-files.json', 'manifest.json', 'truth.parquet']);
  });

  // travel-booking, not mm1: its runs make HTTP calls, so the export has records to compare.
  it('export regenerates the log and writes the same bytes as export of a run swept with --logs', () => {
    const { run, other } = sweepOfCopy([], 'travel-booking');
    const logged = sweepOfCopy(['--logs'], 'travel-booking');
    const dir = tempDir();
    const exportOf = (target: string, file: string) => {
      const out = join(dir, file);
      const exported = cli('export', target, '--format', 'aauth-call', '--out', out);
      expect(exported.stderr).not.toMatch(/Error|cannot/);
      expect(exported.code).toBe(0);
      expect(exported.stdout).toMatch(/^exported [1-9]\d* aauth\.call records/);
      return { bytes: readFileSync(out), stderr: exported.stderr };
    };
    // The run folder, and (as the auditor typed it) the events.jsonl it does not hold yet.
    for (const { swept, target, withLogs } of [
      { swept: run, target: run, withLogs: logged.run },
      { swept: other, target: join(other, 'events.jsonl'), withLogs: logged.other },
    ]) {
      expect(existsSync(join(swept, 'events.jsonl'))).toBe(false);
      const regenerated = exportOf(target, 'regenerated.jsonl');
      expect(regenerated.stderr).toMatch(
        /swept without --logs: regenerated events\.jsonl and truth\.jsonl from its manifest \(seed 1, duration=\w+\); fingerprint matches/,
      );
      const fromLog = exportOf(withLogs, 'logged.jsonl');
      expect(fromLog.stderr).toBe('');
      expect(regenerated.bytes.equals(fromLog.bytes)).toBe(true);
    }
  });

  it("export refuses when the regenerated fingerprint differs from the manifest's, and writes nothing", () => {
    const { run } = sweepOfCopy([], 'travel-booking');
    const copy = join(tempDir(), 'copy');
    cpSync(run, copy, { recursive: true });
    const manifestPath = join(copy, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, fingerprint: 'f'.repeat(64) }));
    const outDir = tempDir();
    const refused = cli('export', copy, '--format', 'aauth-call', '--out', join(outDir, 'export.jsonl'));
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(
      /cannot regenerate the log of .*copy \(swept without --logs\): the regenerated log \(\d+ events, fingerprint [0-9a-f]{64}\) differs from the manifest's \(\d+ events, fingerprint f{64}\)/,
    );
    expect(readdirSync(outDir)).toEqual([]);
    expect(readdirSync(copy).sort()).toEqual(['events.parquet', 'log-files.json', 'manifest.json', 'truth.parquet']);
  });
});

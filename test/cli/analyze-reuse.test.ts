import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flipMiddleByte, tempDir } from '../helpers.ts';

const BIN = new URL('../../bin/missionbench.mjs', import.meta.url).pathname;

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const SWEEP = ['sweep', 'mm1', '--set', 'duration=2m', '--grid', 'topology.resources[0].queue.servers=1,2', '--seeds', '1..2', '--workers', '1'];
const ARCHITECT = ['--query', 'architect', '--param', 'max_p99_stop_s=120', '--param', 'max_ps_rps=0.2'];
const UP_TO_DATE = 'analysis up to date (no run changed since it was checked)';

/** analysis.duckdb as a file: the ingest builds a new one in a hidden folder and renames it in, so a rebuild is a new inode. */
function databaseFile(sweep: string): string {
  const stat = statSync(join(sweep, 'analysis', 'analysis.duckdb'), { bigint: true });
  return `${stat.ino}:${stat.mtimeNs}`;
}

/** Runs `analyze` (with `extra`) and says whether it reused the analysis, checking the message against the file. */
function analyze(sweep: string, ...extra: string[]): 'reused' | 'ingested' {
  const before = databaseFile(sweep);
  const result = cli('analyze', sweep, ...extra);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const reused = result.stdout.includes(UP_TO_DATE);
  expect(reused).toBe(databaseFile(sweep) === before);
  if (!reused) expect(result.stdout).toMatch(/ingested in \d/);
  return reused ? 'reused' : 'ingested';
}

/** The metric tables `analyze` printed: everything after its summary and check lines. */
function tables(stdout: string): string {
  return stdout.slice(stdout.indexOf('\n\n'));
}

describe('an analysis of a sweep without --logs is reused until a run changes', () => {
  it('reuses it although the ingest hard-linked the Parquet files; a re-swept run, or a Parquet file edited in place, makes it stale once', () => {
    const sweep = join(tempDir(), 'sweep');
    expect(cli(...SWEEP, '--out', sweep).code).toBe(0);
    const first = cli('analyze', sweep);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('ingested in');
    expect(first.stdout).toContain("4 of 4 runs' events and 4 of 4 runs' truth from their Parquet files");
    // The ingest linked every Parquet file into the analysis (their change time and link count moved): still up to date.
    const run = join(sweep, 'runs', 'topology_resources_0_queue_servers=1', 'seed=2');
    expect(statSync(join(run, 'events.parquet')).nlink).toBe(2);
    expect(analyze(sweep)).toBe('reused');
    expect(analyze(sweep, ...ARCHITECT)).toBe('reused');

    // Re-swept: the run's folder is made again (new files), its manifest the same.
    rmSync(run, { recursive: true });
    expect(cli(...SWEEP, '--out', sweep, '--resume').code).toBe(0);
    expect(analyze(sweep, ...ARCHITECT)).toBe('ingested');
    expect(analyze(sweep, ...ARCHITECT)).toBe('reused');

    // A manifest edited (its fingerprint kept): what the runs table holds from it changed.
    const manifestPath = join(sweep, 'runs', 'topology_resources_0_queue_servers=2', 'seed=2', 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, horizon_us: manifest.horizon_us * 2 }));
    expect(analyze(sweep)).toBe('ingested');
    expect(analyze(sweep)).toBe('reused');

    // One byte of a Parquet file changed in place: the same inode and size, a new modification time.
    flipMiddleByte(join(sweep, 'runs', 'topology_resources_0_queue_servers=2', 'seed=1', 'events.parquet'));
    const stale = cli('analyze', sweep);
    expect(stale.stdout).toContain('ingested in');
    // The file is no longer the one the run wrote: that run's logs are regenerated and parsed.
    expect(stale.stdout).toContain("regenerated from their manifests (the simulator reproduced each manifest's fingerprint): 1");
    // ... and the changed file is not taken: the summary counts that table as parsed from its run's logs, and says why.
    expect(stale.stdout).toContain(
      "3 of 4 runs' events and 4 of 4 runs' truth from their Parquet files; 1 table parsed from its run's logs: runs/topology_resources_0_queue_servers=2/seed=1/events.parquet is not the file the run wrote",
    );
    // The logs the ingest regenerated are recorded as it wrote them: the next call reuses the analysis.
    expect(analyze(sweep)).toBe('reused');
  });
});

describe('an analysis of a sweep with --logs is reused until a run, or a Parquet file it took in, changes', () => {
  it("reuses it although the ingest hard-linked the Parquet files; an events.parquet changed in place makes it stale once, and the answer is the undamaged sweep's", () => {
    const sweep = join(tempDir(), 'sweep');
    expect(cli(...SWEEP, '--logs', '--out', sweep).code).toBe(0);
    const first = cli('analyze', sweep);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("4 of 4 runs' events and 4 of 4 runs' truth from their Parquet files");
    const run = join(sweep, 'runs', 'topology_resources_0_queue_servers=2', 'seed=1');
    // The analysis holds a hard link to the run's file (its change time and link count moved): still up to date.
    expect(statSync(join(run, 'events.parquet')).nlink).toBe(2);
    expect(analyze(sweep)).toBe('reused');

    // The analysis's link is this very file: reused, it would answer from the changed bytes.
    flipMiddleByte(join(run, 'events.parquet'));
    const stale = cli('analyze', sweep);
    expect(stale.code).toBe(0);
    expect(stale.stdout).not.toContain(UP_TO_DATE);
    expect(stale.stdout).toContain(
      "3 of 4 runs' events and 4 of 4 runs' truth from their Parquet files; 1 table parsed from its run's logs: runs/topology_resources_0_queue_servers=2/seed=1/events.parquet is not the file the run wrote",
    );
    // The run has its logs: nothing is regenerated, it is parsed from them.
    expect(stale.stdout).not.toContain('regenerated from their manifests');
    expect(tables(stale.stdout)).toBe(tables(first.stdout));
    // The changed file was not taken, and nothing changed since: the next call reuses the analysis.
    expect(analyze(sweep)).toBe('reused');

    // The byte put back: the file is again the one the run wrote (by its SHA-256: its stat moved), so the
    // analysis is stale once, takes it in again and no longer says it was refused; then it is reused.
    flipMiddleByte(join(run, 'events.parquet'));
    const restored = cli('analyze', sweep);
    expect(restored.stdout).not.toContain(UP_TO_DATE);
    expect(restored.stdout).toContain("4 of 4 runs' events and 4 of 4 runs' truth from their Parquet files");
    expect(restored.stdout).not.toContain('not the file the run wrote');
    expect(tables(restored.stdout)).toBe(tables(first.stdout));
    expect(analyze(sweep)).toBe('reused');
  });
});

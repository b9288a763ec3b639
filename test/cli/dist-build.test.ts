import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunPool, SWEEP_WORKER_SCRIPT } from '../../cli/sweep/pool.ts';
import { runScenario } from '../../sim/run.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import { DIST, staleReason } from '../../scripts/build.mjs';
import { SCENARIOS, tempDir } from '../helpers.ts';

const BIN = new URL('../../bin/missionbench.mjs', import.meta.url).pathname;

describe('the one build (dist/)', () => {
  it('is current before the tests run (vitest global set-up), and the CLI starts from it without rebuilding', () => {
    expect(staleReason('node')).toBeUndefined();
    expect(staleReason('web')).toBeUndefined();
    const result = spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version);
    // Nothing on stderr: no "building dist/" line, no loader warnings.
    expect(result.stderr).toBe('');
  });

  it('keeps no names: no keep-names helper in any built file', () => {
    const built = readdirSync(DIST).filter((file) => file.endsWith('.js'));
    expect(built).toContain('sweep-worker.js');
    for (const file of built) expect(readFileSync(join(DIST, file), 'utf8'), file).not.toMatch(/\b__name\(/);
  });

  it('runs a sweep from dist/ whose logs and Parquet files are byte-identical to runs in process from the sources', async () => {
    expect(SWEEP_WORKER_SCRIPT.pathname).toBe(join(DIST, 'sweep-worker.js'));
    const scenarios = ['emergency-three-tier.yaml', 'due-diligence-drift.yaml', 'law-firm-cross-domain.yaml', 'token-lifetime-sizing.yaml'];
    const root = tempDir();
    const loaded = scenarios.map((file) => loadScenario(join(SCENARIOS, file)));
    const fingerprints: Record<number, string> = {};
    // As a sweep runs them: with the analysed columns written as Parquet beside the logs.
    const columns = (index: number) => ({ events: [['run_id', `run-${index}`] as [string, string]], truth: [['run_id', `run-${index}`] as [string, string]] });
    await new RunPool(2).run(
      loaded.map((scenario, index) => ({ index, scenario, seed: 3, outDir: join(root, 'dist', String(index)), columns: columns(index) })),
      { onDone: (reply) => (fingerprints[reply.index] = reply.fingerprint) },
    );
    loaded.forEach((scenario, index) => {
      const manifest = runScenario(scenario, { seed: 3, outDir: join(root, 'sources', String(index)), columns: columns(index) });
      expect(fingerprints[index], scenarios[index]).toBe(manifest.fingerprint);
      for (const file of ['events.jsonl', 'truth.jsonl', 'events.parquet', 'truth.parquet']) {
        const fromDist = readFileSync(join(root, 'dist', String(index), file));
        expect(fromDist.equals(readFileSync(join(root, 'sources', String(index), file))), `${scenarios[index]} ${file}`).toBe(true);
      }
    });
  });
});

describe("the build's native line hasher (native/line-sha256.c)", () => {
  // The build looks for node's C headers first: without them it says so and compiles nothing.
  const headers = existsSync(join(dirname(process.execPath), '..', 'include', 'node', 'node_api.h'));
  it.skipIf(!headers)('is compiled into dist/native/ with a C compiler, and the build goes on without one, saying why', async () => {
    const { buildNativeLineSha256 } = await import('../../scripts/build.mjs');
    const said: string[] = [];
    const say = (line: string) => said.push(line);
    const dist = tempDir();
    expect(buildNativeLineSha256({ dist, compiler: join(dist, 'no-such-cc'), say })).toEqual([]);
    expect(said.join('')).toMatch(/native line hasher was not built \(no C compiler: .*no-such-cc not found\).*node:crypto/);
    expect(filesIn(join(dist, 'native'))).toEqual([]);
    if (spawnSync('cc', ['--version']).status !== 0) return;
    expect(buildNativeLineSha256({ dist, say })).toEqual(['native/line-sha256.node']);
    expect(filesIn(join(dist, 'native'))).toEqual(['line-sha256.node']);
    // A compiler that fails: the build still goes on, and no half-made file is left.
    said.length = 0;
    expect(buildNativeLineSha256({ dist, compiler: 'false', say })).toEqual([]);
    expect(said.join('')).toMatch(/not built \(false failed: Command failed/);
    expect(filesIn(join(dist, 'native'))).toEqual([]);
    // A CC of several words (a wrapper, a flag) is a command and its arguments.
    said.length = 0;
    expect(buildNativeLineSha256({ dist, compiler: 'cc -O1', say })).toEqual(['native/line-sha256.node']);
    expect(said).toEqual([]);
  });
});

/** The names of the files in `dir`, none if it is not there. */
function filesIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}

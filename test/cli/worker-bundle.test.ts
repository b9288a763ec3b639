import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RunPool } from '../../cli/sweep/pool.ts';
import { currentSweepWorkerBundle, sweepWorkerScript, TSX_WORKER_ENTRY } from '../../cli/sweep/worker-bundle.ts';
import { runScenario } from '../../sim/run.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import { SCENARIOS, tempDir } from '../helpers.ts';

describe('the sweep worker bundle', () => {
  it('is built once and reused until a source it holds changes', async () => {
    const script = await sweepWorkerScript();
    expect(script.href).not.toBe(TSX_WORKER_ENTRY.href);
    const bundle = fileURLToPath(script);
    expect(readFileSync(bundle, 'utf8')).toContain('function runScenario');
    const inputsFile = bundle.replace(/\.mjs$/, '.inputs.json');
    const record = JSON.parse(readFileSync(inputsFile, 'utf8')) as { key: string; sources: Array<[string, number, number]> };
    expect(record.sources.map(([path]) => path)).toContain('sim/run.ts');

    const built = statSync(bundle).mtimeMs;
    expect((await sweepWorkerScript()).href).toBe(script.href);
    expect(statSync(bundle).mtimeMs).toBe(built);

    // A source whose modification time no longer matches: the bundle is built again.
    const [first, ...rest] = record.sources;
    writeFileSync(inputsFile, JSON.stringify({ key: record.key, sources: [[first![0], first![1], first![2] - 1000], ...rest] }));
    expect(currentSweepWorkerBundle()).toBeUndefined();
    await sweepWorkerScript();
    expect(JSON.parse(readFileSync(inputsFile, 'utf8'))).toEqual(record);
    // Built by another build (another esbuild, options or project folder): built again.
    writeFileSync(inputsFile, JSON.stringify({ ...record, key: 'another build' }));
    expect(currentSweepWorkerBundle()).toBeUndefined();
    await sweepWorkerScript();
    expect(currentSweepWorkerBundle()?.href).toBe(script.href);
  });

  it('runs write byte-identical logs and Parquet files from the bundle and from the sources', async () => {
    const scenarios = ['emergency-three-tier.yaml', 'due-diligence-drift.yaml', 'law-firm-cross-domain.yaml', 'token-lifetime-sizing.yaml'];
    const root = tempDir();
    const loaded = scenarios.map((file) => loadScenario(join(SCENARIOS, file)));
    const fingerprints: Record<number, string> = {};
    // As a sweep runs them: with the analysed columns written as Parquet beside the logs.
    const columns = (index: number) => ({ events: [['run_id', `run-${index}`] as [string, string]], truth: [['run_id', `run-${index}`] as [string, string]] });
    await new RunPool(2).run(
      loaded.map((scenario, index) => ({ index, scenario, seed: 3, outDir: join(root, 'pool', String(index)), columns: columns(index) })),
      { onDone: (reply) => (fingerprints[reply.index] = reply.fingerprint) },
    );
    loaded.forEach((scenario, index) => {
      const manifest = runScenario(scenario, { seed: 3, outDir: join(root, 'here', String(index)), columns: columns(index) });
      expect(fingerprints[index], scenarios[index]).toBe(manifest.fingerprint);
      for (const file of ['truth.jsonl', 'events.parquet', 'truth.parquet']) {
        expect(readFileSync(join(root, 'pool', String(index), file)).equals(readFileSync(join(root, 'here', String(index), file))), `${scenarios[index]} ${file}`).toBe(true);
      }
    });
  });
});

import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RunPool } from '../../cli/sweep/pool.ts';
import { sweepWorkerScript, TSX_WORKER_ENTRY } from '../../cli/sweep/worker-bundle.ts';
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
    const inputs = JSON.parse(readFileSync(inputsFile, 'utf8')) as Array<[string, number, number]>;
    expect(inputs.map(([path]) => path)).toContain(fileURLToPath(new URL('../../sim/run.ts', import.meta.url)));

    const built = statSync(bundle).mtimeMs;
    expect((await sweepWorkerScript()).href).toBe(script.href);
    expect(statSync(bundle).mtimeMs).toBe(built);

    // A source whose modification time no longer matches: the bundle is built again.
    const [first, ...rest] = inputs;
    writeFileSync(inputsFile, JSON.stringify([[first![0], first![1], first![2] - 1000], ...rest]));
    await sweepWorkerScript();
    expect(JSON.parse(readFileSync(inputsFile, 'utf8'))).toEqual(inputs);
  });

  it('runs write byte-identical logs from the bundle and from the sources', async () => {
    const scenarios = ['emergency-three-tier.yaml', 'due-diligence-drift.yaml', 'law-firm-cross-domain.yaml', 'token-lifetime-sizing.yaml'];
    const root = tempDir();
    const loaded = scenarios.map((file) => loadScenario(join(SCENARIOS, file)));
    const fingerprints: Record<number, string> = {};
    await new RunPool(2).run(
      loaded.map((scenario, index) => ({ index, scenario, seed: 3, outDir: join(root, 'pool', String(index)) })),
      { onDone: (reply) => (fingerprints[reply.index] = reply.fingerprint) },
    );
    loaded.forEach((scenario, index) => {
      const manifest = runScenario(scenario, { seed: 3, outDir: join(root, 'here', String(index)) });
      expect(fingerprints[index], scenarios[index]).toBe(manifest.fingerprint);
      expect(readFileSync(join(root, 'pool', String(index), 'truth.jsonl'), 'utf8')).toBe(readFileSync(join(root, 'here', String(index), 'truth.jsonl'), 'utf8'));
    });
  });
});

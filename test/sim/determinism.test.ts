import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../sim/run.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import { readLines, SCENARIOS, tempDir, writeScenario } from '../helpers.ts';

const BIN = new URL('../../bin/missionbench.mjs', import.meta.url).pathname;

const serviceTime = fc.constantFrom(
  'exp(2s)',
  'uniform(1s, 3s)',
  'lognormal(1s, 0.8)',
  'normal(2s, 500ms)',
  'choice(1s:3, 4s:1)',
  'empirical(1s, 2s, 7s)',
  '1500ms',
);
const resource = fc.record({
  servers: fc.integer({ min: 1, max: 3 }),
  capacity: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
  service: serviceTime,
});
const scenarioArbitrary = fc.record({
  resources: fc.array(resource, { minLength: 1, maxLength: 3 }),
  streams: fc.array(fc.record({ target: fc.nat(), interarrival: fc.constantFrom('exp(1s)', 'uniform(500ms, 2s)', 'exp(3s)') }), { minLength: 1, maxLength: 3 }),
});

interface GeneratedScenario {
  resources: Array<{ servers: number; capacity: number | undefined; service: string }>;
  streams: Array<{ target: number; interarrival: string }>;
}

function scenarioYaml(generated: GeneratedScenario): string {
  const resources = generated.resources
    .map(
      (r, i) =>
        `    - id: r${i}\n      queue:\n        servers: ${r.servers}\n${r.capacity ? `        capacity: ${r.capacity}\n` : ''}        service: ${r.service}\n`,
    )
    .join('');
  const streams = generated.streams
    .map((s, i) => `  - id: s${i}\n    resource: r${s.target % generated.resources.length}\n    interarrival: ${s.interarrival}\n`)
    .join('');
  return `name: generated\ndescription: generated\nduration: 2m\ntopology:\n  resources:\n${resources}workload:\n${streams}`;
}

function runToBytes(file: string, seed: number): Buffer {
  const out = join(tempDir(), 'run');
  runScenario(loadScenario(file), { seed, outDir: out });
  return readFileSync(join(out, 'events.jsonl'));
}

describe('determinism', () => {
  it('same scenario and seed give a byte-identical log (generated scenarios and seeds)', () => {
    fc.assert(
      fc.property(scenarioArbitrary, fc.nat(1_000_000), (generated, seed) => {
        const file = writeScenario(scenarioYaml(generated));
        const first = runToBytes(file, seed);
        expect(first.length).toBeGreaterThan(0);
        expect(runToBytes(file, seed).equals(first)).toBe(true);
      }),
      { numRuns: 25 },
    );
  });

  it('different seeds give different logs', () => {
    const file = writeScenario(
      scenarioYaml({ resources: [{ servers: 1, capacity: undefined, service: 'exp(2s)' }], streams: [{ target: 0, interarrival: 'exp(1s)' }] }),
    );
    expect(runToBytes(file, 1).equals(runToBytes(file, 2))).toBe(false);
  });

  it('a run in another process gives the same fingerprint', () => {
    const file = writeScenario(
      scenarioYaml({ resources: [{ servers: 2, capacity: 4, service: 'lognormal(1s, 1)' }], streams: [{ target: 0, interarrival: 'exp(700ms)' }] }),
    );
    const here = join(tempDir(), 'here');
    const local = runScenario(loadScenario(file), { seed: 7, outDir: here });
    const there = join(tempDir(), 'there');
    const printed = execFileSync(process.execPath, [BIN, 'run', file, '--seed', '7', '--out', there, '--json'], { encoding: 'utf8' });
    expect(JSON.parse(printed).fingerprint).toBe(local.fingerprint);
    expect(readFileSync(join(there, 'events.jsonl')).equals(readFileSync(join(here, 'events.jsonl')))).toBe(true);
  });

  it('authority runs (text noise, Cedar, federation) give the same events.jsonl and truth.jsonl in another process', () => {
    for (const [name, set] of [
      ['vendor-onboarding-chain', 'topology.person_servers[0].authority=text'],
      ['law-firm-cross-domain', 'topology.access_servers[0].trust=clarify'],
    ] as const) {
      const file = join(SCENARIOS, `${name}.yaml`);
      const here = join(tempDir(), 'here');
      const local = runScenario(loadScenario(file, [set]), { seed: 11, outDir: here });
      const there = join(tempDir(), 'there');
      const printed = JSON.parse(
        execFileSync(process.execPath, [BIN, 'run', file, '--seed', '11', '--set', set, '--out', there, '--json'], { encoding: 'utf8' }),
      );
      expect(printed.fingerprint).toBe(local.fingerprint);
      expect(printed.truth).toEqual(local.truth);
      expect(readFileSync(join(there, 'truth.jsonl')).equals(readFileSync(join(here, 'truth.jsonl')))).toBe(true);
    }
  });

  it("adding an unrelated entity leaves another entity's draws unchanged", () => {
    const base = { resources: [{ servers: 1, capacity: undefined, service: 'exp(2s)' }], streams: [{ target: 0, interarrival: 'exp(3s)' }] };
    // The extra resource and stream come first in the file, so creation order changes too.
    const withExtra = `${scenarioYaml(base)
      .replace('  resources:\n', '  resources:\n    - id: extra\n      queue:\n        servers: 1\n        service: exp(1s)\n')
      .replace('workload:\n', 'workload:\n  - id: extra-load\n    resource: extra\n    interarrival: exp(500ms)\n')}`;
    const alone = join(tempDir(), 'alone');
    const crowded = join(tempDir(), 'crowded');
    runScenario(loadScenario(writeScenario(scenarioYaml(base))), { seed: 3, outDir: alone });
    runScenario(loadScenario(writeScenario(withExtra)), { seed: 3, outDir: crowded });
    const strip = (dir: string) =>
      readLines(join(dir, 'events.jsonl'))
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((e) => e.actor === 'r0' || e.actor === 's0')
        .map(({ seq: _seq, prev: _prev, hash: _hash, ...rest }) => rest);
    const expected = strip(alone);
    expect(expected.length).toBeGreaterThan(50);
    expect(strip(crowded)).toEqual(expected);
    const extra = readLines(join(crowded, 'events.jsonl')).filter((line) => line.includes('"actor":"extra'));
    expect(extra.length).toBeGreaterThan(0);
  });
});

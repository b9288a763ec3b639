import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Benchmark, BenchResult } from './benchmark.ts';

// The child as built into dist/ (scripts/build.mjs), as the CLI runs.
const CHILD = new URL('../dist/bench-scenario-child.js', import.meta.url).pathname;
const SCENARIOS = new URL('../scenarios/', import.meta.url).pathname;

/** Runs a scenario end to end (log written to disk) in its own process; reports its figures. */
function runInChild(target: string, overrides: string[] = [], nodeFlags: string[] = []): BenchResult {
  const dir = mkdtempSync(join(tmpdir(), 'missionbench-bench-'));
  try {
    const output = execFileSync(process.execPath, [...nodeFlags, CHILD, target, join(dir, 'run'), ...overrides], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    return JSON.parse(output) as BenchResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const benchmarks: Benchmark[] = [
  {
    name: 'scenario.mm1',
    description: 'mm1 scenario end to end: simulation, hash-chained log written to disk',
    run: () => runInChild(join(SCENARIOS, 'mm1.yaml')),
  },
  {
    name: 'scenario.mm1.10M-events',
    description: 'a 10M-event mm1 run: peak resident memory while the log streams to disk',
    target: 'max_rss_mb < 300',
    run: () => runInChild(join(SCENARIOS, 'mm1.yaml'), ['duration=38d']),
  },
  {
    name: 'protocol.10k-agents',
    description: '10,000 agents (aauth-r11) over one simulated hour: audit events/s written to disk',
    target: '>= 0.3M audit events/s (issue 19), max_rss_mb < 500',
    // No heap flags: runScenario bounds V8's heap growth itself (sim/heap-growth.ts),
    // which keeps the peak under the target without a cap on the old space.
    run: () => runInChild('protocol:10000'),
  },
  {
    name: 'protocol.30k-agents',
    description: '30,000 agents (aauth-r11) over one simulated hour: peak resident memory',
    target: 'max_rss_mb < 500',
    run: () => runInChild('protocol:30000'),
  },
];

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Benchmark, BenchResult } from './benchmark.ts';

const CHILD = new URL('./scenario-child.ts', import.meta.url).pathname;
const SCENARIOS = new URL('../scenarios/', import.meta.url).pathname;

/**
 * V8 heap settings for the large protocol run. Its live data stays well
 * under 256 MB, but with V8's default limits the old space grows to several
 * times that before a full collection (peak RSS about 700 MB for 10,000
 * agents); capping it keeps the peak under the 500 MB target. A larger
 * young generation lets more of the per-event garbage die young, which
 * offsets most of the extra collections the cap costs.
 */
const PROTOCOL_HEAP_FLAGS = ['--max-old-space-size=320', '--max-semi-space-size=16'];

/** Runs a scenario end to end (log written to disk) in its own process; reports its figures. */
function runInChild(target: string, overrides: string[] = [], nodeFlags: string[] = []): BenchResult {
  const dir = mkdtempSync(join(tmpdir(), 'missionbench-bench-'));
  try {
    const output = execFileSync(process.execPath, [...nodeFlags, '--import', 'tsx', CHILD, target, join(dir, 'run'), ...overrides], {
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
    target: '>= 1M audit events/s, max_rss_mb < 500',
    run: () => runInChild('protocol:10000', [], PROTOCOL_HEAP_FLAGS),
  },
];

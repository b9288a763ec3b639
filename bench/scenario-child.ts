/**
 * Runs one scenario in a fresh process and prints one JSON line with its
 * figures, so that each benchmark's peak memory is its own.
 *   node dist/bench-scenario-child.js <scenario.yaml | protocol:N> <out-dir> [path=value ...]
 * (or from the sources: node --import tsx bench/scenario-child.ts ...)
 */
import { createHash } from 'node:crypto';
import { runScenario } from '../sim/run.ts';
import { loadScenario, type LoadedScenario } from '../sim/scenario/load.ts';
import { protocolLoadScenario } from './protocol-load.ts';

const [target = '', outDir = '', ...overrides] = process.argv.slice(2);

function load(): LoadedScenario {
  if (target.startsWith('protocol:')) {
    const spec = protocolLoadScenario(Number(target.slice('protocol:'.length)));
    return { file: target, sha256: createHash('sha256').update(JSON.stringify(spec)).digest('hex'), overrides: [], spec };
  }
  return loadScenario(target, overrides);
}

const loaded = load();
const started = process.hrtime.bigint();
const manifest = runScenario(loaded, { outDir });
const wallS = Number(process.hrtime.bigint() - started) / 1e9;
process.stdout.write(
  `${JSON.stringify({ events: manifest.events, wall_s: wallS, events_per_s: manifest.events / wallS, max_rss_mb: process.resourceUsage().maxRSS / 1024 })}\n`,
);

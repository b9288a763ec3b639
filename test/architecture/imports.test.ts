import { describe, expect, it } from 'vitest';
import { importCycles, importGraph, type ImportGraph } from './import-graph.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const FOLDERS = ['sim', 'analysis', 'cli', 'web', 'notebooks', 'bench', 'bin'];

/**
 * The layers, lowest first. A file may import its own layer or a lower
 * one, never a higher one; the most specific prefix places a file. Every
 * source file must have a layer, so a new folder is placed on purpose.
 */
const LAYERS: ReadonlyArray<[layer: string, prefixes: readonly string[]]> = [
  // The kernel and helpers that know nothing of authorization.
  [
    'engine',
    [
      'sim/engine/',
      'sim/version.ts',
      'sim/heap-growth.ts',
      'sim/output-dir.ts',
      'sim/log-files.ts',
      'sim/queueing-theory.ts',
      'sim/precompiled-validator.ts',
      'sim/validator-code-cache.ts',
      'sim/v8-flags.ts',
    ],
  ],
  // The log contract and the write-only sinks: audit log, Parquet, truth records and tallies.
  [
    'log',
    [
      'sim/log/',
      'sim/log/parquet/',
      'sim/event-budget.ts',
      'sim/truth/records.ts',
      'sim/truth/truth-log.ts',
      'sim/truth/truth-bytes.ts',
      'sim/truth/truth-columns.ts',
      'sim/truth/truth-columns-sink.ts',
      'sim/truth/metrics.ts',
      'sim/truth/mission-outcomes.ts',
      'sim/truth/world-agents.ts',
    ],
  ],
  ['scenario', ['sim/scenario/']],
  // Authority models, and the oracle's side that judges with them.
  ['authority', ['sim/authority/', 'sim/truth/oracle.ts', 'sim/truth/intent-leak.ts', 'sim/truth/truth-recorder.ts']],
  // What every party is built with.
  ['context', ['sim/context/']],
  // The parties and their protocols.
  ['domain', ['sim/protocol/', 'sim/lifecycle/', 'sim/alignment/', 'sim/aop/']],
  // Wiring a scenario's world, and the complete event catalogue.
  ['world', ['sim/world/', 'sim/events.ts']],
  ['run', ['sim/run.ts', 'sim/regenerate-logs.ts', 'sim/sweep/']],
  // The chart specs and the presentation helpers (number formats, the sizing answer, table data) are shared
  // by the report (analysis/report/) and the dashboard: they import nothing of the dashboard's.
  // The atlas definition (sim/atlas/) names metrics of the analysis's catalogue, so it sits with the analysis.
  ['analysis', ['analysis/', 'sim/atlas/', 'web/charts/', 'web/format.ts', 'web/sizing-answer.ts', 'web/table-data.ts']],
  ['apps', ['cli/', 'web/', 'notebooks/', 'bench/', 'bin/']],
];

/** Modules of deciding parties: they may write truth, never read it. */
const DECIDING = ['sim/context/', 'sim/authority/', 'sim/protocol/', 'sim/lifecycle/', 'sim/alignment/', 'sim/aop/'];
/** What of sim/truth/ a deciding module may import: the write-only sinks. */
const WRITE_ONLY_TRUTH = new Set(['sim/truth/truth-recorder.ts', 'sim/truth/mission-outcomes.ts']);
/** The one door to the intent: no deciding module may import it; outside the oracle, only the world's authoring step does. */
const INTENT_LEAK = 'sim/truth/intent-leak.ts';
const INTENT_READERS = ['sim/truth/oracle.ts', 'sim/world/authoring.ts'];
/** The parties' classes: only the world that wires them may import these files. */
const PARTIES = [
  'sim/protocol/person-server.ts',
  'sim/protocol/resource.ts',
  'sim/protocol/access-server.ts',
  'sim/protocol/agent.ts',
  'sim/protocol/person.ts',
  'sim/alignment/monitor.ts',
];

function layerOf(file: string): number {
  let best = -1;
  let length = -1;
  LAYERS.forEach(([, prefixes], rank) => {
    for (const prefix of prefixes) {
      if (file.startsWith(prefix) && prefix.length > length) {
        best = rank;
        length = prefix.length;
      }
    }
  });
  return best;
}

const under = (file: string, prefixes: readonly string[]) => prefixes.some((prefix) => file.startsWith(prefix));

/** Every broken rule, one line each. */
export function violations(graph: ImportGraph): string[] {
  const found: string[] = [];
  for (const cycle of importCycles(graph)) found.push(`cycle: ${cycle.join(' -> ')}`);
  for (const [file, targets] of graph) {
    const from = layerOf(file);
    if (from < 0) {
      found.push(`no layer: ${file}`);
      continue;
    }
    for (const target of targets) {
      const to = layerOf(target);
      if (to > from) found.push(`arrow up: ${file} (${LAYERS[from]?.[0]}) imports ${target} (${LAYERS[to]?.[0]})`);
      if (under(file, DECIDING) && target.startsWith('sim/truth/') && !WRITE_ONLY_TRUTH.has(target)) {
        found.push(target === INTENT_LEAK ? `reads the intent: ${file} imports ${target}` : `reads truth: ${file} imports ${target}`);
      }
      if (PARTIES.includes(target) && !file.startsWith('sim/world/')) found.push(`holds a party's class: ${file} imports ${target}`);
    }
  }
  return found;
}

describe('the import graph', () => {
  const graph = importGraph(ROOT, FOLDERS);

  it('sees the project (sanity: the walk found the sources and their imports)', () => {
    expect(graph.size).toBeGreaterThan(150);
    expect(graph.get('sim/run.ts')).toContain('sim/world/world.ts');
    // The audit catalogue imports no domain: only its own event families (sim/log/catalogue/).
    const catalogue = [...graph].filter(([file]) => file === 'sim/log/catalogue.ts' || file.startsWith('sim/log/catalogue/'));
    expect(graph.get('sim/log/catalogue.ts')).toContain('sim/log/catalogue/mission.ts');
    expect(catalogue.flatMap(([, targets]) => targets).filter((target) => !target.startsWith('sim/log/catalogue/'))).toEqual([]);
  });

  it("has no cycle, no arrow up, no deciding module reading truth, no party holding another's class", () => {
    expect(violations(graph)).toEqual([]);
  });

  it("lets no deciding module import the intent reader: only the oracle and the world's authoring step (the list cannot grow silently)", () => {
    const importers = [...graph]
      .filter(([, targets]) => targets.includes(INTENT_LEAK))
      .map(([file]) => file)
      .sort();
    expect(importers).toEqual(INTENT_READERS);
  });

  it('fails on a deliberately bad import: a cycle, an arrow up, a truth read, a party class', () => {
    const bad = new Map([
      ['sim/engine/bad-up.ts', "import type { Agent } from '../protocol/agent.ts';\n"],
      ['sim/protocol/bad-oracle.ts', "import { Oracle } from '../truth/oracle.ts';\nimport type { DeclaredIntentReader } from '../truth/intent-leak.ts';\n"],
      ['sim/lifecycle/bad-party.ts', "import type { PersonServer } from '../protocol/person-server.ts';\n"],
      ['sim/protocol/bad-cycle-a.ts', "export { b } from './bad-cycle-b.ts';\n"],
      ['sim/protocol/bad-cycle-b.ts', "import type { a } from './bad-cycle-a.ts';\n"],
    ]);
    const found = violations(importGraph(ROOT, FOLDERS, bad));
    expect(found).toContain('arrow up: sim/engine/bad-up.ts (engine) imports sim/protocol/agent.ts (domain)');
    expect(found).toContain('reads truth: sim/protocol/bad-oracle.ts imports sim/truth/oracle.ts');
    expect(found).toContain('reads the intent: sim/protocol/bad-oracle.ts imports sim/truth/intent-leak.ts');
    expect(found).toContain("holds a party's class: sim/lifecycle/bad-party.ts imports sim/protocol/person-server.ts");
    expect(found).toContain('cycle: sim/protocol/bad-cycle-a.ts -> sim/protocol/bad-cycle-b.ts');
    expect(found).toHaveLength(6); // the engine file also holds a party's class
  });
});

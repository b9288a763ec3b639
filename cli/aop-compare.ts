import type { Command } from 'commander';
import { compareGovernance, type GovernanceRow } from '../sim/aop/compare.ts';
import { loadScenario } from '../sim/scenario/load.ts';
import { reportAndExit, UsageError } from './exit.ts';

const counts = (record: Record<string, number>) => Object.entries(record).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';

export function formatComparison(name: string, rows: readonly GovernanceRow[]): string {
  const scalars: Array<[string, (row: GovernanceRow) => string]> = [
    ['', (r) => r.governance],
    ['mean makespan (s)', (r) => r.mean_makespan_s.toFixed(1)],
    ['mean GEC round trips / exchanges', (r) => r.mean_gec_round_trips.toFixed(1)],
    ['mean governance latency (s)', (r) => r.mean_governance_latency_s.toFixed(3)],
    ['escalations to a person', (r) => String(r.escalations)],
    ['person interruptions', (r) => String(r.person_interruptions)],
    ['mean person wait per run (s)', (r) => r.mean_person_wait_s.toFixed(1)],
    ['Plan B activated', (r) => String(r.plan_b_activated)],
  ];
  const lists: Array<[string, (row: GovernanceRow) => Record<string, number>]> = [
    ['mission outcomes', (r) => r.outcomes],
    ['refused by the GEC', (r) => r.refused],
    ['took effect unchecked', (r) => r.took_effect],
  ];
  return [
    `${name}: AOP governance vs plain AAuth chaining, ${rows[0]?.runs ?? 0} seeds each`,
    ...scalars.map(([label, pick]) => `  ${label.padEnd(34)}${rows.map((r) => pick(r).padEnd(12)).join('').trimEnd()}`),
    ...lists.flatMap(([label, pick]) => [`  ${label}`, ...rows.map((r) => `    ${`${r.governance}:`.padEnd(10)}${counts(pick(r))}`)]),
  ].join('\n');
}

export function registerAopCompare(program: Command): void {
  program
    .command('aop-compare')
    .description('run an orchestration scenario under AOP and as plain AAuth chaining over several seeds; report what the GEC prevented and what it cost')
    .argument('<scenario>', 'scenario YAML file (or NAME in scenarios/) with an orchestration: section')
    .option('--seeds <n>', 'seeds 1..n (default 20)', '20')
    .option('--out <dir>', 'folder for the run folders (default runs/<scenario>-compare)')
    .option('--set <path=value>', 'override a scenario value (repeatable)', (value: string, previous: string[]) => [...previous, value], [])
    .option('--json', 'print the two rows as JSON')
    .action((file: string, options: { seeds: string; out?: string; set: string[]; json?: boolean }) => {
      try {
        if (!/^[1-9]\d{0,3}$/.test(options.seeds)) throw new UsageError(`--seeds expects a count from 1 to 9999, found ${JSON.stringify(options.seeds)}`);
        const loaded = loadScenario(file, options.set);
        if (!loaded.spec.orchestration) throw new UsageError(`${file}: not an orchestration scenario (no orchestration: section)`);
        const seeds = Array.from({ length: Number(options.seeds) }, (_, i) => i + 1);
        const rows = compareGovernance(file, seeds, options.out ?? `runs/${loaded.spec.name}-compare`, options.set);
        process.stdout.write(options.json ? `${JSON.stringify(rows, null, 2)}\n` : `${formatComparison(loaded.spec.name, rows)}\n`);
      } catch (error) {
        reportAndExit(error);
      }
    });
}

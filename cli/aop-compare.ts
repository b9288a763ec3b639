import type { Command } from 'commander';
import { join } from 'node:path';
import { aggregate, attackSplit, type GovernanceRow } from '../sim/aop/compare.ts';
import type { OrchestrationSummary } from '../sim/aop/metrics.ts';
import { runScenario } from '../sim/run.ts';
import { loadScenario } from '../sim/scenario/load.ts';
import { reportAndExit, UsageError } from './exit.ts';

/**
 * Runs an orchestration scenario under AOP governance and as plain AAuth
 * chaining (under the Person Server `orchestration.person_server` names, if
 * any), for each seed, writing every run folder under `outRoot`
 * (`aop-seed<n>`, `chaining-seed<n>`), and aggregates the two.
 */
export function compareGovernance(file: string, seeds: readonly number[], outRoot: string, overrides: readonly string[] = []): GovernanceRow[] {
  return (['aop', 'chaining'] as const).map((governance) => {
    const loaded = loadScenario(file, [...overrides, `orchestration.governance=${governance}`]);
    if (!loaded.spec.orchestration) throw new Error(`${file}: not an orchestration scenario (no orchestration: section)`);
    const summaries = seeds.map((seed) => {
      const manifest = runScenario(loaded, { seed, outDir: join(outRoot, `${governance}-seed${seed}`) });
      return manifest.summary.orchestration as OrchestrationSummary;
    });
    return aggregate(governance, summaries);
  });
}

const counts = (record: Record<string, number>) =>
  Object.entries(record)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ') || 'none';

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
    ['refused by the PS (delegations, tokens)', (r) => String(r.ps_refusals)],
  ];
  const lists: Array<[string, (row: GovernanceRow) => Record<string, number>]> = [
    ['mission outcomes', (r) => r.outcomes],
    ['refused by the GEC', (r) => r.refused],
    ['took effect unchecked', (r) => r.took_effect],
  ];
  const chaining = rows.find((r) => r.governance === 'chaining');
  const baseline = chaining?.person_server
    ? `under ${chaining.person_server}`
    : 'with no Person Server evaluating it (an unchecked chain: set orchestration.person_server)';
  const attacks = [...new Set(rows.flatMap((r) => Object.keys(r.attacks)))];
  return [
    `${name}: AOP governance vs plain AAuth chaining, ${rows[0]?.runs ?? 0} seeds each`,
    `  plain AAuth chaining runs ${baseline}`,
    ...scalars.map(
      ([label, pick]) =>
        `  ${label.padEnd(42)}${rows
          .map((r) => pick(r).padEnd(12))
          .join('')
          .trimEnd()}`,
    ),
    ...lists.flatMap(([label, pick]) => [`  ${label}`, ...rows.map((r) => `    ${`${r.governance}:`.padEnd(10)}${counts(pick(r))}`)]),
    ...(attacks.length > 0 ? ['  per attack: who refused it, or where it shows if it took effect'] : []),
    ...attacks.flatMap((attack) => [`    ${attack}`, ...rows.map((r) => `      ${`${r.governance}:`.padEnd(10)}${verdicts(r.attacks[attack] ?? {}, r.runs)}`)]),
    ...(attacks.length > 0 ? splitLines(rows) : []),
  ].join('\n');
}

const verdicts = (record: Record<string, number>, runs: number) =>
  Object.entries(record)
    .map(([verdict, n]) => `${verdict} [${n}/${runs} runs]`)
    .join('; ') || 'none';

/** What AOP adds over the AAuth baseline, attack by attack. */
function splitLines(rows: readonly GovernanceRow[]): string[] {
  const split = attackSplit(rows);
  const line = (label: string, attacks: string[]) => `    ${label.padEnd(34)}${attacks.join('; ') || 'none'}`;
  return [
    '  what AOP adds over the AAuth baseline',
    line('refused by the AAuth PS too', split.refused_by_both),
    line('refused only by the GEC', split.refused_only_by_aop),
    line('refused only by the AAuth PS', split.refused_only_by_aauth),
    line('takes effect under both', split.took_effect_under_both),
    ...(split.other.length > 0 ? [line('mixed or never in play', split.other)] : []),
  ];
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

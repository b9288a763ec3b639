import type { Command } from 'commander';

/**
 * Two or three worked examples per command, shown at the end of its --help.
 * Kept in one place so that they read as a set and stay consistent (the same
 * scenario names and folders across commands, so one can follow another).
 */
export const EXAMPLES: Readonly<Record<string, readonly string[]>> = {
  missionbench: [
    'missionbench run token-lifetime-sizing && missionbench replay runs/token-lifetime-sizing-seed1 --explain',
    'missionbench sweep token-lifetime-sizing --grid tokens.auth_ttl=1m,5m,15m,1h --seeds 1..10 --out runs/sizing && missionbench size runs/sizing --max-p99-stop 2m --max-ps-rps 0.2',
    "missionbench help run                                   # a command's options and examples",
  ],
  run: [
    'missionbench run token-lifetime-sizing                 # finds scenarios/token-lifetime-sizing.yaml; writes runs/token-lifetime-sizing-seed1',
    'missionbench run scenarios/mm1.yaml --seed 7 --out runs/mm1-7',
    "missionbench run token-lifetime-sizing --set tokens.auth_ttl=5min --set 'topology.resources[ledger].revocation.mode=push'",
  ],
  validate: [
    'missionbench validate scenarios/*.yaml',
    'missionbench validate my-scenario.yaml                  # one line per problem: file:line:col: path: expected ..., found ...',
  ],
  schema: [
    'missionbench schema > scenario.schema.json              # for an editor that checks YAML against a JSON Schema',
    'missionbench schema --events                            # the audit event schema',
    'missionbench schema --check                             # exit 1 if the committed schemas are stale',
  ],
  demo: ['missionbench demo', 'missionbench demo --out /tmp/demo-runs'],
  replay: [
    'missionbench replay runs/token-lifetime-sizing-seed1',
    'missionbench replay runs/token-lifetime-sizing-seed1 --explain',
    'missionbench replay docs/examples/incident-bulk-export.jsonl --explain',
  ],
  verify: ['missionbench verify runs/token-lifetime-sizing-seed1', 'missionbench verify runs/incident/events.jsonl'],
  ingest: [
    'missionbench ingest docs/examples/incident-bulk-export.jsonl --out runs/incident',
    'missionbench ingest exported-log.jsonl --out runs/incident && missionbench replay runs/incident --explain',
    'missionbench ingest docs/examples/aauth-call/*.jsonl --out runs/real-incident   # aauth.call records, one file per party',
  ],
  export: [
    'missionbench export --format aauth-call runs/bulk-export-after-terminate-seed1 --out runs/bulk.aauth-call.jsonl',
    'missionbench export --format aauth-call runs/bulk-export-after-terminate-seed1 --per-party --out runs/bulk-logs && missionbench ingest runs/bulk-logs/*.jsonl --out runs/bulk-roundtrip',
  ],
  'aop-compare': ['missionbench aop-compare scenarios/procurement-hem-gate.yaml', 'missionbench aop-compare scenarios/aop-attacks.yaml --seeds 5 --json'],
  sweep: [
    "missionbench sweep token-lifetime-sizing --grid tokens.auth_ttl=1m,5m,15m,1h --grid 'topology.resources[ledger].revocation.mode=none,push' --seeds 1..10 --out runs/sizing",
    "missionbench sweep scenarios/mm1.yaml --grid 'topology.resources[0].queue.servers=1,2,4' --seeds 1..5 --out runs/mm1-servers",
    'missionbench sweep token-lifetime-sizing --grid tokens.auth_ttl=1m,5m --seeds 1..10 --out runs/sizing --resume   # after Ctrl-C',
  ],
  analyze: ['missionbench analyze runs/sizing', 'missionbench analyze runs/sizing --list', 'missionbench analyze runs/sizing --json > metrics.json'],
  size: ['missionbench size runs/sizing --max-p99-stop 2m --max-ps-rps 0.2', 'missionbench size runs/sizing --max-p99-stop 30s --max-ps-rps 1 --json'],
  serve: ['missionbench serve runs/atlas', 'missionbench serve runs/incident --port 8080'],
  report: ['missionbench report runs/sizing --out sizing.html', 'missionbench report runs/atlas --out atlas.html'],
  atlas: ['missionbench atlas', 'missionbench atlas --serve', 'missionbench atlas --workers 2 --out runs/atlas --json'],
};

/**
 * Ends every --help with that command's examples. Added once, to the program
 * ('afterAll' reaches every subcommand's help, whenever it was registered).
 */
export function addExamples(program: Command): void {
  program.addHelpText('afterAll', ({ command }) => examplesText(command.name()));
}

export function examplesText(name: string): string {
  const examples = EXAMPLES[name];
  return examples === undefined ? '' : `\nExamples:\n${examples.map((line) => `  $ ${line}`).join('\n')}`;
}

import { Command, type CommanderError } from 'commander';
import { MISSIONBENCH_VERSION } from '../sim/version.ts';
import { EXIT_BAD_INPUT } from './exit-code.ts';
import { addExamples } from './examples.ts';

// A reader that stops early (`missionbench replay run | head`) closes the
// pipe: that ends the output, it is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const program = new Command('missionbench')
  .description('simulation and audit-analysis workbench for mission-scoped agent authorization')
  .version(MISSIONBENCH_VERSION)
  .showHelpAfterError('(run with --help for usage)')
  // Usage mistakes are bad input like any other: exit 2, not commander's 1.
  .exitOverride((error: CommanderError) => {
    process.exit(error.exitCode === 0 ? 0 : EXIT_BAD_INPUT);
  });
addExamples(program);

type Register = (program: Command) => void;

/**
 * Each command's module, loaded only when that command runs: a command
 * then loads what it uses (a query never loads the simulator, a run never
 * loads DuckDB), so start-up stays small. Help and unknown commands load
 * them all. In the order `--help` lists them.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  run: async () => (await import('./run.ts')).registerRun,
  validate: async () => (await import('./validate.ts')).registerValidate,
  schema: async () => (await import('./schema.ts')).registerSchema,
  demo: async () => (await import('./demo.ts')).registerDemo,
  replay: async () => (await import('./replay.ts')).registerReplay,
  verify: async () => (await import('./verify.ts')).registerVerify,
  ingest: async () => (await import('./ingest.ts')).registerIngest,
  export: async () => (await import('./export.ts')).registerExport,
  'aop-compare': async () => (await import('./aop-compare.ts')).registerAopCompare,
  sweep: async () => (await import('./sweep.ts')).registerSweep,
  analyze: async () => (await import('./analyze.ts')).registerAnalyze,
  size: async () => (await import('./size.ts')).registerSize,
  serve: async () => (await import('./serve.ts')).registerServe,
  report: async () => (await import('./report.ts')).registerReport,
  atlas: async () => (await import('./atlas.ts')).registerAtlas,
};

const first = process.argv[2];
if (first !== '--version' && first !== '-V') {
  const named = first !== undefined && Object.hasOwn(COMMANDS, first) ? [first] : Object.keys(COMMANDS);
  const registers = await Promise.all(named.map((name) => (COMMANDS[name] as () => Promise<Register>)()));
  for (const register of registers) register(program);
}

await program.parseAsync(process.argv);

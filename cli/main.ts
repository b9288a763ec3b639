import { Command, CommanderError } from 'commander';
import { MISSIONBENCH_VERSION } from '../sim/version.ts';
import { registerAnalyze } from './analyze.ts';
import { registerAopCompare } from './aop-compare.ts';
import { registerAtlas } from './atlas.ts';
import { registerDemo } from './demo.ts';
import { EXIT_BAD_INPUT } from './exit.ts';
import { registerExport } from './export.ts';
import { registerIngest } from './ingest.ts';
import { registerReplay } from './replay.ts';
import { registerReport } from './report.ts';
import { registerRun } from './run.ts';
import { registerSize } from './size.ts';
import { registerSweep } from './sweep.ts';
import { registerSchema } from './schema.ts';
import { registerServe } from './serve.ts';
import { registerValidate } from './validate.ts';
import { registerVerify } from './verify.ts';

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

registerRun(program);
registerValidate(program);
registerSchema(program);
registerDemo(program);
registerReplay(program);
registerVerify(program);
registerIngest(program);
registerExport(program);
registerAopCompare(program);
registerSweep(program);
registerAnalyze(program);
registerSize(program);
registerServe(program);
registerReport(program);
registerAtlas(program);

await program.parseAsync(process.argv);

import { Command, CommanderError } from 'commander';
import { MISSIONBENCH_VERSION } from '../sim/version.ts';
import { registerAopCompare } from './aop-compare.ts';
import { registerDemo } from './demo.ts';
import { EXIT_BAD_INPUT } from './exit.ts';
import { registerIngest } from './ingest.ts';
import { registerReplay } from './replay.ts';
import { registerRun } from './run.ts';
import { registerSchema } from './schema.ts';
import { registerValidate } from './validate.ts';
import { registerVerify } from './verify.ts';

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
registerAopCompare(program);

await program.parseAsync(process.argv);

import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { verifyLog } from '../sim/audit/verify.ts';
import { reportAndExit, UsageError } from './exit.ts';

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('check a log\'s hash chain and signed session blocks; exit 1 naming the first bad seq')
    .argument('<run>', 'a run folder or an events.jsonl file')
    .action((target: string) => {
      try {
        if (!existsSync(target)) throw new UsageError(`${target}: no such file or folder`);
        const result = verifyLog(target);
        if (result.ok) {
          process.stdout.write(`ok: ${result.events} events, chain intact, ${result.sessionBlocks} session blocks verified, last hash ${result.lastHash}\n`);
          return;
        }
        const where = result.seq === null ? `line ${result.line}` : `seq ${result.seq} (line ${result.line})`;
        process.stdout.write(`${target}: ${where}: ${result.kind}: ${result.reason}\n`);
        process.exitCode = 1;
      } catch (error) {
        reportAndExit(error);
      }
    });
}

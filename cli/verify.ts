import type { Command } from 'commander';
import { KeyFileError, readPublicKeyFile } from '../sim/log/key-file.ts';
import { trustStatement, verifyLog, VerifyInputError } from '../sim/log/verify.ts';
import { reportAndExit, UsageError } from './exit.ts';
import { readyRunLog } from './run-log.ts';

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description("check a log's hash chain, signed session blocks and closing seal; exit 1 naming the first bad seq")
    .argument('<run>', 'a run folder or an events.jsonl file')
    .option('--public-key <file>', "the signer's public key you trust (PEM, or the base64url text): a log signed by any other key is a bad signature")
    .action((target: string, options: { publicKey?: string }) => {
      try {
        const publicKey = options.publicKey === undefined ? undefined : readPublicKeyFile(options.publicKey);
        readyRunLog(target);
        const result = verifyLog(target, { publicKey });
        if (result.ok) {
          process.stdout.write(
            `ok: ${result.events} events, chain intact, sealed, ${result.sessionBlocks} session blocks verified, last hash ${result.lastHash}\n`,
          );
          process.stdout.write(`${trustStatement(result.trust)}\n`);
          return;
        }
        const where = result.seq === null ? `line ${result.line}` : `seq ${result.seq} (line ${result.line})`;
        process.stdout.write(`${target}: ${where}: ${result.kind}: ${result.reason}\n`);
        process.exitCode = 1;
      } catch (error) {
        if (error instanceof VerifyInputError || error instanceof KeyFileError) reportAndExit(new UsageError(error.message));
        reportAndExit(error);
      }
    });
}

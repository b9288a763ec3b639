import type { Command } from 'commander';
import { KeyFileError, readPublicKeyFile } from '../sim/log/key-file.ts';
import { trustStatement, verifyLog, VerifyInputError } from '../sim/log/verify.ts';
import { ensureRunLogs } from '../sim/regenerate-logs.ts';
import { reportAndExit, UsageError } from './exit.ts';
import { sweepFolderHint } from './sweep-folder-hint.ts';

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description("check a log's hash chain, signed session blocks and closing seal; exit 1 naming the first bad seq")
    .argument('<run>', 'a run folder or an events.jsonl file')
    .option('--public-key <file>', "the signer's public key you trust (PEM, or the base64url text): a log signed by any other key is a bad signature")
    .action((target: string, options: { publicKey?: string }) => {
      try {
        const hint = sweepFolderHint(target);
        if (hint !== undefined) throw new UsageError(hint);
        const publicKey = options.publicKey === undefined ? undefined : readPublicKeyFile(options.publicKey);
        // A sweep run without --logs: its log is written again from the manifest first (or refused).
        const regenerated = ensureRunLogs(target);
        if (regenerated !== undefined) process.stderr.write(`${regenerated}\n`);
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

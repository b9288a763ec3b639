import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { IngestError, ingestLog } from '../sim/audit/ingest.ts';
import '../sim/events.ts'; // the complete event catalogue the log is checked against
import { EXIT_BAD_INPUT, reportAndExit, UsageError } from './exit.ts';

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description('bring a mission log written elsewhere (JSON Lines, docs/event-schema.json) into a run folder, chained and signed as received')
    .argument('<file>', 'the log to ingest')
    .requiredOption('--out <dir>', 'the run folder to write')
    .action((file: string, options: { out: string }) => {
      try {
        if (!existsSync(file)) throw new UsageError(`${file}: no such file`);
        const manifest = ingestLog(file, options.out);
        process.stdout.write(`ingested ${manifest.ingested.lines} lines -> ${options.out}: ${manifest.events} events (with session blocks), last hash ${manifest.last_hash}\n`);
      } catch (error) {
        if (error instanceof IngestError) {
          process.stderr.write(`${error.message}\n`);
          process.exit(EXIT_BAD_INPUT);
        }
        reportAndExit(error);
      }
    });
}

import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { ingestCallLogs, summariseReport } from '../sim/audit/aauth-call/ingest.ts';
import { looksLikeCallLog } from '../sim/audit/aauth-call/read.ts';
import { IngestError, ingestLog } from '../sim/audit/ingest.ts';
import { EXIT_BAD_INPUT, reportAndExit, UsageError } from './exit.ts';

const FORMATS = ['events', 'aauth-call'];

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description('bring a mission log written elsewhere (JSON Lines, docs/event-schema.json, or aauth.call records) into a run folder, chained and signed as received')
    .argument('<files...>', 'the log to ingest (aauth-call: one or more files, e.g. one per party)')
    .requiredOption('--out <dir>', 'the run folder to write')
    .option('--format <format>', `${FORMATS.join(' or ')} (default: detected from the first line)`)
    .addHelpText('after', `
Examples:
  missionbench ingest docs/examples/incident-bulk-export.jsonl --out runs/incident
  missionbench ingest --format aauth-call docs/examples/aauth-call/*.jsonl --out runs/real-incident
See docs/aauth-call.md for how aauth.call records become events.`)
    .action((files: string[], options: { out: string; format?: string }) => {
      try {
        for (const file of files) if (!existsSync(file)) throw new UsageError(`${file}: no such file`);
        if (options.format !== undefined && !FORMATS.includes(options.format)) throw new UsageError(`--format: expected one of ${FORMATS.join(', ')}, found ${JSON.stringify(options.format)}`);
        const format = options.format ?? (looksLikeCallLog(files[0] as string) ? 'aauth-call' : 'events');
        if (format === 'aauth-call') {
          const { manifest, report } = ingestCallLogs(files, options.out);
          process.stdout.write(`${summariseReport(report).join('\n')}\ningested ${files.length} file${files.length === 1 ? '' : 's'} -> ${options.out}: ${manifest.events} events (with session blocks), last hash ${manifest.last_hash}\n`);
          return;
        }
        if (files.length > 1) throw new UsageError('the events format takes one file (several files are for --format aauth-call)');
        const manifest = ingestLog(files[0] as string, options.out);
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

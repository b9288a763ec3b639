import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ingestCallLogs, summariseReport } from '../sim/log/aauth-call/ingest.ts';
import { looksLikeCallLog } from '../sim/log/aauth-call/read.ts';
import { IngestError, type IngestManifest, ingestLog } from '../sim/log/ingest.ts';
import { defaultIngestKeyPath, KeyFileError, loadOrCreateSigningKey, publicKeyPath } from '../sim/log/key-file.ts';
import '../sim/events.ts'; // the complete event catalogue the log is checked against
import { EXIT_BAD_INPUT, reportAndExit, UsageError } from './exit.ts';
import { ingestTime } from './ingest-time.ts';

const FORMATS = ['events', 'aauth-call'];

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description(
      'bring a mission log written elsewhere (JSON Lines, docs/event-schema.json, or aauth.call records) into a run folder, chained and signed as received with your Ed25519 key',
    )
    .argument('<files...>', 'the log to ingest (aauth-call: one or more files, e.g. one per party)')
    .requiredOption('--out <dir>', 'the run folder to write')
    .option('--format <format>', `${FORMATS.join(' or ')} (default: detected from the first line)`)
    .option('--key <file>', `the Ed25519 private key (PEM) to sign with (default ${defaultIngestKeyPath()}, made on first use)`)
    .action((files: string[], options: { out: string; format?: string; key?: string }) => {
      try {
        for (const file of files) if (!existsSync(file)) throw new UsageError(`${file}: no such file`);
        if (options.format !== undefined && !FORMATS.includes(options.format))
          throw new UsageError(`--format: expected one of ${FORMATS.join(', ')}, found ${JSON.stringify(options.format)}`);
        const format = options.format ?? (looksLikeCallLog(files[0] as string) ? 'aauth-call' : 'events');
        if (format === 'events' && files.length > 1) throw new UsageError('the events format takes one file (several files are for --format aauth-call)');
        const key = loadOrCreateSigningKey(options.key ?? defaultIngestKeyPath(), options.key === undefined);
        if (key.created)
          process.stderr.write(`missionbench: made a new ingest key ${key.path} (mode 0600); its public key is ${publicKeyPath(key.path)}
`);
        let manifest: IngestManifest;
        if (format === 'aauth-call') {
          const ingested = ingestCallLogs(files, options.out, { key, at: ingestTime() });
          manifest = ingested.manifest;
          process.stdout.write(
            `${summariseReport(ingested.report).join('\n')}\ningested ${files.length} file${files.length === 1 ? '' : 's'} -> ${options.out}: ${manifest.events} events (with session blocks and the closing seal), last hash ${manifest.last_hash}\n`,
          );
        } else {
          manifest = ingestLog(files[0] as string, options.out, { key, at: ingestTime() });
          process.stdout.write(
            `ingested ${manifest.ingested.lines} lines -> ${options.out}: ${manifest.events} events (with session blocks and the closing seal), last hash ${manifest.last_hash}\n`,
          );
        }
        const publicFile = existsSync(publicKeyPath(key.path)) ? publicKeyPath(key.path) : 'FILE (a file holding that public key)';
        process.stdout.write(
          `signed with ${key.path}, public key ${key.publicKey} (in ${join(options.out, 'manifest.json')} and the seal); check it with: missionbench verify ${options.out} --public-key ${publicFile}\n`,
        );
        process.stdout.write(`chained at ingest by ${manifest.signer.id}: proves nothing about the log before ${manifest.ingested.at}\n`);
      } catch (error) {
        if (error instanceof IngestError) {
          process.stderr.write(`${error.message}\n`);
          process.exit(EXIT_BAD_INPUT);
        }
        if (error instanceof KeyFileError) reportAndExit(new UsageError(error.message));
        reportAndExit(error);
      }
    });
}

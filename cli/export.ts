import type { Command } from 'commander';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { exportCallRecords, recordsByParty } from '../sim/log/aauth-call/export.ts';
import type { CallRecord } from '../sim/log/aauth-call/record.ts';
import { eventsPath, readEvents, type LoggedEvent } from '../sim/log/read-log.ts';
import { reportAndExit, UsageError } from './exit.ts';
import { readyRunLog } from './run-log.ts';

const FORMATS = ['aauth-call'];

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('write a run as the log a real deployment would hold: aauth.call records (AAuth reference call log), both ends of every simulated HTTP call')
    .argument('<run>', 'a run folder or an events.jsonl file')
    .requiredOption('--format <format>', `output format (${FORMATS.join(', ')})`)
    .requiredOption('--out <path>', 'the JSON Lines file to write (written whole or not at all); with --per-party, a folder')
    .option('--per-party', 'one file per party (agent, PS, AS, resource), as each would hand over its own log')
    .addHelpText(
      'after',
      `
Events with no HTTP call behind them (queueing inside a resource, background
jobs, the AOP ledger, session blocks) are not written; the command counts them.
See docs/aauth-call.md.`,
    )
    .action(async (target: string, options: { format: string; out: string; perParty?: boolean }) => {
      try {
        if (!FORMATS.includes(options.format)) throw new UsageError(`--format: expected one of ${FORMATS.join(', ')}, found ${JSON.stringify(options.format)}`);
        readyRunLog(target);
        const path = eventsPath(target);
        if (!existsSync(path)) throw new UsageError(`${path}: no such file (expected a run folder or an events.jsonl file)`);
        const events: LoggedEvent[] = [];
        for await (const event of readEvents(path)) events.push(event);
        const result = exportCallRecords(events, basename(dirname(path)));
        if (options.perParty) writeFolder(options.out, recordsByParty(result.records));
        else writeWhole(options.out, (temporary) => writeFileSync(temporary, jsonLines(result.records)));
        const skipped = Object.entries(result.notExported)
          .sort((a, b) => b[1] - a[1])
          .map(([type, n]) => `${type} ${n}`)
          .join(', ');
        process.stdout.write(
          `exported ${result.records.length} aauth.call records -> ${options.out}${options.perParty ? ` (${readdirSync(options.out).length} party files)` : ''}\n`,
        );
        if (skipped) process.stdout.write(`not exported (no HTTP call behind them): ${skipped}\n`);
        if (result.inFlight > 0)
          process.stdout.write(
            `${result.inFlight} calls were still unanswered at the end of the run: not written (a party writes its record once the answer is known)\n`,
          );
      } catch (error) {
        if (error instanceof Error && /not a JSON object/.test(error.message)) reportAndExit(new UsageError(error.message));
        reportAndExit(error);
      }
    });
}

const jsonLines = (records: readonly CallRecord[]) => records.map((record) => JSON.stringify(record)).join('\n') + (records.length > 0 ? '\n' : '');

/** Writes `path` under a temporary name, then renames it: whole or not at all. A folder it replaces was checked by the caller. */
function writeWhole(path: string, write: (temporary: string) => void, replaceFolder = false): void {
  if (!replaceFolder && existsSync(path) && statSync(path).isDirectory())
    throw new UsageError(`${path} is a folder (use --per-party to write one file per party into a folder)`);
  const temporary = join(dirname(path), `.${basename(path)}.partial-${process.pid}`);
  try {
    rmSync(temporary, { recursive: true, force: true });
    write(temporary);
    if (replaceFolder) rmSync(path, { recursive: true, force: true });
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { recursive: true, force: true });
  }
}

function writeFolder(path: string, files: Map<string, CallRecord[]>): void {
  if (existsSync(path) && (!statSync(path).isDirectory() || readdirSync(path).some((name) => !name.endsWith('.jsonl')))) {
    throw new UsageError(`${path} exists and is not a folder of .jsonl files; refusing to replace it`);
  }
  writeWhole(
    path,
    (temporary) => {
      mkdirSync(temporary, { recursive: true });
      for (const [file, records] of files) writeFileSync(join(temporary, file), jsonLines(records));
    },
    true,
  );
}

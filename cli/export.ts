import type { Command } from 'commander';
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { exportCallRecords } from '../sim/audit/aauth-call/export.ts';
import { eventsPath, readEvents, type LoggedEvent } from '../sim/audit/read-log.ts';
import { reportAndExit, UsageError } from './exit.ts';

const FORMATS = ['aauth-call'];

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('write a run as the log a real deployment would hold: aauth.call records (AAuth reference call log), both ends of every simulated HTTP call')
    .argument('<run>', 'a run folder or an events.jsonl file')
    .requiredOption('--format <format>', `output format (${FORMATS.join(', ')})`)
    .requiredOption('--out <file>', 'the JSON Lines file to write (written whole or not at all)')
    .addHelpText('after', `
Examples:
  missionbench run scenarios/bulk-export-after-terminate.yaml --out runs/bulk
  missionbench export --format aauth-call runs/bulk --out runs/bulk.aauth-call.jsonl
  missionbench ingest runs/bulk.aauth-call.jsonl --out runs/bulk-roundtrip
  missionbench replay runs/bulk-roundtrip --explain

Events with no HTTP call behind them (queueing inside a resource, background
jobs, the AOP ledger, session blocks) are not written; the command counts them.
See docs/aauth-call.md.`)
    .action(async (target: string, options: { format: string; out: string }) => {
      try {
        if (!FORMATS.includes(options.format)) throw new UsageError(`--format: expected one of ${FORMATS.join(', ')}, found ${JSON.stringify(options.format)}`);
        const path = eventsPath(target);
        if (!existsSync(path)) throw new UsageError(`${path}: no such file (expected a run folder or an events.jsonl file)`);
        const events: LoggedEvent[] = [];
        for await (const event of readEvents(path)) events.push(event);
        const result = exportCallRecords(events, basename(dirname(path)));
        const temporary = join(dirname(options.out), `.${basename(options.out)}.partial-${process.pid}`);
        try {
          writeFileSync(temporary, result.records.map((record) => JSON.stringify(record)).join('\n') + (result.records.length > 0 ? '\n' : ''));
          renameSync(temporary, options.out);
        } finally {
          rmSync(temporary, { force: true });
        }
        const skipped = Object.entries(result.notExported).sort((a, b) => b[1] - a[1]).map(([type, n]) => `${type} ${n}`).join(', ');
        process.stdout.write(`exported ${result.records.length} aauth.call records -> ${options.out}\n`);
        if (skipped) process.stdout.write(`not exported (no HTTP call behind them): ${skipped}\n`);
        if (result.inFlight > 0) process.stdout.write(`${result.inFlight} calls were still unanswered at the end of the run: not written (a party writes its record once the answer is known)\n`);
      } catch (error) {
        if (error instanceof Error && /not a JSON object/.test(error.message)) reportAndExit(new UsageError(error.message));
        reportAndExit(error);
      }
    });
}

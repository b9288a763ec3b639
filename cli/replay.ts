import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { IncidentReport } from '../sim/audit/incident-report.ts';
import { MissionControlView } from '../sim/audit/mission-control.ts';
import { eventsPath, readEvents } from '../sim/audit/read-log.ts';
import { reportAndExit, UsageError } from './exit.ts';
import { sweepFolderHint } from './sweep-folder-hint.ts';

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description("print the PS mission log as seed 001's Mission Control view, one line per decision")
    .argument('<run>', 'a run folder or an events.jsonl file')
    .option('--mission <s256>', 'only this mission')
    .option('--explain', "answer the regulator's questions per mission: who approved it, every delegation hop, every decision, termination and the last operation after it")
    .action(async (target: string, options: { mission?: string; explain?: boolean }) => {
      try {
        const hint = sweepFolderHint(target);
        if (hint !== undefined) throw new UsageError(hint);
        const path = eventsPath(target);
        if (!existsSync(path)) throw new UsageError(`${path}: no such file (expected a run folder or an events.jsonl file)`);
        if (options.explain) {
          const report = new IncidentReport(options.mission);
          for await (const event of readEvents(path)) report.add(event);
          process.stdout.write(`${report.lines().join('\n')}\n`);
          return;
        }
        const view = new MissionControlView(options.mission);
        let out = '';
        for await (const event of readEvents(path)) {
          const line = view.line(event);
          if (line !== undefined) out += `${line}\n`;
          if (out.length > 1 << 16) {
            process.stdout.write(out);
            out = '';
          }
        }
        process.stdout.write(out);
      } catch (error) {
        if (error instanceof Error && /not a JSON object/.test(error.message)) reportAndExit(new UsageError(error.message));
        reportAndExit(error);
      }
    });
}

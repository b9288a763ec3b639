import { ensureRunLogs } from '../sim/regenerate-logs.ts';
import { UsageError } from './exit.ts';
import { sweepFolderHint } from './sweep-folder-hint.ts';

/**
 * For a command that reads one run's log (`replay`, `verify`, `export`):
 * a sweep folder is refused, naming a run to pick; a sweep run without
 * --logs has its log written again from its manifest first (one line on
 * stderr), or is refused if it cannot be the same log.
 */
export function readyRunLog(target: string): void {
  const hint = sweepFolderHint(target);
  if (hint !== undefined) throw new UsageError(hint);
  const regenerated = ensureRunLogs(target);
  if (regenerated !== undefined) process.stderr.write(`${regenerated}\n`);
}

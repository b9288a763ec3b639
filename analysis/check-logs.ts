import { basename, dirname, join } from 'node:path';
import { brokenBanner, trustStatement, verifyLog, VerifyInputError } from '../sim/audit/verify.ts';
import { LOG_FILES_RECORD, readLogFilesRecord, unchangedSinceRecorded } from '../sim/log-files.ts';
import type { AnalysisInput, RunFolder } from './run-folders.ts';

/** One broken log: which run, and verify's finding. */
export interface BrokenLog {
  run_id: string;
  kind: string;
  line: number;
  seq: number | null;
  reason: string;
  /** The banner every answer from it carries. */
  banner: string;
}

/**
 * What was checked before an analysis answered: logs verified (chain,
 * session blocks, seal, keys) in full; logs trusted because their file is
 * unchanged since the simulator wrote it (log-files.json: same inode, size
 * and times); the broken ones; and what the signatures of the rest prove.
 */
export interface LogCheck {
  verified: number;
  trusted: number;
  broken: BrokenLog[];
  /** What the signatures prove, one line per kind of log (simulated) or per ingested log. */
  statements: string[];
}

/** Refused: a log is broken and the user did not pass --allow-broken. Exit 1, like verify. */
export class BrokenLogError extends Error {
  override name = 'BrokenLogError';
}

const SIMULATED = 'simulated logs: signatures prove integrity against accident, not against someone who knows the seed (their keys are derived from it)';

/** True if the run's events.jsonl is still the file the simulator closed (its log-files.json says so). */
function unchangedSinceWritten(run: RunFolder): boolean {
  const record = readLogFilesRecord(join(dirname(run.events_path), LOG_FILES_RECORD));
  return unchangedSinceRecorded(record.get(basename(run.events_path)), run.events_path);
}

/**
 * Checks every log of an analysis before it answers. A log the simulator
 * wrote and nothing has touched since (same stat as recorded) is trusted,
 * and counted as such; every other log is verified in full. Broken logs are
 * refused (BrokenLogError) unless `allowBroken`, when they are listed with
 * the banner naming their first bad seq.
 */
export function checkLogs(input: AnalysisInput, options: { allowBroken?: boolean | undefined; onProgress?: ((done: number, total: number) => void) | undefined } = {}): LogCheck {
  const check: LogCheck = { verified: 0, trusted: 0, broken: [], statements: [] };
  let simulated = false;
  input.runs.forEach((run, index) => {
    if (run.source === 'simulated' && unchangedSinceWritten(run)) {
      check.trusted++;
      simulated = true;
      return;
    }
    let result;
    try {
      result = verifyLog(dirname(run.events_path));
    } catch (error) {
      if (error instanceof VerifyInputError) throw new BrokenLogError(error.message);
      throw error;
    }
    options.onProgress?.(index + 1, input.runs.length);
    if (!result.ok) {
      check.broken.push({ run_id: run.run_id, kind: result.kind, line: result.line, seq: result.seq, reason: result.reason, banner: `run ${run.run_id}: ${brokenBanner(result)}` });
      return;
    }
    check.verified++;
    if (result.trust.kind === 'simulated') simulated = true;
    else check.statements.push(`run ${run.run_id}: ${trustStatement(result.trust)}`);
  });
  if (simulated) check.statements.unshift(SIMULATED);
  refuseBroken(input, check, options.allowBroken);
  return check;
}

/** Throws BrokenLogError, naming the first broken log's finding, unless there is none or `allowBroken`. */
export function refuseBroken(input: AnalysisInput, check: LogCheck, allowBroken: boolean | undefined): void {
  if (check.broken.length === 0 || allowBroken) return;
  const first = check.broken[0] as BrokenLog;
  const where = first.seq === null ? `line ${first.line}` : `seq ${first.seq} (line ${first.line})`;
  throw new BrokenLogError(
    `refusing to answer from ${input.dir}: ${check.broken.length} of ${input.runs.length} logs do not verify; run ${first.run_id}: ${where}: ${first.kind}: ${first.reason} (run missionbench verify on it, or pass --allow-broken to answer with a warning)`,
  );
}

/** The lines an answer from these logs starts with: the banners of broken logs, then what was checked and what that proves. */
export function checkLines(check: LogCheck): string[] {
  return [
    ...check.broken.map((broken) => broken.banner),
    `logs verified: ${check.verified}; trusted unchanged since the run wrote them (file stat in log-files.json, not re-read): ${check.trusted}${check.broken.length > 0 ? `; broken: ${check.broken.length}` : ''}`,
    ...check.statements,
  ];
}

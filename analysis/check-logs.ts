import { basename, dirname, join, resolve } from 'node:path';
import { brokenBanner, trustStatement, VerifyInputError } from '../sim/log/verify.ts';
import { EVENT_COLUMNS_FILE } from '../sim/log/event-columns-sink.ts';
import { checkAgainstRecord, LOG_FILES_RECORD, logFileStat, readLogFilesRecord, unchangedSinceRecorded } from '../sim/log-files.ts';
import { ensureRunLogs } from '../sim/regenerate-logs.ts';
import { TRUTH_COLUMNS_FILE } from '../sim/truth/truth-columns-sink.ts';
import type { CheckedDigests, ParquetAsWritten } from './log-findings.ts';
import { refusedParquetLines, type RefusedParquet } from './refused-parquet.ts';
import type { AnalysisInput, RunFolder } from './run-folders.ts';
import { defaultVerifyThreads, verifyLogs, type VerifyOutcome } from './verify-logs.ts';

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
  /**
   * Runs swept without --logs, analysed from their Parquet files: each file
   * is the one the run wrote (same stat, or same SHA-256, as its
   * log-files.json) and names the manifest's fingerprint. The log itself
   * was not checked. Absent in analyses recorded before there were such runs.
   */
  unlogged?: number;
  /** Runs swept without --logs whose logs were regenerated from their manifests (fingerprint equal to the manifest's) and verified. */
  regenerated?: number;
  /**
   * Parquet files not used because they could not be shown to be the ones
   * their run wrote, by run id, file name and why (refused-parquet.ts:
   * neither the stat nor the SHA-256 in its log-files.json matches, no
   * record to check it against, missing, or changed between the check and
   * the link): that table of the run was parsed from its logs (regenerated
   * first for a run swept without --logs). Absent when none.
   */
  parquet_not_as_written?: RefusedParquet[];
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
 * True if a run without logs still has the Parquet files it wrote
 * (log-files.json: same stat, or same SHA-256). Each file's finding goes
 * into `asWritten` too: the ingest takes only those found as written
 * (column-files.ts), also when the run's logs are regenerated for the others.
 */
function parquetAsWritten(run: RunFolder, asWritten: ParquetAsWritten | undefined): boolean {
  const folder = dirname(run.events_path);
  const record = readLogFilesRecord(join(folder, LOG_FILES_RECORD));
  const files = run.truth_path === null ? [EVENT_COLUMNS_FILE] : [EVENT_COLUMNS_FILE, TRUTH_COLUMNS_FILE];
  let all = true;
  for (const name of files) {
    const path = resolve(folder, name);
    const found = checkAgainstRecord(record.get(name), path);
    asWritten?.set(path, found);
    all &&= found === 'as-written';
  }
  return all;
}

/**
 * Checks every log of an analysis before it answers. A log the simulator
 * wrote and nothing has touched since (same stat as recorded) is trusted,
 * and counted as such; every other log is verified in full, on worker
 * threads when there are several (verify-logs.ts; `threads: 1` verifies
 * them here, one after another). A run swept without --logs is taken from
 * its Parquet files while they are the ones it wrote; otherwise its logs
 * are regenerated from its manifest (here, before any log is verified) and
 * verified. The result, and the error thrown, are the same as verifying in
 * run order: broken logs listed in run order, and the first failure in run
 * order thrown. Broken logs are refused (BrokenLogError) unless
 * `allowBroken`, when they are listed with the banner naming their first
 * bad seq.
 */
export async function checkLogs(
  input: AnalysisInput,
  options: {
    allowBroken?: boolean | undefined;
    /** Called as each run's check is done: how many are, of how many. */
    onProgress?: ((done: number, total: number) => void) | undefined;
    digests?: CheckedDigests | undefined;
    asWritten?: ParquetAsWritten | undefined;
    /** Threads verifying logs in full (default: one per core, at most four); 1 verifies them on this thread. */
    threads?: number | undefined;
  } = {},
): Promise<LogCheck> {
  const check: LogCheck = { verified: 0, trusted: 0, unlogged: 0, regenerated: 0, broken: [], statements: [] };
  let simulated = false;
  // True if the run's log must be verified in full; otherwise its check is done here (taken from its Parquet files, or trusted).
  const needsVerify = (run: RunFolder): boolean => {
    if (!run.logs_written) {
      simulated = true;
      if (parquetAsWritten(run, options.asWritten)) {
        check.unlogged = (check.unlogged ?? 0) + 1;
        options.digests?.set(run.events_path, run.fingerprint);
        if (run.truth_path !== null && run.truth_sha256 !== null) options.digests?.set(run.truth_path, run.truth_sha256);
        return false;
      }
      regenerateLogs(run, check, options.digests);
    }
    if (run.source === 'simulated' && unchangedSinceWritten(run)) {
      check.trusted++;
      simulated = true;
      return false;
    }
    return true;
  };
  // The runs to verify, in run order, up to one whose check failed here (a regeneration refused, say): thrown after theirs.
  const toVerify: RunFolder[] = [];
  let failed: { error: unknown } | undefined;
  for (const run of input.runs) {
    try {
      if (needsVerify(run)) toVerify.push(run);
    } catch (error) {
      failed = { error };
      break;
    }
  }
  const total = input.runs.length;
  let done = total - toVerify.length;
  const outcomes = await verifyLogs(
    toVerify.map((run) => dirname(run.events_path)),
    options.threads ?? defaultVerifyThreads(),
    () => options.onProgress?.(++done, total),
  );
  toVerify.forEach((run, i) => {
    const outcome = outcomes[i] as VerifyOutcome;
    if (!outcome.ok) throw outcome.error instanceof VerifyInputError ? new BrokenLogError(outcome.error.message) : outcome.error;
    const result = outcome.result;
    if (!result.ok) {
      check.broken.push({
        run_id: run.run_id,
        kind: result.kind,
        line: result.line,
        seq: result.seq,
        reason: result.reason,
        banner: `run ${run.run_id}: ${brokenBanner(result)}`,
      });
      return;
    }
    check.verified++;
    options.digests?.set(run.events_path, result.lastHash);
    if (result.trust.kind === 'simulated') simulated = true;
    else check.statements.push(`run ${run.run_id}: ${trustStatement(result.trust)}`);
  });
  if (failed) throw failed.error;
  if (simulated) check.statements.unshift(SIMULATED);
  refuseBroken(input, check, options.allowBroken);
  return check;
}

/**
 * Writes a run's missing logs again from its manifest (sim/regenerate-logs.ts
 * refuses if they would differ from what the manifest records), for a run
 * whose Parquet files cannot stand in for them.
 */
export function regenerateLogs(run: RunFolder, check: LogCheck, digests: CheckedDigests | undefined): void {
  ensureRunLogs(dirname(run.events_path));
  run.logs_written = true;
  run.regenerated_logs = [logFileStat(run.events_path), run.truth_path === null ? null : logFileStat(run.truth_path)];
  check.regenerated = (check.regenerated ?? 0) + 1;
  // Regenerated truth.jsonl has the manifest's SHA-256 (ensureRunLogs checked).
  if (run.truth_path !== null && run.truth_sha256 !== null) digests?.set(run.truth_path, run.truth_sha256);
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
  const unlogged = check.unlogged ?? 0;
  const regenerated = check.regenerated ?? 0;
  return [
    ...check.broken.map((broken) => broken.banner),
    `logs verified: ${check.verified}; trusted unchanged since the run wrote them (file stat in log-files.json, not re-read): ${check.trusted}${check.broken.length > 0 ? `; broken: ${check.broken.length}` : ''}`,
    ...(regenerated > 0
      ? [`runs swept without --logs whose logs were regenerated from their manifests (the simulator reproduced each manifest's fingerprint): ${regenerated}`]
      : []),
    ...refusedParquetLines(check.parquet_not_as_written ?? []),
    ...(unlogged > 0
      ? [
          `runs swept without --logs, answered from their Parquet files: ${unlogged}; verified: each file is the one the run wrote (stat or SHA-256 in log-files.json) and names the manifest's fingerprint; trusted, not checked: that the simulator wrote it from that log (no log was read; \`missionbench verify <run>\` regenerates one and checks it)`,
        ]
      : []),
    ...check.statements,
  ];
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BrokenLogError } from '../analysis/check-logs.ts';
import { ANALYSIS_FOLDER, currentAnalysisCheck, INGESTED_FILE, runsState } from '../analysis/ingested-record.ts';
import { discoverRuns } from '../analysis/run-folders.ts';

/**
 * serve's analyses, one per folder, kept current while it runs. An
 * analysis answers from hard links to the runs' Parquet files, and its
 * check of the logs was made when it was built: a Parquet file changed in
 * place, a re-run sweep, an edited manifest or log would otherwise change
 * (or not change) the answers with nothing checked. So before a request is
 * answered the folder's runs are looked at again (discoverRuns and
 * currentAnalysisCheck, as prepareAnalysis does); if they changed, the
 * analysis is built again (prepareAnalysis: the logs checked again, the
 * changed Parquet files refused) and the request is answered from the new
 * one.
 *
 * How often. Measured on a 2-core machine (a look is synchronous file I/O,
 * so it holds up every other request): 7.5 ms for a 60-run sweep, 28 ms
 * for a 190-run one (13 ms discovering the runs, 11 ms the check). The
 * dashboard asks about 12 queries at once when it loads, which would be
 * 0.3 s of blocking per page load at 190 runs, growing with the runs. So a
 * folder is looked at, at most, once per LOOK_INTERVAL_MS: requests within
 * that time of a look share it. An answer may thus come from runs as they
 * stood up to a second before it.
 *
 * Requests in flight on an analysis keep it open: a rebuild waits until
 * they are done (the ingest swaps the analysis folder their queries read)
 * and only then builds and closes the old one; requests arriving meanwhile
 * wait for the same rebuild. A rebuild that fails (a log that no longer
 * verifies, without --allow-broken) is answered, as an error, to every
 * request; serve stays up. It is tried again when the runs change, and a
 * failure other than a broken log also RETRY_FAILED_MS after it failed.
 */
export const LOOK_INTERVAL_MS = 1000;

/**
 * How long a failed rebuild's error is answered, with the runs unchanged,
 * before a request tries the rebuild again. The cause may lie outside the
 * runs (a full disk, a scenario file needed to regenerate a swept run's
 * log, a transient error), so it is not kept until the runs change. Not at
 * every look (once a second) either: a rebuild checks every log again
 * (seconds for a large sweep, blocking the other requests). A retry that
 * fails the same way says nothing new on stderr.
 *
 * A broken log (BrokenLogError) is never retried on this timer: it is a
 * finding about the runs' own files, which every look already watches, so
 * it stands until they change; a retry would only verify every log again
 * (synchronously, blocking every request) to fail the same way.
 */
export const RETRY_FAILED_MS = 5000;

/**
 * How a folder's runs stand now: as its analysis on disk records them (with
 * that record, `ingested.json`'s text), or else in which state (runsState).
 */
export type RunsNow = { current: true; record?: string | undefined } | { current: false; state: string };

/** The folder's runs against its analysis's record (ingested-record.ts); a folder that cannot be read is a state of its own. */
export function lookAtRuns(folder: string): RunsNow {
  try {
    const input = discoverRuns(folder);
    if (currentAnalysisCheck(input) === undefined) return { current: false, state: runsState(input) };
    return { current: true, record: analysisRecord(folder) };
  } catch (error) {
    return { current: false, state: `unreadable: ${messageOf(error)}` };
  }
}

/** The text of the folder's analysis record (ingested.json), undefined if it has none. */
export function analysisRecord(folder: string): string | undefined {
  try {
    return readFileSync(join(folder, ANALYSIS_FOLDER, INGESTED_FILE), 'utf8');
  } catch {
    return undefined;
  }
}

function stateOf(runs: RunsNow): string {
  return runs.current ? 'current' : runs.state;
}

/** A thrown value's message, whatever was thrown (prepare may throw something that is not an Error). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Whether a failed rebuild may succeed with the runs unchanged: all but a broken log, a finding about the runs themselves. */
export function mayPassUnchanged(error: unknown): boolean {
  return !(error instanceof BrokenLogError);
}

export interface FreshSessionsOptions<T> {
  /**
   * Opens a folder's analysis, building it first if it is not current:
   * prepareAnalysis. What it has to say goes to `say` (stderr), which
   * drops a line the folder's last build said already.
   */
  prepare: (folder: string, say: (line: string) => void) => Promise<T>;
  close: (value: T) => void;
  look?: (folder: string) => RunsNow;
  /** The record of the analysis `prepare` just opened: analysisRecord. */
  record?: (folder: string) => string | undefined;
  intervalMs?: number;
  retryMs?: number;
  /** Whether a failure is tried again RETRY_FAILED_MS later, the runs unchanged: mayPassUnchanged. */
  retryable?: (error: unknown) => boolean;
  /** Wall clock (ms): fine in cli/, never in sim/. */
  now?: () => number;
  warn?: (line: string) => void;
}

interface Opened<T> {
  value: T;
  /**
   * The record of the analysis it opened (`ingested.json` as prepare left
   * it): another command (analyze, a second serve, a notebook)
   * may rebuild the analysis folder for the same runs, which leaves the runs
   * current while this one's DuckDB mixes its old tables with the new files.
   */
  record: string | undefined;
  inFlight: number;
  /** Called when the last request in flight on it is done (a rebuild waits for it, and at Ctrl-C closeAll too). */
  idle: Array<() => void>;
  /** Closed already (a rebuild and Ctrl-C's closeAll may both reach it). */
  closed: boolean;
}

interface Folder<T> {
  opened?: Opened<T> | undefined;
  /** The rebuild under way: one per folder, every request waits for it. */
  rebuilding?: Promise<void> | undefined;
  /** The last rebuild's error, the runs' state it failed on, and when (for RETRY_FAILED_MS). */
  failed?: { error: unknown; state: string; at: number } | undefined;
  /** What its last build said (prepare's lines): a retry saying the same again says nothing. */
  said: string[];
  lookedAt: number;
}

/** One request's analyses: each stays open until release(). */
export interface Lease<T> {
  open(folder: string): Promise<T>;
  release(): void;
}

export class FreshSessions<T> {
  private readonly folders = new Map<string, Folder<T>>();
  private readonly look: (folder: string) => RunsNow;
  private readonly record: (folder: string) => string | undefined;
  private readonly intervalMs: number;
  private readonly retryMs: number;
  private readonly retryable: (error: unknown) => boolean;
  private readonly now: () => number;
  private readonly warn: (line: string) => void;

  constructor(private readonly options: FreshSessionsOptions<T>) {
    this.look = options.look ?? lookAtRuns;
    this.record = options.record ?? analysisRecord;
    this.intervalMs = options.intervalMs ?? LOOK_INTERVAL_MS;
    this.retryMs = options.retryMs ?? RETRY_FAILED_MS;
    this.retryable = options.retryable ?? mayPassUnchanged;
    this.now = options.now ?? (() => performance.now());
    this.warn = options.warn ?? ((line) => process.stderr.write(`${line}\n`));
  }

  /** For one request: the analyses it opens stay open, and no rebuild swaps them, until it releases them. */
  lease(): Lease<T> {
    const held: Array<Opened<T>> = [];
    return {
      open: async (folder) => {
        const opened = await this.acquire(folder);
        held.push(opened);
        return opened.value;
      },
      release: () => {
        for (const opened of held.splice(0)) {
          opened.inFlight--;
          if (opened.inFlight === 0) for (const resolve of opened.idle.splice(0)) resolve();
        }
      },
    };
  }

  /** Closes every analysis once the requests in flight on it are done (at Ctrl-C). */
  async closeAll(): Promise<void> {
    for (const folder of this.folders.values()) {
      const opened = folder.opened;
      folder.opened = undefined;
      if (opened) await this.drained(opened).then(() => this.close(opened));
    }
  }

  private async acquire(name: string): Promise<Opened<T>> {
    let folder = this.folders.get(name);
    if (!folder) {
      folder = { lookedAt: 0, said: [] };
      this.folders.set(name, folder);
      // Its first open: the error, if any, goes to the request (at serve's start, serveFolder prints it and exits).
      this.startRebuild(name, folder, stateOf(this.look(name)), false);
    } else if (folder.rebuilding === undefined && this.now() - folder.lookedAt >= this.intervalMs) this.lookAgain(name, folder);
    // A request resuming after one rebuild may find the next one begun: it waits for that too.
    while (folder.rebuilding !== undefined) await folder.rebuilding;
    if (folder.opened === undefined) {
      const error = folder.failed?.error;
      throw error instanceof Error ? error : new Error(folder.failed ? messageOf(error) : `${name}: no analysis is open`);
    }
    folder.opened.inFlight++;
    return folder.opened;
  }

  private lookAgain(name: string, folder: Folder<T>): void {
    const runs = this.look(name);
    folder.lookedAt = this.now();
    if (runs.current && folder.opened !== undefined && runs.record === folder.opened.record) return;
    const failed = folder.failed;
    if (failed?.state === stateOf(runs)) {
      // The same runs a rebuild failed on: the same error, without building again until the back-off is over; a broken log's, until they change.
      if (!this.retryable(failed.error) || this.now() - failed.at < this.retryMs) return;
      this.startRebuild(name, folder, failed.state, true);
      return;
    }
    this.warn(
      runs.current && folder.opened !== undefined
        ? `missionbench serve: ${name}: its analysis was built again by another command; opening it again before answering`
        : `missionbench serve: ${name}: its runs changed since they were checked; checking them again before answering`,
    );
    this.startRebuild(name, folder, stateOf(runs), true);
  }

  private startRebuild(name: string, folder: Folder<T>, state: string, announce: boolean): void {
    folder.rebuilding = this.rebuild(name, folder, state, announce).finally(() => {
      folder.rebuilding = undefined;
      folder.lookedAt = this.now();
    });
  }

  /** Never rejects: a failure is kept in `failed`, with the runs' state it failed on, and answered to every request. */
  private async rebuild(name: string, folder: Folder<T>, state: string, announce: boolean): Promise<void> {
    const old = folder.opened;
    const before = folder.failed;
    if (old) await this.drained(old);
    // A line the last build said already (say, "N of M planned runs are not finished") is not said again at every retry or rebuild.
    const saying: string[] = [];
    const said = folder.said;
    const say = (line: string) => {
      saying.push(line);
      if (!said.includes(line)) this.warn(line);
    };
    try {
      const value = await this.options.prepare(name, say);
      // The record prepare left (not a whole look again: prepare has just checked the runs against it).
      folder.opened = { value, record: this.record(name), inFlight: 0, idle: [], closed: false };
      folder.failed = undefined;
      if (before?.state === state) this.warn(`missionbench serve: ${name}: built again, the runs unchanged; the error before is no longer answered`);
    } catch (error) {
      folder.opened = undefined;
      folder.failed = { error, state, at: this.now() };
      // A retry that fails as the last try did (a full disk still full) is not announced again every RETRY_FAILED_MS.
      const again = before?.state === state && messageOf(before.error) === messageOf(error);
      if (announce && !again) {
        this.warn(`missionbench: ${messageOf(error)}`);
        this.warn(
          `missionbench serve: ${name}: the dashboard answers this error until a rebuild succeeds (tried again when the runs change${this.retryable(error) ? `, or ${this.retryMs / 1000} s later` : ''})`,
        );
      }
    } finally {
      folder.said = saying;
      if (old) this.close(old);
    }
  }

  private close(opened: Opened<T>): void {
    if (opened.closed) return;
    opened.closed = true;
    this.options.close(opened.value);
  }

  private drained(opened: Opened<T>): Promise<void> {
    if (opened.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      opened.idle.push(resolve);
    });
  }
}

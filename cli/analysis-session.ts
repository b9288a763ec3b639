import { BrokenLogError, checkLines, refuseBroken, type LogCheck } from '../analysis/check-logs.ts';
import { Analysis } from '../analysis/database.ts';
import { ingestAnalysis, type IngestResult } from '../analysis/ingest.ts';
import { currentAnalysisCheck } from '../analysis/ingested-record.ts';
import { viewDefinitions } from '../analysis/queries.ts';
import { type AnalysisInput, discoverRuns, eventCount, truthRunCount } from '../analysis/run-folders.ts';
import { Progress } from './progress.ts';

export interface AnalysisOptions {
  reingest?: boolean | undefined;
  memoryLimit?: string | undefined;
  /** Answer from logs that do not verify too, with a banner naming each one's first bad seq. */
  allowBroken?: boolean | undefined;
  /** Where its notes go (a line each; default stderr): serve drops one its last build of the folder said already. */
  say?: ((line: string) => void) | undefined;
}

/**
 * Finds the runs in `dir`, checks their logs and ingests them unless the
 * analysis there was built from exactly these runs and none of them (their
 * manifests, logs or Parquet files) changed since it was checked, and opens
 * it. A log that does not verify is refused (BrokenLogError) unless
 * `allowBroken`. Shared by every command that
 * answers from an analysis (analyze, report, serve, size, atlas, notebooks).
 */
export async function prepareAnalysis(
  dir: string,
  options: AnalysisOptions,
): Promise<{ analysis: Analysis; ingest: IngestResult; input: AnalysisInput; check: LogCheck; checkLines: string[] }> {
  const input = discoverRuns(dir);
  if (input.missing.length > 0) {
    const say = options.say ?? ((line: string) => process.stderr.write(`${line}\n`));
    say(
      `missionbench: ${dir}: ${input.missing.length} of ${input.runs.length + input.missing.length} planned runs are not finished (e.g. ${input.missing[0]}); analysing the ${input.runs.length} that are`,
    );
  }
  let ingest: IngestResult;
  const recorded = options.reingest ? undefined : currentAnalysisCheck(input);
  if (recorded !== undefined) {
    refuseBroken(input, recorded, options.allowBroken);
    ingest = {
      runs: input.runs.length,
      events: eventCount(input.runs),
      seconds: 0,
      ingested: false,
      from_parquet: 0,
      truth_from_parquet: 0,
      truth_runs: truthRunCount(input.runs),
      logs_hashed: 0,
      check: recorded,
    };
  } else {
    const progress = new Progress(`ingest ${dir}`);
    ingest = await ingestAnalysis(input, viewDefinitions(), {
      memoryLimit: options.memoryLimit,
      allowBroken: options.allowBroken,
      onProgress: (fraction, events) => progress.update(fraction, `${events} events`),
    });
    progress.done(`${ingest.events} events`);
  }
  return { analysis: await Analysis.open(dir), ingest, input, check: ingest.check, checkLines: checkLines(ingest.check) };
}

/** For the commands: a refused log is exit 1 with its finding on stderr, as `verify` does. */
export function exitIfBroken(error: unknown): void {
  if (error instanceof BrokenLogError) {
    process.stderr.write(`missionbench: ${error.message}\n`);
    process.exit(1);
  }
}

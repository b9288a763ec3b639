import { Analysis } from '../analysis/database.ts';
import { analysisIsCurrent, ingestAnalysis, type IngestResult } from '../analysis/ingest.ts';
import { viewDefinitions } from '../analysis/queries.ts';
import { discoverRuns, type AnalysisInput } from '../analysis/run-folders.ts';
import { Progress } from './progress.ts';

/**
 * Finds the runs in `dir`, ingests them unless the analysis there is
 * already built from exactly these runs, and opens it. Shared by the
 * commands that read an analysis (analyze, size).
 */
export async function prepareAnalysis(dir: string, options: { reingest?: boolean | undefined; memoryLimit?: string | undefined }): Promise<{ analysis: Analysis; ingest: IngestResult; input: AnalysisInput }> {
  const input = discoverRuns(dir);
  if (input.missing.length > 0) {
    process.stderr.write(`missionbench: ${dir}: ${input.missing.length} of ${input.runs.length + input.missing.length} planned runs are not finished (e.g. ${input.missing[0]}); analysing the ${input.runs.length} that are\n`);
  }
  let ingest: IngestResult;
  if (!options.reingest && analysisIsCurrent(input)) {
    ingest = { runs: input.runs.length, events: input.runs.reduce((sum, run) => sum + run.events, 0), seconds: 0, ingested: false, from_parquet: 0, logs_hashed: 0 };
  } else {
    const progress = new Progress(`ingest ${dir}`);
    ingest = await ingestAnalysis(input, viewDefinitions(), {
      memoryLimit: options.memoryLimit,
      onProgress: (fraction, events) => progress.update(fraction, `${events} events`),
    });
    progress.done(`${ingest.events} events`);
  }
  return { analysis: await Analysis.open(dir), ingest, input };
}


import type { Analysis } from './database.ts';
import { RegenerateError, ensureRunLogs } from '../sim/regenerate-logs.ts';
import { BrokenLogError } from './check-logs.ts';
import { QueryError } from './queries.ts';
import { replayData } from './replay.ts';
import { AnalysisInputError, type AnalysisInput } from './run-folders.ts';

export interface ApiResponse {
  status: number;
  body: unknown;
}

/**
 * The dashboard's whole interface to the data, as plain request -> JSON:
 *   GET /api/info                      what was analysed (kind, runs, axes, atlas)
 *   GET /api/queries                   the named queries and their typed parameters
 *   GET /api/query/<name>?p=v          one named query's rows (parameters checked; never SQL)
 *   GET /api/runs                      the runs, for the replay picker
 *   GET /api/replay?run=<id>[&mission=<s256>]   one run's log for the audit replay
 *   GET /api/check                     what was checked of the logs before answering; banners of broken ones
 * Served on an atlas folder, every endpoint also takes `gap=<id>`: which
 * gap's sweep to answer from (default: the first measured gap).
 * Unknown paths, gaps and bad parameters get a 4xx with a message the page shows.
 * serve adds to each answer an analysis gave, or a refused rebuild, its name (answer-identity.ts).
 */
export interface ApiContext {
  /** The folder the user asked to serve. */
  dir: string;
  /** atlas.json of an atlas folder, else null. */
  atlas: unknown;
}

/** One opened analysis: what the endpoints answer from. */
export interface ApiSession {
  analysis: Analysis;
  input: AnalysisInput;
  /** The atlas gap it belongs to, if the served folder is an atlas. */
  gap: string | null;
  /** What was checked of its logs (check-logs.ts checkLines): the dashboard shows it above every view. */
  check?: string[] | undefined;
}

/** The analysis to answer from (opened, or built again if its runs changed) for a gap id, or for the served folder itself when null. */
export type SessionSource = (gap: string | null) => Promise<ApiSession>;

export class UnknownGapError extends Error {
  override name = 'UnknownGapError';
}

export async function handleApi(url: URL, sessions: SessionSource, context: ApiContext): Promise<ApiResponse> {
  const path = url.pathname;
  try {
    const gap = url.searchParams.get('gap');
    url.searchParams.delete('gap');
    const { analysis, input, gap: openedGap, check } = await sessions(gap);
    if (path === '/api/check') {
      const lines = check ?? [];
      return { status: 200, body: { lines, unverified: lines.filter((line) => line.includes('UNVERIFIED')) } };
    }
    if (path === '/api/info') {
      return {
        status: 200,
        body: {
          dir: context.dir,
          analysed: input.dir,
          kind: input.kind,
          runs: input.runs.length,
          missing: input.missing.length,
          axes: input.axes,
          truth: input.runs.some((run) => run.truth_path !== null),
          atlas: context.atlas,
          gap: openedGap,
        },
      };
    }
    if (path === '/api/queries') {
      return { status: 200, body: analysis.list().map(({ name, description, parameters }) => ({ name, description, parameters })) };
    }
    if (path.startsWith('/api/query/')) {
      const name = decodeURIComponent(path.slice('/api/query/'.length));
      const params = Object.fromEntries(url.searchParams.entries());
      return { status: 200, body: await analysis.query(name, params) };
    }
    if (path === '/api/runs') {
      return { status: 200, body: input.runs.map(({ run_id, design, seed, scenario, events }) => ({ run_id, design, seed, scenario, events })) };
    }
    if (path === '/api/replay') {
      const runId = url.searchParams.get('run');
      // Only runs of this analysis, named by id: no path from the page reaches the file system.
      const run = input.runs.find((candidate) => candidate.run_id === runId);
      if (!run) return { status: 404, body: { error: `no run ${JSON.stringify(runId)} in this analysis` } };
      const mission = url.searchParams.get('mission') ?? undefined;
      // A sweep run without --logs: its log is written again from its manifest first (or refused, 409).
      const regenerated = ensureRunLogs(run.events_path);
      if (regenerated !== undefined) process.stderr.write(`${regenerated}\n`);
      return { status: 200, body: await replayData(run.events_path, { mission: mission === '' ? undefined : mission }) };
    }
    return { status: 404, body: { error: `no such endpoint ${path}` } };
  } catch (error) {
    if (error instanceof QueryError) return { status: 400, body: { error: error.message } };
    if (error instanceof UnknownGapError) return { status: 404, body: { error: error.message } };
    // The runs no longer give an analysis (a log that does not verify, a folder edited while served): the page shows why.
    if (error instanceof BrokenLogError || error instanceof RegenerateError || error instanceof AnalysisInputError) {
      return { status: 409, body: { error: error.message } };
    }
    // Anything else is a fault of ours, not of the request: the page shows its message, the terminal serve runs in its stack.
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`missionbench: ${path} failed: ${error instanceof Error && error.stack !== undefined ? error.stack : message}\n`);
    return { status: 500, body: { error: message } };
  }
}

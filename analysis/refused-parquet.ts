/**
 * How a refused Parquet file is told: the ingest summary's clause and the
 * check's lines are both built here, from the same list, so they count the
 * same thing. What is counted is tables (one Parquet file holds one table of
 * one run), not runs: a run whose truth.parquet alone is refused still has
 * its events from events.parquet, and only its truth parsed from its logs.
 */

/**
 * Why a file was not taken. `differs`: neither its stat nor its SHA-256 is
 * the one the run's log-files.json records; `unrecorded`: there is no record
 * to check it against (no log-files.json, or no entry for the file);
 * `missing`: it cannot be read; `replaced`: it was as written when checked,
 * but the file linked into the analysis is not that file (or it was gone
 * by the time it was linked).
 */
export type RefusalReason = 'differs' | 'unrecorded' | 'missing' | 'replaced';

/** A refused file: run id, file name, and why. */
export type RefusedParquet = [run_id: string, file: string, reason: RefusalReason];

const REASONS: Record<RefusalReason, { files: string; one: string; many: string }> = {
  differs: {
    files: 'not the files their runs wrote (neither stat nor SHA-256 matches log-files.json)',
    one: 'is not the file the run wrote',
    many: 'are not the files their runs wrote',
  },
  unrecorded: {
    files: 'no record in log-files.json to check them against',
    one: 'has no record in log-files.json to check it against',
    many: 'have no record in log-files.json to check them against',
  },
  missing: { files: 'recorded but unreadable', one: 'cannot be read', many: 'cannot be read' },
  replaced: {
    files: 'replaced or changed between their check and their link into the analysis',
    one: 'changed between its check and its link into the analysis',
    many: 'changed between their check and their link into the analysis',
  },
};

const ORDER: RefusalReason[] = ['differs', 'unrecorded', 'missing', 'replaced'];

function byReason(refused: readonly RefusedParquet[]): Array<[RefusalReason, RefusedParquet[]]> {
  return ORDER.map((reason): [RefusalReason, RefusedParquet[]] => [reason, refused.filter(([, , why]) => why === reason)]).filter(
    ([, files]) => files.length > 0,
  );
}

/** Whose logs the refused tables came from: "its run's" for one table, "their run's" for several of one run, else "their runs'". */
function whoseLogs(files: readonly RefusedParquet[]): string {
  if (files.length === 1) return "its run's";
  return new Set(files.map(([run]) => run)).size === 1 ? "their run's" : "their runs'";
}

/** How many tables were parsed from logs instead, in words: "that table was ..." or "those 2 tables were ...". */
function parsedInstead(files: readonly RefusedParquet[]): string {
  return files.length === 1
    ? `that table was parsed from ${whoseLogs(files)} logs instead`
    : `those ${files.length} tables were parsed from ${whoseLogs(files)} logs instead`;
}

/** The check's lines naming the refused files, one line per reason (none if there is none). */
export function refusedParquetLines(refused: readonly RefusedParquet[]): string[] {
  return byReason(refused).map(([reason, files]) => {
    const named = files.slice(0, 3).map(([run, file]) => `${run}/${file}`);
    const more = files.length > named.length ? `, and ${files.length - named.length} more` : '';
    return `Parquet files not used, ${REASONS[reason].files}: ${files.length} (${named.join(', ')}${more}); ${parsedInstead(files)}`;
  });
}

/** The ingest summary's clause: how many tables were parsed from logs instead of refused files, and why ('' if none). */
export function refusedParquetClause(refused: readonly RefusedParquet[]): string {
  if (refused.length === 0) return '';
  const [only] = refused;
  if (refused.length === 1 && only !== undefined) {
    return `; 1 table parsed from its run's logs: ${only[0]}/${only[1]} ${REASONS[only[2]].one}`;
  }
  const why = byReason(refused).map(
    ([reason, files]) => `${files.length} Parquet ${files.length === 1 ? `file ${REASONS[reason].one}` : `files ${REASONS[reason].many}`}`,
  );
  return `; ${refused.length} tables parsed from ${whoseLogs(refused)} logs: ${why.join(', ')}`;
}

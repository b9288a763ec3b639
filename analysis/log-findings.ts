import type { RecordedFinding } from '../sim/log-files.ts';

/**
 * What the log check (check-logs.ts) and the sidecars' hashing
 * (column-files.ts) find and hand to each other, in a module of its own so
 * that neither imports the other.
 */

/**
 * What a log stands for once checked, by path: a verified events.jsonl's
 * last hash (its fingerprint), and for a run without logs whose Parquet
 * files are as written, the manifest's fingerprint and truth SHA-256
 * (column-files.ts compares them with what each Parquet file names).
 */
export type CheckedDigests = Map<string, string>;

/**
 * What each sidecar (by path) was found to be against its run's
 * log-files.json (sim/log-files.ts checkAgainstRecord): `as-written` while
 * its stat, or failing that its SHA-256, is the one recorded; `replaced`
 * if it was as written when checked but the file linked into the analysis
 * is not that file (takeSidecar). Filled by hashLogsWithSidecars for runs
 * with logs and by the log check for runs without (check-logs.ts); a
 * sidecar not in it, or found anything but `as-written`, is not taken: a
 * file that names the right run and fingerprint in its footer can still
 * hold other rows (a byte flipped, a file rewritten).
 */
export type ParquetFinding = RecordedFinding | 'replaced';
export type ParquetAsWritten = Map<string, ParquetFinding>;

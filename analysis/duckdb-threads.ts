/**
 * DuckDB's thread count, if MISSIONBENCH_DUCKDB_THREADS sets one (default:
 * DuckDB's, one per core). Answers do not depend on it (the metric SQL
 * aggregates in a fixed order); it is there for shared machines and for
 * the test that shows they do not.
 */
export function duckdbThreads(): { threads?: string } {
  const threads = process.env.MISSIONBENCH_DUCKDB_THREADS;
  return threads !== undefined && /^[1-9]\d*$/.test(threads) ? { threads } : {};
}

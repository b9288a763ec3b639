/**
 * The contract between `bench/main.ts` and the benchmark modules. Each
 * `bench/<name>.bench.ts` exports `benchmarks: Benchmark[]`; main runs them
 * in order and prints what they return. Benchmarks may read the wall clock
 * (simulation code never does).
 */

/** Settings from the command line that benchmarks read (set by main before any runs). */
export const benchSettings = {
  /** `--full`: run at the sizes the issues quote (peer: 1,000,000 customers) rather than the quick defaults. */
  full: false,
};

/** What one benchmark measured. Every field is a plain number so the JSON stays flat. */
export interface BenchResult {
  /** Throughput, the headline figure (when the benchmark has one). */
  events_per_s?: number;
  /** Free numeric fields, e.g. events, pending, wall_s, rss_mb. */
  [field: string]: number | undefined;
}

export interface Benchmark {
  /** Unique, stable name; the key in `--json` output and what `--only` matches. */
  name: string;
  /** One line saying what is measured. */
  description: string;
  /** The goal in words, e.g. ">= 10M events/s" (shown next to the result). */
  target?: string;
  run(): Promise<BenchResult> | BenchResult;
  /** A table or text of its own, printed under the summary table after the run (e.g. the protocol scaling table). */
  report?(): string | undefined;
}

/** Nanoseconds since an arbitrary origin, as a number (fine for intervals below ~100 days). */
export function nowNs(): number {
  return Number(process.hrtime.bigint());
}

/** Resident set size in MiB, rounded to one decimal. */
export function rssMb(): number {
  return Math.round((process.memoryUsage().rss / 2 ** 20) * 10) / 10;
}

/** Runs a full GC when node was started with --expose-gc; otherwise does nothing. */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

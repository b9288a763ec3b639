/**
 * A ratio between two sides measured in interleaved rounds, with its spread.
 *
 * Why per round: the rounds interleave the sides so that both see the same
 * machine load, and this machine's speed drifts by a third from minute to
 * minute (docs/benchmarks.md, "A new machine"). A side's median over the
 * rounds divided by the other's median mixes rounds taken at different
 * speeds; the ratio within each round compares runs taken minutes apart at
 * most. The spread of those per-round ratios is the uncertainty a reader
 * needs before calling a target met: a median above the target with a round
 * below it is "met in 2 of 3 rounds", not "met".
 */
export interface RoundRatios {
  /** Median of the per-round ratios. */
  median: number;
  /** Smallest and largest per-round ratio. */
  low: number;
  high: number;
  /** The per-round ratios, in round order. */
  rounds: number[];
}

/** Per-round `numerator[i] / denominator[i]`; undefined if a side is missing (SimPy not installed) or the rounds differ in number. */
export function roundRatios(numerator: readonly number[], denominator: readonly number[]): RoundRatios | undefined {
  if (numerator.length === 0 || numerator.length !== denominator.length) return undefined;
  const rounds = numerator.map((value, i) => value / (denominator[i] as number));
  const sorted = [...rounds].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { median, low: sorted[0] as number, high: sorted[sorted.length - 1] as number, rounds };
}

/** How many rounds reach `target` (a ratio of at least it), e.g. "met in 2 of 3 rounds". */
export function roundsMeeting(ratios: RoundRatios, target: number): string {
  const met = ratios.rounds.filter((ratio) => ratio >= target).length;
  if (met === ratios.rounds.length) return `met in every round (${met} of ${met})`;
  if (met === 0) return `not met in any round (0 of ${ratios.rounds.length})`;
  return `met in ${met} of ${ratios.rounds.length} rounds`;
}

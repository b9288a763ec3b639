import type { Call } from './join.ts';
import type { CallRecord, SourcedRecord } from './record.ts';
import { isoToMicros } from './time.ts';

/** The party whose clock stamped a record: the caller's own identity, the callee's, the PS for a person's act. */
export function clockOf(record: CallRecord): string {
  if (record.side === 'caller') return record.from ?? record.agent ?? '(unnamed caller)';
  return record.to;
}

export interface SkewReport {
  /** The party whose clock the others are set against (the one that wrote the most records). */
  reference: string | null;
  /** Per party: microseconds subtracted from its times (its clock ran this far ahead of the reference). */
  offsets: Array<{ party: string; offset_us: number; calls: number }>;
  /** Calls whose two ends no single offset can reconcile (kept, ordered by the call tree). */
  irreconcilable: number;
}

/**
 * Clock skew between parties, handled explicitly. Causality bounds the
 * offset between a caller's and a callee's clocks on every joined call: the
 * callee cannot start before the caller did, nor finish after the caller
 * had its answer. Intersecting those bounds per pair of parties gives the
 * offsets that make every call causal; we take the smallest such shift (none
 * when the clocks already agree), set every party against the party that
 * wrote the most records, and report each shift. Where no shift works the
 * call tree decides the order (see orderByTree).
 */
export function estimateSkew(calls: readonly Call[]): { offsetOf: (party: string) => number; report: SkewReport } {
  const bounds = new Map<string, { from: string; to: string; lo: number; hi: number; calls: number }>();
  const written = new Map<string, number>();
  let irreconcilable = 0;
  for (const call of calls) {
    for (const s of [call.caller, call.callee, call.person]) if (s) written.set(clockOf(s.record), (written.get(clockOf(s.record)) ?? 0) + 1);
    if (!call.caller || !call.callee) continue;
    const a = call.caller.record;
    const b = call.callee.record;
    const from = clockOf(a);
    const to = clockOf(b);
    if (from === to) continue;
    const aStart = isoToMicros(a.started_at);
    const bStart = isoToMicros(b.started_at);
    const hi = bStart - aStart; // offset(to) - offset(from) <= hi
    let lo = -Infinity;
    if (a.duration_ms !== undefined && b.duration_ms !== undefined) lo = bStart + b.duration_ms * 1000 - (aStart + a.duration_ms * 1000);
    const key = `${from}\u0000${to}`;
    const pair = bounds.get(key) ?? { from, to, lo: -Infinity, hi: Infinity, calls: 0 };
    pair.lo = Math.max(pair.lo, lo);
    pair.hi = Math.min(pair.hi, hi);
    pair.calls++;
    bounds.set(key, pair);
  }
  // The smallest shift that makes each pair causal; both directions as edges.
  const edges = new Map<string, Array<{ to: string; delta: number; calls: number }>>();
  const addEdge = (from: string, to: string, delta: number, calls: number) => {
    const list = edges.get(from) ?? [];
    list.push({ to, delta, calls });
    edges.set(from, list);
  };
  for (const pair of bounds.values()) {
    let delta = 0;
    if (pair.lo > pair.hi) {
      irreconcilable += pair.calls;
      delta = (pair.lo + pair.hi) / 2;
    } else if (pair.hi < 0) delta = pair.hi;
    else if (pair.lo > 0) delta = pair.lo;
    delta = Math.round(delta);
    addEdge(pair.from, pair.to, delta, pair.calls);
    addEdge(pair.to, pair.from, -delta, pair.calls);
  }
  const parties = [...written.keys()].sort((x, y) => (written.get(y) ?? 0) - (written.get(x) ?? 0) || x.localeCompare(y));
  const offsets = new Map<string, number>();
  for (const start of parties) {
    if (offsets.has(start)) continue;
    offsets.set(start, 0);
    const queue = [start];
    while (queue.length > 0) {
      const party = queue.shift() as string;
      for (const edge of (edges.get(party) ?? []).sort((x, y) => y.calls - x.calls || x.to.localeCompare(y.to))) {
        if (offsets.has(edge.to)) continue;
        offsets.set(edge.to, (offsets.get(party) ?? 0) + edge.delta);
        queue.push(edge.to);
      }
    }
  }
  const report: SkewReport = {
    reference: parties[0] ?? null,
    offsets: parties.filter((p) => (offsets.get(p) ?? 0) !== 0).map((party) => ({ party, offset_us: offsets.get(party) ?? 0, calls: written.get(party) ?? 0 })),
    irreconcilable,
  };
  return { offsetOf: (party) => offsets.get(party) ?? 0, report };
}

/** A record's start and end on the reference clock, microseconds since the epoch. */
export function correctedSpan(s: SourcedRecord, offsetOf: (party: string) => number): { start: number; end: number } {
  const start = isoToMicros(s.record.started_at) - offsetOf(clockOf(s.record));
  return { start, end: start + Math.round((s.record.duration_ms ?? 0) * 1000) };
}

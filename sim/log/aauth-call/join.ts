import type { SourcedRecord } from './record.ts';

/** One HTTP call (or one person's act) with the records both ends wrote about it. */
export interface Call {
  id: string;
  caller?: SourcedRecord;
  callee?: SourcedRecord;
  person?: SourcedRecord;
  /** Records beyond one per side (the same end logged the call twice). */
  duplicates: SourcedRecord[];
  /** The call being handled when this one was made (from the caller's record). */
  parent?: string;
  children: Call[];
}

/** Where the two ends of a call disagree. */
export interface Disagreement {
  call_id: string;
  what: 'status' | 'timing' | 'parent';
  caller: string;
  callee: string;
  detail: string;
}

/**
 * Joins caller and callee records on `call_id` (the reference makes it the
 * hash of the request's Signature header, which both ends hold), whatever
 * file or order they came in, and rebuilds the call trees from `parent`.
 */
export function joinCalls(records: readonly SourcedRecord[]): { calls: Call[]; roots: Call[]; disagreements: Disagreement[]; orphanParents: number } {
  const byId = new Map<string, Call>();
  for (const sourced of records) {
    const { record } = sourced;
    let call = byId.get(record.call_id);
    if (!call) {
      call = { id: record.call_id, duplicates: [], children: [] };
      byId.set(record.call_id, call);
    }
    if (call[record.side] === undefined) call[record.side] = sourced;
    else call.duplicates.push(sourced);
  }
  const disagreements: Disagreement[] = [];
  const where = (s: SourcedRecord | undefined) => (s ? `${s.file}:${s.line}` : '-');
  for (const call of byId.values()) {
    const { caller, callee } = call;
    call.parent = caller?.record.parent ?? callee?.record.parent ?? call.person?.record.parent;
    if (!caller || !callee) continue;
    const a = caller.record;
    const b = callee.record;
    if (a.status !== b.status) {
      disagreements.push({
        call_id: call.id,
        what: 'status',
        caller: where(caller),
        callee: where(callee),
        detail: `caller saw ${a.status ?? 'no answer'}${a.error ? ` (${a.error})` : ''}, callee answered ${b.status ?? 'nothing'}`,
      });
    }
    // Whatever the clocks, the callee's handling fits inside the caller's wait.
    if (a.duration_ms !== undefined && b.duration_ms !== undefined && b.duration_ms > a.duration_ms + 1) {
      disagreements.push({
        call_id: call.id,
        what: 'timing',
        caller: where(caller),
        callee: where(callee),
        detail: `the callee took ${b.duration_ms} ms, longer than the caller waited (${a.duration_ms} ms)`,
      });
    }
    if (a.parent !== undefined && b.parent !== undefined && a.parent !== b.parent) {
      disagreements.push({
        call_id: call.id,
        what: 'parent',
        caller: where(caller),
        callee: where(callee),
        detail: `caller says parent ${a.parent}, callee ${b.parent}`,
      });
    }
  }
  const roots: Call[] = [];
  let orphanParents = 0;
  for (const call of byId.values()) {
    const parent = call.parent === undefined ? undefined : byId.get(call.parent);
    if (parent && parent !== call) parent.children.push(call);
    else {
      if (call.parent !== undefined) orphanParents++;
      roots.push(call);
    }
  }
  return { calls: [...byId.values()], roots, disagreements, orphanParents };
}

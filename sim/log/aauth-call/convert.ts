import { correctedSpan, estimateSkew, type SkewReport } from './clock-skew.ts';
import { joinCalls, type Call, type Disagreement } from './join.ts';
import { missionClaim, nameOf, s256Of, tokenIn, viewOf, type CallTimes, type LogContext, type MappedEvent } from './call-view.ts';
import { mapCall } from './map.ts';
import type { SourcedRecord } from './record.ts';

/** One record that did not become an event, kept with its reason. */
export interface UnmappedRecord {
  file: string;
  line: number;
  reason: string;
  record: SourcedRecord['record'];
}

export interface ConversionReport {
  records: number;
  calls: number;
  /** Calls with both ends' records, with only one end, and persons' acts. */
  joined: { both: number; caller_only: number; callee_only: number; person: number; duplicates: number };
  events: number;
  unmapped: { total: number; by_reason: Record<string, number> };
  /** Records that map to no event of their own because another record carries the same fact, by reason. */
  folded: Record<string, number>;
  disagreements: Disagreement[];
  skew: SkewReport & { reordered_by_tree: number };
  /** Calls that name a parent call no record in the input describes. */
  orphan_parents: number;
  /** Calls whose parent chain loops back on itself (ordered by their own clocks). */
  parent_cycles: number;
  /** Missions whose s256 was recomputed from the blob because no record named it. */
  recomputed_s256: number;
  /** Operations whose answer does not say whether they were irreversible (taken as reversible). */
  irreversibility_unstated: number;
}

export interface Conversion {
  /** Events in log order, times in microseconds from `clockOrigin`. */
  events: Array<{ t: number; type: string; mission: string | null; actor: string; fields: Record<string, unknown> }>;
  clockOrigin: string;
  /** Epoch microseconds of t = 0. */
  epochOrigin: number;
  unmapped: UnmappedRecord[];
  report: ConversionReport;
}

/** Fields that hold a time: epoch microseconds in the mapper, log microseconds (from t = 0) in the events. */
const TIME_FIELDS = new Set(['iat', 'exp', 'exposed_until']);

/** Times on the reference clock to times from the run's start: a time field, or (an AS's downstream list) each entry's. */
function fromOrigin(key: string, value: unknown, origin: number): unknown {
  if (TIME_FIELDS.has(key) && typeof value === 'number') return Math.max(0, value - origin);
  if (key === 'downstream' && Array.isArray(value))
    return value.map((entry: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(entry).map(([field, inner]) => [field, fromOrigin(field, inner, origin)])),
    );
  return value;
}

/**
 * Turns `aauth.call` records into this project's events: join the two ends
 * of every call, rebuild the call trees, put every party on one clock, map
 * each call in causal order, and account for every record that could not be
 * mapped. Pure: the caller decides what to write.
 */
export function convertCallRecords(records: readonly SourcedRecord[]): Conversion {
  const { calls, roots, disagreements, orphanParents } = joinCalls(records);
  const { offsetOf, report: skew } = estimateSkew(calls);
  const times = new Map<Call, CallTimes>();
  for (const call of calls) {
    const t: CallTimes = {};
    if (call.caller) ({ start: t.callerStart, end: t.callerEnd } = correctedSpan(call.caller, offsetOf));
    if (call.callee) ({ start: t.calleeStart, end: t.calleeEnd } = correctedSpan(call.callee, offsetOf));
    if (call.person) ({ start: t.personAt, end: t.personEnd } = correctedSpan(call.person, offsetOf));
    times.set(call, t);
  }
  const startOf = (call: Call) => {
    const t = times.get(call) as CallTimes;
    return Math.min(...[t.callerStart, t.calleeStart, t.personAt].filter((v): v is number => v !== undefined));
  };

  // Causal order: roots by start time, each call before the calls it made.
  // Where a child's clock still says it began before its parent, the tree wins.
  const ordered: Array<{ call: Call; floor: number }> = [];
  let reordered = 0;
  // Ties broken by call_id, never by input order: the same records in any order give the same log.
  const byStart = (x: Call, y: Call) => startOf(x) - startOf(y) || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);
  const visited = new Set<Call>();
  const visit = (root: Call) => {
    // Depth first without recursion: a long chain of calls cannot exhaust the stack.
    const stack: Array<{ call: Call; floor: number }> = [{ call: root, floor: -Infinity }];
    while (stack.length > 0) {
      const { call, floor } = stack.pop() as { call: Call; floor: number };
      if (visited.has(call)) continue;
      visited.add(call);
      const start = startOf(call);
      if (start < floor) reordered++;
      ordered.push({ call, floor });
      const own = Math.max(start, floor);
      for (const child of [...call.children].sort(byStart).reverse()) stack.push({ call: child, floor: own });
    }
  };
  for (const root of [...roots].sort(byStart)) visit(root);
  // Calls whose parents form a cycle have no root: order them by their own clocks, and say so.
  const inCycles = calls.filter((call) => !visited.has(call)).sort(byStart);
  for (const call of inCycles) visit(call);

  const context = buildContext(calls, times);
  const mapped: Array<MappedEvent & { order: number }> = [];
  const unmapped: UnmappedRecord[] = [];
  const folded: Record<string, number> = {};
  let irreversibilityUnstated = 0;
  for (const [order, { call, floor }] of ordered.entries()) {
    const result = mapCall(viewOf(call, times.get(call) as CallTimes), context);
    const sides = [call.caller, call.callee, call.person].filter((s): s is SourcedRecord => s !== undefined);
    if ('unmapped' in result) {
      for (const s of sides) unmapped.push({ file: s.file, line: s.line, reason: result.unmapped, record: s.record });
    } else {
      if (result.events.length === 0) folded[result.folded ?? 'no event'] = (folded[result.folded ?? 'no event'] ?? 0) + sides.length;
      for (const event of result.events) {
        mapped.push({ ...event, at: Math.max(event.at, floor), order });
        const answer = (call.callee ?? call.caller)?.record.response?.body as { irreversible?: unknown } | undefined;
        if (event.type === 'op.executed' && typeof answer?.irreversible !== 'boolean') irreversibilityUnstated++;
      }
    }
    for (const s of call.duplicates)
      unmapped.push({
        file: s.file,
        line: s.line,
        reason: `a second record of the same end of a call, the first was used (${s.record.side}, call ${call.id})`,
        record: s.record,
      });
  }
  mapped.sort((x, y) => x.at - y.at || x.order - y.order);

  const first = mapped[0]?.at ?? records.reduce((min, r) => Math.min(min, correctedSpan(r, offsetOf).start), Infinity);
  const epochOrigin = Math.floor(first / 60_000_000) * 60_000_000;
  const origin = new Date(epochOrigin / 1000);
  const clockOrigin = `${String(origin.getUTCHours()).padStart(2, '0')}:${String(origin.getUTCMinutes()).padStart(2, '0')}`;
  const events = mapped.map((event) => {
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(event.fields)) fields[key] = fromOrigin(key, value, epochOrigin);
    return { t: event.at - epochOrigin, type: event.type, mission: event.mission, actor: event.actor, fields };
  });

  const byReason: Record<string, number> = {};
  for (const u of unmapped) byReason[generalise(u.reason)] = (byReason[generalise(u.reason)] ?? 0) + 1;
  const report: ConversionReport = {
    records: records.length,
    calls: calls.length,
    joined: {
      both: calls.filter((c) => c.caller && c.callee).length,
      caller_only: calls.filter((c) => c.caller && !c.callee).length,
      callee_only: calls.filter((c) => !c.caller && c.callee).length,
      person: calls.filter((c) => c.person).length,
      duplicates: calls.reduce((n, c) => n + c.duplicates.length, 0),
    },
    events: events.length,
    unmapped: { total: unmapped.length, by_reason: byReason },
    folded,
    disagreements,
    skew: { ...skew, reordered_by_tree: reordered },
    orphan_parents: orphanParents,
    parent_cycles: inCycles.length,
    recomputed_s256: context.recomputed.length,
    irreversibility_unstated: irreversibilityUnstated,
  };
  return { events, clockOrigin, epochOrigin, unmapped, report };
}

/** A reason without its particulars (the parenthesised path, status, action), so the counts group. */
function generalise(reason: string): string {
  return reason.replace(/\s*\([^)]*\)$/, '');
}

/** Tokens and missions seen anywhere in the log, for calls that do not name their own. */
function buildContext(calls: readonly Call[], times: Map<Call, CallTimes>): LogContext & { recomputed: string[] } {
  const context: LogContext & { recomputed: string[] } = {
    missionOfJti: new Map(),
    approvals: new Map(),
    approvedByPerson: new Set(),
    revocationAttempts: new Map(),
    revocationCalls: new Map(),
    callById: new Map(),
    recomputed: [],
  };
  const approvals: Array<{ agent: string; at: number; s256: string }> = [];
  for (const call of calls) {
    context.callById.set(call.id, call);
    const t = times.get(call) as CallTimes;
    const revocation = (call.caller ?? call.callee)?.record;
    const revoked = revocation?.request?.body as Record<string, unknown> | undefined;
    if (revocation?.method === 'POST' && revocation.path === '/revoke' && typeof revoked?.jti === 'string') {
      const role = revocation.from_role === 'as' ? 'as' : revocation.from_role === 'resource' ? 'resource' : 'ps';
      const key = `${role}:${nameOf(revocation.from ?? '')} ${nameOf(revocation.to)} ${revoked.jti}`;
      context.revocationCalls.set(key, [...(context.revocationCalls.get(key) ?? []), t.callerStart ?? t.calleeStart ?? 0]);
    }
    for (const s of [call.caller, call.callee, call.person]) {
      if (!s) continue;
      const { record } = s;
      const bodies = [record.request?.body, record.response?.body].filter((b): b is Record<string, unknown> => b !== null && typeof b === 'object');
      const tokens = [record.signed?.scheme === 'jwt' ? record.signed.token : undefined, ...bodies.flatMap((b) => Object.values(b).map(tokenIn))];
      for (const token of tokens) {
        const jti = token?.payload.jti;
        const mission = missionClaim(token);
        if (typeof jti === 'string' && mission) context.missionOfJti.set(jti, mission);
      }
    }
    const person = call.person?.record;
    const answer = (call.person ?? call.callee ?? call.caller)?.record.response?.body;
    const request = (call.callee ?? call.caller)?.record.request?.body as Record<string, unknown> | undefined;
    const status = (call.callee ?? call.caller)?.record.status ?? 0;
    const answered = status >= 200 && status < 300 && status !== 202;
    const isApproval = person
      ? /^approve/i.test(person.action ?? '')
      : answered && (typeof request?.description === 'string' || (answer !== null && typeof answer === 'object' && 'mission' in answer));
    if (isApproval && answer && typeof answer === 'object') {
      const s256 = s256Of({ ...(person?.request?.body as object | undefined), ...(answer as Record<string, unknown>) });
      const agent = person?.agent ?? (call.callee ?? call.caller)?.record.agent;
      if (s256 && agent) {
        approvals.push({ agent, at: t.personAt ?? t.calleeEnd ?? t.callerEnd ?? 0, s256: s256.s256 });
        if (person) context.approvedByPerson.add(s256.s256);
        if (s256.recomputed) context.recomputed.push(s256.s256);
      }
    }
  }
  for (const approval of approvals.sort((x, y) => x.at - y.at || (x.s256 < y.s256 ? -1 : x.s256 > y.s256 ? 1 : 0))) {
    const list = context.approvals.get(approval.agent) ?? [];
    list.push({ at: approval.at, s256: approval.s256 });
    context.approvals.set(approval.agent, list);
  }
  context.recomputed = [...new Set(context.recomputed)];
  return context;
}

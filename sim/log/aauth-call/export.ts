import type { LoggedEvent } from '../read-log.ts';
import { clockOf } from './clock-skew.ts';
import { nameAfter } from './export-call-writer.ts';
import { governanceExport } from './export-governance.ts';
import { missionExport } from './export-missions.ts';
import { operationExport } from './export-operations.ts';
import { revocationExport } from './export-revocation.ts';
import { createExportState } from './export-state.ts';
import { subAgentExport } from './export-sub-agents.ts';
import { tokenExport } from './export-tokens.ts';
import type { CallRecord } from './record.ts';

/**
 * A simulated run as `aauth.call` records: both ends of every HTTP call the
 * simulated parties made, as the reference's call log would have written
 * them (call-log/src/record.ts): tokens as {type, payload}, `call_id` the
 * base64url SHA-256 of the request's Signature header, `parent` the call
 * being handled when an outbound call was made, a person's act as a
 * `person` record written by the PS.
 *
 * The simulator logs decisions, not messages, so each call is rebuilt from
 * the events that bracket it (a grant is the answer to a token request, an
 * operation's queueing and execution are the arrival and the answer of a
 * resource call). Events with no HTTP call behind them (queueing inside a
 * resource, background jobs, the AOP ledger, agent crashes, our own session
 * blocks, ...) are not written; `notExported` counts them by type.
 */
export interface ExportResult {
  records: CallRecord[];
  /** Events with no HTTP call behind them, by type. */
  notExported: Record<string, number>;
  /** Calls still waiting for their answer when the run ended: a real party writes a record only once the answer is known. */
  inFlight: number;
}

/**
 * Events that have no call of their own: what they say is carried by the
 * call written for another event (an operation's start by its answer, the
 * PS's deferral of a mission by the proposal's 202).
 */
const FOLDED = new Set(['op.started', 'mission.deferred']);

export function exportCallRecords(events: Iterable<LoggedEvent>, runId: string): ExportResult {
  const state = createExportState(runId);
  // One module per message family, each keeping the calls it opens; they share `state` (ids, clock, writer, counters).
  // Missions finish first: their acts no PS event followed are counted before revocation writes the calls answered on arrival.
  const subAgents = subAgentExport(state);
  const families = [
    missionExport(state),
    tokenExport(state, subAgents),
    operationExport(state),
    subAgents,
    governanceExport(state, subAgents),
    revocationExport(state),
  ];
  const handlerOf = new Map<string, (e: LoggedEvent) => void>([['run.started', (e) => state.startClockAt(e.clock_origin)]]);
  for (const { handlers } of families) {
    for (const [type, handler] of Object.entries(handlers)) {
      if (handlerOf.has(type)) throw new Error(`aauth-call export: two message families handle ${type}`);
      handlerOf.set(type, handler);
    }
  }

  for (const e of events) {
    if (e.actor.startsWith('as:')) state.accessServers.add(nameAfter(e.actor));
    const handler = handlerOf.get(e.type);
    if (handler) handler(e);
    else if (!FOLDED.has(e.type)) state.notExported[e.type] = (state.notExported[e.type] ?? 0) + 1;
  }
  // Calls still open at the end were never answered: a party writes its record only once the answer is known.
  const inFlight = families.reduce((open, family) => open + family.finish(), 0);
  return { records: state.records, notExported: state.notExported, inFlight };
}

/** Records grouped as each party would hand over its own log: by the party that wrote them, named for a file. */
export function recordsByParty(records: readonly CallRecord[]): Map<string, CallRecord[]> {
  const byParty = new Map<string, CallRecord[]>();
  for (const record of records) {
    const file = `${clockOf(record)
      .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
      .replace(/[^A-Za-z0-9.@-]/g, '_')}.jsonl`;
    const list = byParty.get(file) ?? [];
    list.push(record);
    byParty.set(file, list);
  }
  return byParty;
}

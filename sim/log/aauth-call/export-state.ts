import { createHash } from 'node:crypto';
import type { LoggedEvent } from '../read-log.ts';
import { type CallFields, type CallWriter, callWriter, nameAfter } from './export-call-writer.ts';
import type { CallRecord, Role, Token } from './record.ts';
import { microsToIso, microsToNumericDate } from './time.ts';

/**
 * What the message families of `export --format aauth-call` (export.ts)
 * share: the records and their writer, the one id counter, the run's clock,
 * the counters of events not written, and what one family's events
 * establish for another's (a token's issuer, the Access Servers seen, the
 * answer a class binding amends, a sub-agent's open ask of its parent).
 * Each family keeps the calls it alone opens and closes to itself.
 */
export interface ExportState extends CallWriter {
  records: CallRecord[];
  /** Events with no HTTP call behind them, by type (and, for one that found no call to sit in, a label saying so). */
  notExported: Record<string, number>;
  /** The next call id. One counter for the whole run, drawn in event order: the ids (and so the log) stay the same run to run. */
  callId: () => string;
  /** Simulation microseconds as the ISO time a record starts at. */
  iso: (t: number) => string;
  /** Simulation microseconds as a NumericDate (a token's iat/exp). */
  seconds: (t: number) => number;
  /** Sets the wall-clock time the run's zero stands for (`run.started`'s clock_origin, "HH:MM" on 2026-01-01). */
  startClockAt: (clockOrigin: unknown) => void;
  /** Counts an event that should sit in a call but found none: counted, never dropped silently. */
  unplaced: (e: LoggedEvent) => void;
  /** jti -> the auth token as the agent presents it (the resource calls carry it). */
  authTokens: Map<string, Token>;
  /** jti -> the PS that granted it (a resource's token-status check goes there). */
  issuerOfJti: Map<string, string>;
  /** Names of the Access Servers seen acting (four-party): a revocation notice to one goes to role as. */
  accessServers: Set<string>;
  /** Seed 002 (this project's own): the answer body that approved a mission or granted a hop, by agent, for the class the PS binds it to next. */
  bindingAnswers: Map<string, Record<string, unknown>>;
  /**
   * -11: a sub-agent's request to its parent runtime, open until the parent refuses it or relays the PS's answer
   * (child -> ask). Opened and refused by the sub-agent family, closed by whichever PS request the parent made for it.
   */
  parentAsks: Map<string, ParentAsk>;
}

/** What one message family does with each event type it owns (export.ts routes every event to its type's handler). */
export type EventHandlers = Record<string, (e: LoggedEvent) => void>;

/** One message family's exporter: its `handlers`, called in log order; `finish` at the end of the run, returning how many of its calls were never answered. */
export interface MessageFamily {
  handlers: EventHandlers;
  finish: () => number;
}

/** A call opened by one event (its id drawn then) and written when another answers it. */
export interface OpenCall {
  id: string;
  start: number;
  event: LoggedEvent;
}

/** -11: a sub-agent's ask of its parent, with the narrowing the parent applied before asking the PS. */
export type ParentAsk = OpenCall & { narrowed?: LoggedEvent };

/** A call's fields other than who makes it, to whom, on whose behalf, and how (an agent's POST to the event's party fills those). */
export type CallRest = Omit<CallFields, 'from' | 'fromRole' | 'to' | 'toRole' | 'agent' | 'method'>;

export function createExportState(runId: string): ExportState {
  const records: CallRecord[] = [];
  const notExported: Record<string, number> = {};
  let epoch = Date.UTC(2026, 0, 1) * 1000;
  let counter = 0;
  // The reference's call_id is the base64url SHA-256 of the request's Signature header; ours stand in for one per call.
  const signature = () => `sig1=:${createHash('sha256').update(`${runId}/${counter++}`).digest('base64')}:`;
  const callId = () => createHash('sha256').update(signature()).digest('base64url');
  const iso = (t: number) => microsToIso(epoch + t);
  const seconds = (t: number) => microsToNumericDate(epoch + t);
  const startClockAt = (clockOrigin: unknown) => {
    const [h = 0, m = 0] = String(clockOrigin ?? '00:00')
      .split(':')
      .map(Number);
    epoch = Date.UTC(2026, 0, 1, h, m) * 1000;
  };
  const unplaced = (e: LoggedEvent) => {
    const label = `${e.type} (no call to place it in)`;
    notExported[label] = (notExported[label] ?? 0) + 1;
  };
  return {
    ...callWriter(records, callId, iso),
    records,
    notExported,
    callId,
    iso,
    seconds,
    startClockAt,
    unplaced,
    authTokens: new Map(),
    issuerOfJti: new Map(),
    accessServers: new Set(),
    bindingAnswers: new Map(),
    parentAsks: new Map(),
  };
}

/** An agent's POST to the party of event `e` (its PS or a resource): the fields every such call shares. */
export function agentPost(state: ExportState, e: LoggedEvent, agent: string, toRole: Role, rest: CallRest): string {
  return state.call({ from: agent, fromRole: 'agent', to: nameAfter(e.actor), toRole, agent, method: 'POST', ...rest });
}

/** This project's class claim (where the PS checks class), as a token payload or body carries it. */
export function classClaim(value: unknown): { mb_class?: string } {
  return typeof value === 'string' ? { mb_class: value } : {};
}

import { IncidentReport } from '../sim/log/incident-report.ts';
import { MissionControlView } from '../sim/log/mission-control.ts';
import type { LoggedEvent } from '../sim/log/read-log.ts';
import { brokenBanner, trustStatement, verifyLog, type VerifyResult } from '../sim/log/verify.ts';

/** What the audit replay view shows of one run, read from its log alone. */
export interface ReplayData {
  verify: VerifyResult;
  /**
   * What the check means, shown with every answer: for a broken log the
   * banner naming its first bad seq (everything from there is unverified),
   * else what its signatures prove.
   */
  check: string;
  missions: Array<{ mission: string; agent: string; approver: string | null }>;
  /** Mission Control: one line per token decision, with the seq of its event and whether it verified. */
  timeline: Array<{ seq: number; line: string; verified: boolean }>;
  /** The regulator's questions (replay --explain), per mission; a broken log's banner first. */
  explain: string[];
  /** Who was given authority for what: agent -> resource edges from the grants in the log, with who authorized them. */
  delegation: Array<{ from: string; to: string; scope: string; by: string; seq: number; verified: boolean }>;
  /** Delegation hops (agent to agent, not token grants): minted or refused, by whom, at which depth. */
  hops: Array<{ parent: string; child: string; depth: number; outcome: 'granted' | 'refused'; by: string; reason: string; seq: number; verified: boolean }>;
  /** The events themselves, to step through (at most `limit`). */
  events: LoggedEvent[];
  /** Wall-clock time (HH:MM) of t = 0, from run.started (00:00 when the log does not say), so times read as clock times. */
  clockOrigin: string;
  total: number;
  truncated: boolean;
}

/**
 * Reads one run's events.jsonl for the replay view, checking the chain,
 * session blocks, seal and keys in the same pass: the Mission Control
 * timeline, the incident questions and the events to step through,
 * optionally for one mission only. Everything read after the log's first
 * bad line is marked unverified.
 */
export async function replayData(eventsPath: string, options: { mission?: string | undefined; limit?: number | undefined } = {}): Promise<ReplayData> {
  const limit = options.limit ?? 2000;
  const view = new MissionControlView(options.mission);
  const report = new IncidentReport(options.mission);
  const missions = new Map<string, { mission: string; agent: string; approver: string | null }>();
  const timeline: ReplayData['timeline'] = [];
  const delegation: ReplayData['delegation'] = [];
  const hops: ReplayData['hops'] = [];
  const events: LoggedEvent[] = [];
  let total = 0;
  let clockOrigin = '00:00';
  const verify = verifyLog(eventsPath, {
    readAll: true,
    onEvent: (event, verified) => {
      if (event.type === 'run.started' && typeof event.clock_origin === 'string') clockOrigin = event.clock_origin;
      report.add(event);
      if (event.type === 'mission.approved' && event.mission !== null) {
        missions.set(event.mission, {
          mission: event.mission,
          agent: String(event.agent),
          approver: typeof event.approver === 'string' ? event.approver : null,
        });
      }
      const line = view.line(event);
      if (line !== undefined) timeline.push({ seq: event.seq, line, verified });
      if (options.mission !== undefined && event.mission !== options.mission) return;
      if (event.type === 'token.auth_granted' || event.type === 'token.as_issued') {
        delegation.push({ from: String(event.agent), to: String(event.resource), scope: String(event.scope), by: event.actor, seq: event.seq, verified });
      }
      if (event.type === 'delegation.granted' || event.type === 'delegation.rejected') {
        const outcome = event.type === 'delegation.granted' ? 'granted' : 'refused';
        hops.push({
          parent: String(event.parent),
          child: String(event.child),
          depth: Number(event.depth),
          outcome,
          by: event.actor,
          reason: String(event.reason),
          seq: event.seq,
          verified,
        });
      }
      total++;
      if (events.length < limit) events.push(event);
    },
  });
  const check = verify.ok ? trustStatement(verify.trust) : brokenBanner(verify);
  return {
    verify,
    check,
    missions: [...missions.values()],
    timeline,
    explain: verify.ok ? report.lines() : [check, ...report.lines()],
    delegation,
    hops,
    events,
    clockOrigin,
    total,
    truncated: total > events.length,
  };
}

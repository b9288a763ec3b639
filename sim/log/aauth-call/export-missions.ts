import type { LoggedEvent } from '../read-log.ts';
import { finish, nameAfter, url } from './export-call-writer.ts';
import { agentPost, type EventHandlers, type ExportState, type MessageFamily, type OpenCall } from './export-state.ts';

/**
 * The mission calls of `export --format aauth-call` (export.ts): an
 * agent's proposal (POST /mission, answered at once or 202 until the person
 * approves), the person's approval, the class the PS binds the mission (or
 * a hop) to, and an act on a running mission (terminate, suspend, ...):
 * a person's, written as the person's record, or a monitor's call to
 * POST /mission-control. The PS's event that records the act carries its
 * outcome; the act itself (`person.*`, `monitor.alarm`) waits for it.
 */

/** The act a person (or a monitor) asked the PS for, by the PS's event that records it. */
const ACTION_OF: Record<string, string> = {
  'mission.terminated': 'terminate',
  'mission.suspended': 'suspend',
  'mission.resumed': 'resume',
  'mission.completed': 'complete',
  'mission.cancelled': 'cancel',
};

/** A person's (or a monitor's) act, written once the PS's event that carries it out follows. */
const ACTS = ['person.terminate', 'person.suspend', 'person.resume', 'person.complete', 'person.cancel', 'monitor.alarm'];

/** The mission events' handlers, and `finish`: counts acts no PS event followed, returns how many proposals were still unanswered. */
export function missionExport(state: ExportState): MessageFamily {
  const { call, callId, iso, person, records, unplaced, bindingAnswers } = state;
  const proposals = new Map<string, OpenCall>(); // agent -> its pending proposal
  const pendingCause = new Map<string, LoggedEvent>(); // mission -> person act or alarm awaiting the PS's event
  const handlers: EventHandlers = {
    'mission.proposed': (e) => proposals.set(String(e.agent), { id: callId(), start: e.t, event: e }),
    'mission.approved': writeApproval,
    // The PS binds the mission (or hop) it just approved (or granted) to a class: the answer that approved it names it.
    'mission.class_bound': (e) => {
      const answer = bindingAnswers.get(String(e.agent));
      if (answer) answer.mb_class = e.class;
      else unplaced(e);
    },
    ...Object.fromEntries(ACTS.map((type) => [type, awaitOutcome])),
    ...Object.fromEntries(Object.entries(ACTION_OF).map(([type, action]) => [type, (e: LoggedEvent) => writeAct(e, action)])),
  };
  return { handlers, finish: finishMissions };

  function awaitOutcome(e: LoggedEvent): void {
    if (e.mission) pendingCause.set(e.mission, e);
  }

  /** The agent's proposal answered (200 if approved at once, else 202 pending), and the approval as the person's record. */
  function writeApproval(e: LoggedEvent): void {
    const proposal = proposals.get(String(e.agent));
    proposals.delete(String(e.agent));
    const answer: Record<string, unknown> = { s256: e.mission, mission: e.blob, scope: e.scope };
    bindingAnswers.set(String(e.agent), answer);
    if (proposal) {
      const immediate = proposal.start === e.t;
      agentPost(state, e, String(e.agent), 'ps', {
        id: proposal.id,
        path: '/mission',
        start: proposal.start,
        status: immediate ? 200 : 202,
        request: { body: { description: proposal.event.description, tools: proposal.event.tools } },
        response: immediate
          ? { body: answer }
          : { params: { 'AAuth-Requirement': { requirement: 'approval' }, Location: `/mission/pending/${proposal.id.slice(0, 12)}` } },
      });
    }
    records.push(
      finish({
        event: 'aauth.call',
        side: 'person',
        call_id: callId(),
        from: String(e.approver),
        to: url(nameAfter(e.actor)),
        to_role: 'ps',
        agent: String(e.agent),
        action: 'approve',
        started_at: iso(e.t),
        response: { body: answer },
      }),
    );
  }

  /** The PS's event that records an act (by a person, or a monitor's call), written with the act that caused it. */
  function writeAct(e: LoggedEvent, action: string): void {
    const mission = e.mission;
    if (!mission) return;
    const ps = nameAfter(e.actor);
    const cause = pendingCause.get(mission);
    pendingCause.delete(mission);
    const answer = { mission_s256: mission, mission_status: e.type.slice('mission.'.length), ...(e.reason ? { termination_reason: e.reason } : {}) };
    if (cause?.type.startsWith('person.')) person(cause, action, ps, { mission_s256: mission }, answer, e.t);
    else
      call({
        from: cause ? nameAfter(cause.actor) : ps,
        to: ps,
        toRole: 'ps',
        agent: String(e.agent),
        method: 'POST',
        path: '/mission-control',
        start: e.t,
        status: 200,
        request: { body: { mission_s256: mission, action } },
        response: { body: { ...answer, agent: e.agent } },
      });
  }

  function finishMissions(): number {
    for (const cause of pendingCause.values()) unplaced(cause);
    return proposals.size;
  }
}

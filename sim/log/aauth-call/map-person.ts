import type { CallRecord } from './record.ts';
import { type CallView, type LogContext, type MapResult, activeMission, at, classBound, isObject, nameOf, s256Of, str } from './call-view.ts';

export function mapPersonAct(view: CallView, context: LogContext): MapResult {
  const record = view.call.person?.record as CallRecord;
  const action = (record.action ?? '').toLowerCase();
  const when = at(view.times.personAt);
  const person = `person:${record.from ?? 'person'}`;
  const ps = `ps:${nameOf(record.to)}`;
  const body = { ...view.request, ...view.response };
  const agent = view.agent ?? str(body.agent);
  const mission = str(body.mission_s256) ?? str(body.s256) ?? activeMission(context, agent, when);
  const base = { agent: agent ?? '(unknown)' };
  if (/^approve/.test(action)) {
    const s256 = s256Of(body);
    if (!s256) return { unmapped: 'person approval without the mission (no s256, no mission blob in the record)' };
    return {
      events: [
        {
          at: when,
          type: 'mission.approved',
          mission: s256.s256,
          actor: ps,
          fields: {
            agent: base.agent,
            approver: record.from ?? '(unknown person)',
            blob: isObject(body.mission) ? body.mission : {},
            scope: Array.isArray(body.scope) ? body.scope.map(String) : [],
          },
        },
        ...classBound(body, when, s256.s256, ps, base.agent),
      ],
    };
  }
  if (mission === null || mission === undefined)
    return { unmapped: `person act names no mission and the agent has none approved before it (${record.action ?? 'no action'})` };
  const acts: Record<string, [string, string, Record<string, unknown>]> = {
    terminate: ['person.terminate', 'mission.terminated', { reason: str(body.termination_reason) ?? 'revoked' }],
    revoke: ['person.terminate', 'mission.terminated', { reason: str(body.termination_reason) ?? 'revoked' }],
    suspend: ['person.suspend', 'mission.suspended', {}],
    resume: ['person.resume', 'mission.resumed', {}],
    complete: ['person.complete', 'mission.completed', { by: 'person' }],
    cancel: ['person.cancel', 'mission.cancelled', {}],
  };
  const key = Object.keys(acts).find((name) => action.startsWith(name));
  if (!key) return { unmapped: `person act with no event in the catalogue (${record.action ?? 'no action'})` };
  const [personType, missionType, extra] = acts[key] as [string, string, Record<string, unknown>];
  return {
    events: [
      { at: when, type: personType, mission, actor: person, fields: { ...base } },
      { at: at(view.times.personEnd ?? view.times.personAt), type: missionType, mission, actor: ps, fields: { ...base, ...extra } },
    ],
  };
}

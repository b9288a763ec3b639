import type { InterventionDef } from '../scenario/schema.ts';
import type { MissionControl } from '../protocol/mission-directory.ts';
import type { ActorContext } from '../context/actor-context.ts';

/** The event a person's action is logged as (one per action; `terminate-policy` spelt as event types are). */
const PERSON_EVENT = {
  terminate: 'person.terminate',
  suspend: 'person.suspend',
  resume: 'person.resume',
  complete: 'person.complete',
  cancel: 'person.cancel',
  'terminate-policy': 'person.terminate_policy',
} as const;

/** aauth-latest: the PS's mission_control_endpoint, through which a person acts on a mission named by its s256 (sim/protocol/mission-control.ts). */
export interface MissionControlPort {
  act(caller: string, s256: string | null, action: InterventionDef['action']): unknown;
}

/**
 * A person acts on a mission at its PS: logged first, then carried out by
 * the PS as its profile allows. aauth-latest: the request goes through the
 * PS's mission_control_endpoint, which carries it out only for the
 * mission's own person or one of the PS's administrators.
 */
export function applyIntervention(ctx: ActorContext, ps: MissionControl, person: string, intervention: InterventionDef, control?: MissionControlPort): void {
  const agent = intervention.agent;
  const s256 = ps.ownMissionOf(agent);
  ctx.record(PERSON_EVENT[intervention.action], s256, `person:${person}`, { agent });
  if (control) {
    control.act(person, s256, intervention.action);
    return;
  }
  carryOut(ps, agent, intervention.action);
}

/** What a person's action does to the agent's mission at its PS. */
export function carryOut(ps: MissionControl, agent: string, action: InterventionDef['action']): void {
  switch (action) {
    case 'terminate':
      return ps.terminate(agent, 'revoked');
    case 'suspend':
      return ps.suspend(agent);
    case 'resume':
      return ps.resume(agent);
    case 'complete':
      return ps.complete(agent, 'person');
    case 'cancel':
      return ps.cancel(agent);
    case 'terminate-policy':
      return ps.terminateForPolicy(agent);
  }
}

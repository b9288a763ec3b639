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

/** A person acts on a mission at its PS: logged first, then carried out by the PS as its profile allows. */
export function applyIntervention(ctx: ActorContext, ps: MissionControl, person: string, intervention: InterventionDef): void {
  const agent = intervention.agent;
  ctx.record(PERSON_EVENT[intervention.action], ps.ownMissionOf(agent), `person:${person}`, { agent });
  switch (intervention.action) {
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

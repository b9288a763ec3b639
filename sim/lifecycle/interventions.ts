import type { InterventionDef } from '../scenario/schema.ts';
import type { MissionControl } from '../protocol/mission-directory.ts';
import { sendControl, type ControlDesk } from '../protocol/mission-control.ts';
import type { Network } from '../protocol/network.ts';
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

/** A person as they act on a mission: who they are, and the missions they were told of (sim/protocol/person.ts). */
export interface ActingPerson {
  readonly id: string;
  /** The mission of this handle as they were told it when it was approved (s256 null: oauth's consent); undefined if never told. */
  missionKnown(handle: string): { s256: string | null } | undefined;
}

/**
 * A person acts on a mission at its PS: logged first, naming the mission
 * by the s256 the person was told (when they approved it, or as one of the
 * PS's administrators when the PS approved it); a person told of none names
 * none, and the PS answers mission_not_found as for a foreign mission. The
 * request then travels to the PS (network latency), waits in its queue and
 * is carried out there as its profile allows (aauth-latest: through the
 * mission_control_endpoint, only for the mission's own person or an
 * administrator). Nothing here reads the PS's state.
 */
export function applyIntervention(ctx: ActorContext, network: Network, desk: ControlDesk, person: ActingPerson, intervention: InterventionDef): void {
  const agent = intervention.agent;
  const known = person.missionKnown(agent);
  const s256 = known?.s256 ?? null;
  const actor = `person:${person.id}`;
  ctx.record(PERSON_EVENT[intervention.action], s256, actor, { agent });
  // oauth: no mission to name; the person names the client they consented to.
  const handle = known !== undefined && s256 === null ? { handle: agent } : {};
  sendControl(ctx, network, actor, desk, { from: { kind: 'person', id: person.id }, s256, ...handle, action: intervention.action });
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

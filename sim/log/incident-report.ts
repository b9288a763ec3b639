import { wallClock } from './clock.ts';
import { MissionControlView } from './mission-control.ts';
import type { LoggedEvent } from './read-log.ts';

interface MissionFacts {
  approval?: { by: string; at: number; agent: string };
  /** Tokens granted to agents (direct authority, not delegation). */
  grants: string[];
  /** Delegation hops: one agent minting authority for another (or refused). */
  hops: string[];
  decisions: string[];
  termination?: { at: number; reason: string; by?: string };
  lastAfterTermination?: { at: number; resource: string; op: string; irreversible: boolean };
  afterTermination: number;
}

/**
 * The regulator's questions, answered from the log alone: who approved the
 * mission and when; every token granted and who authorized it; every hop
 * of delegation (agent to agent) and who minted or refused it; every
 * decision with its reason; when termination happened and the last
 * operation after it.
 */
export class IncidentReport {
  private clockOrigin = '00:00';
  private readonly missions = new Map<string, MissionFacts>();
  private readonly decisions = new MissionControlView();

  constructor(private readonly only?: string) {}

  add(event: LoggedEvent): void {
    if (event.type === 'run.started' && typeof event.clock_origin === 'string') this.clockOrigin = event.clock_origin;
    const decision = this.decisions.line(event);
    const mission = event.mission;
    if (mission === null || (this.only !== undefined && mission !== this.only)) return;
    let facts = this.missions.get(mission);
    if (!facts) {
      facts = { grants: [], hops: [], decisions: [], afterTermination: 0 };
      this.missions.set(mission, facts);
    }
    const at = (t: number) => wallClock(this.clockOrigin, t);
    if (decision !== undefined) facts.decisions.push(decision);
    switch (event.type) {
      case 'mission.approved':
        facts.approval = { by: String(event.approver), at: event.t, agent: String(event.agent) };
        break;
      case 'token.auth_granted':
        facts.grants.push(
          `${at(event.t)} ${String(event.agent)} -> ${String(event.resource)} (${String(event.scope)}): authorized by ${event.actor}, token ${String(event.jti)}`,
        );
        break;
      case 'token.as_issued':
        facts.grants.push(
          `${at(event.t)} ${String(event.agent)} -> ${String(event.resource)} (${String(event.scope)}): token ${String(event.jti)} issued by ${event.actor} on the PS's federated request`,
        );
        break;
      case 'delegation.granted':
        facts.hops.push(
          `${at(event.t)} ${String(event.parent)} => ${String(event.child)} (delegation, depth ${String(event.depth)}): minted by ${event.actor}: ${String(event.reason)}`,
        );
        break;
      case 'delegation.rejected':
        facts.hops.push(
          `${at(event.t)} ${String(event.parent)} => ${String(event.child)} (delegation, depth ${String(event.depth)}): refused by ${event.actor}: ${String(event.reason)}`,
        );
        break;
      case 'person.terminate':
        facts.termination = { at: event.t, reason: 'requested', by: event.actor };
        break;
      case 'mission.terminated':
        facts.termination = { at: event.t, reason: String(event.reason), by: facts.termination?.by ?? event.actor };
        break;
      case 'op.executed':
        if (facts.termination && event.t >= facts.termination.at) {
          facts.afterTermination++;
          facts.lastAfterTermination = { at: event.t, resource: event.actor, op: String(event.op), irreversible: event.irreversible === true };
        }
        break;
      default:
    }
  }

  lines(): string[] {
    const at = (t: number) => wallClock(this.clockOrigin, t);
    const out: string[] = [];
    for (const [mission, facts] of this.missions) {
      out.push(`mission ${mission}`);
      out.push(
        facts.approval ? `  approved by ${facts.approval.by} at ${at(facts.approval.at)} for agent ${facts.approval.agent}` : '  approval: not in this log',
      );
      out.push(`  token grants (${facts.grants.length}):`);
      for (const grant of facts.grants) out.push(`    ${grant}`);
      out.push(facts.hops.length > 0 ? `  delegation (${facts.hops.length} ${facts.hops.length === 1 ? 'hop' : 'hops'}):` : '  delegation: none in this log');
      for (const hop of facts.hops) out.push(`    ${hop}`);
      out.push(`  decisions (${facts.decisions.length}):`);
      for (const decision of facts.decisions) out.push(`    ${decision}`);
      if (!facts.termination) {
        out.push('  termination: none in this log');
      } else {
        out.push(`  terminated at ${at(facts.termination.at)} (${facts.termination.reason}) by ${facts.termination.by}`);
        const last = facts.lastAfterTermination;
        out.push(
          last
            ? `  operations after termination: ${facts.afterTermination}; the last at ${at(last.at)}: ${last.resource} ${last.op}${last.irreversible ? ' (irreversible)' : ''}, ${((last.at - facts.termination.at) / 60e6).toFixed(1)} min after termination`
            : '  operations after termination: none',
        );
      }
    }
    return out;
  }
}

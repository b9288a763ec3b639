import type { Rng } from '../engine/random.ts';
import type { CompiledFault } from '../scenario/compile.ts';
import type { ActorContext } from '../context/actor-context.ts';

/**
 * Schedules a scenario's agent runtime crashes (seed 002's failover). The
 * replacement's start-up time is drawn from the agent provider's own fault
 * stream, so scenarios without faults draw nothing and stay unchanged.
 */
/** An agent runtime as its provider's faults reach it. */
export interface Crashable {
  crash(restartAfter: number): void;
  /** The provider revokes the runtime's agent token at its PS (fault kind revoke-agent-token). */
  revokeAgentToken(): void;
}

export function scheduleFaults(ctx: ActorContext, faults: readonly CompiledFault[], agents: ReadonlyMap<string, Crashable>): void {
  const streams = new Map<string, Rng>();
  for (const { def: fault, atUs, restart } of faults) {
    const agent = agents.get(fault.agent) as Crashable; // references were checked at load time
    // A revocation draws nothing: scenarios with only crashes keep their draws.
    if (fault.kind === 'revoke-agent-token') {
      ctx.sim.schedule(atUs, () => agent.revokeAgentToken());
      continue;
    }
    // One stream per provider, shared by its faults in scenario order: each crash draws its own restart time.
    let rng = streams.get(fault.agent);
    if (!rng) {
      rng = ctx.stream(`ap:${fault.agent}/faults`);
      streams.set(fault.agent, rng);
    }
    const draw = rng;
    ctx.sim.schedule(atUs, () => agent.crash(restart.sample(draw)));
  }
}

import type { Rng } from '../engine/random.ts';
import type { ActorContext } from '../context/actor-context.ts';
import type { RevocationTarget } from '../protocol/revocation-target.ts';
import type { Token } from '../protocol/tokens.ts';

/**
 * A cancelled mission's notice, one per resource that accepted any of its
 * tokens (expired ones too: work it executed under them is rolled back),
 * over the revocation channel's latency, in the order the tokens were issued.
 */
export function sendCancellation(
  ctx: ActorContext,
  rng: Rng,
  resources: ReadonlyMap<string, RevocationTarget>,
  mission: string,
  tokens: readonly Token[],
): void {
  const byResource = new Map<string, Token[]>();
  for (const token of tokens) {
    const list = byResource.get(token.aud ?? '') ?? [];
    if (!list.includes(token)) list.push(token);
    byResource.set(token.aud ?? '', list);
  }
  for (const [id, list] of byResource) {
    const resource = resources.get(id);
    if (resource) ctx.sim.schedule(resource.revocation.latency.sample(rng), () => resource.receiveCancellation(mission, list));
  }
}

interface Executed {
  agent: string;
  op: string;
  jti: string;
  irreversible: boolean;
}

/**
 * What one resource executed under each mission, kept so a cancellation
 * (mission-authority) can roll it back: every reversible operation gets a
 * compensating action, every irreversible one is reported as not
 * rollback-able. Missions are keyed by s256, as the resource knows them
 * from the tokens it accepted.
 */
export class CompensationLedger {
  private readonly byMission = new Map<string, Executed[]>();

  constructor(
    private readonly ctx: ActorContext,
    private readonly actor: string,
  ) {}

  note(mission: string | null, entry: Executed): void {
    if (mission === null) return;
    const list = this.byMission.get(mission);
    if (list) list.push(entry);
    else this.byMission.set(mission, [entry]);
  }

  /** Rolls back the mission's executed work here, in execution order; each operation once. */
  compensate(mission: string): void {
    const executed = this.byMission.get(mission) ?? [];
    this.byMission.delete(mission);
    for (const { agent, op, jti, irreversible } of executed) {
      if (irreversible) this.ctx.record('op.not_compensable', mission, this.actor, { agent, op, jti });
      else this.ctx.record('op.compensated', mission, this.actor, { agent, op, jti });
    }
  }
}

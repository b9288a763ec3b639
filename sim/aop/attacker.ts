import type { ActorContext } from '../context/actor-context.ts';
import type { AttackDef } from '../scenario/orchestration-schema.ts';
import { attackLabel } from './attack-ledger.ts';
import type { StandingPlans } from './eod.ts';
import type { GecLink } from './gec-link.ts';
import type { AttackInbox } from './ports.ts';
import { rogueSpawnRequest } from './spawn-requests.ts';

/**
 * The attacks of seed 003 section 15, each as the compromised agent (`by`)
 * would make it: a spawn it is not entitled to (with a forged SACR depth,
 * presented for the GEC to verify), a direct Mission Status write, a
 * message off its hub route, or a Standing Plan Object altered or
 * redirected where it is stored. It sends what a real attacker could send
 * and reads nothing of any role; its tier is what the agent knows of itself.
 */
export class Attacker {
  private rogues = 0;

  constructor(
    private readonly ctx: ActorContext,
    private readonly link: GecLink,
    private readonly gec: AttackInbox,
    private readonly standingPlans: StandingPlans,
    private readonly governed: boolean,
    /** The tier of each agent of the plan (the compromised agent's own). */
    private readonly tierOf: (agent: string) => number,
  ) {}

  /** Made only while the orchestration is open, and only by an agent that exists (aop-world.ts schedules it so). */
  attack(attack: AttackDef): void {
    if (attack.kind === 'spo_tamper') return this.standingPlans.tamper(attack.plan_b as string, attack.spo ?? {});
    if (attack.kind === 'spo_substitute') return this.standingPlans.substitute(attack.plan_b as string, attack.spo_ref as string, attack.spo);
    const by = attack.by as string;
    if (attack.kind === 'status_write') {
      const sub_goal = attack.sub_goal as string;
      const label = attackLabel({ kind: 'status_write', at: '0s', by, sub_goal, ...(attack.name !== undefined ? { name: attack.name } : {}) });
      return this.link.send(() => this.gec.statusWriteRequested(by, sub_goal, label));
    }
    const label = attackLabel(attack);
    if (attack.kind === 'direct_message') {
      // Under chaining agents talk to each other directly: nothing mediates the message.
      if (!this.governed) return this.gec.messageUnmediated(by, attack.to as string, label);
      return this.link.send(() => this.gec.messageRouted(by, attack.to as string, label));
    }
    const request = rogueSpawnRequest(attack, ++this.rogues);
    // The attacker's own word to the oracle (write-only): its spawn is not the person's intent.
    this.ctx.truth.adversary(request.agent);
    if (attack.forged_max_spawn_depth !== undefined) request.presented_max_spawn_depth = attack.forged_max_spawn_depth;
    const tier = this.tierOf(by);
    this.link.send(() => this.gec.rogueSpawnRequested(request, label, tier));
  }
}

import type { SubGoalDef } from '../scenario/orchestration-schema.ts';
import type { AauthChain, ChainMission } from './aauth-chain.ts';
import { planLabel } from './attack-ledger.ts';
import { GEC, type SpawnResult } from './gec.ts';
import type { SpawnRequest } from './gec-checks.ts';
import type { GecDesk } from './gec-desk.ts';
import type { SubAgentInbox } from './ports.ts';

/**
 * What agents ask of the GEC (seed 003 sections 5.4, 15): spawn requests,
 * planned and rogue (checks, SACR, sub-goal EOD endorsement, Assignment),
 * direct Mission Status writes and agent-to-agent messages. Under chaining
 * a spawn is the requester's delegation request to its Person Server (if
 * one is named), a status write lands in the orchestrator's own record,
 * and a message reaches its addressee unseen. Part of the desk (the same
 * role): it shares the desk's Mission Plan and Status.
 */
export class GecIntake {
  /** Labels of followed spawns (attacks, planned violations) asked of the PS and not decided yet: the oracle's bookkeeping. */
  private readonly awaitingPs = new Set<string>();

  constructor(
    private readonly desk: GecDesk,
    /** Chaining under a Person Server: the requesters' client of it. */
    private readonly aauth: AauthChain | undefined,
  ) {}

  /** gec.spawnSubAgent() for a planned sub-goal: checks, SACR, sub-goal EOD endorsement, Assignment, then the session opens. */
  spawnRequested(request: SpawnRequest, tier: number): void {
    const id = request.sub_goal_id;
    const verdict = this.desk.gec.check(this.desk.gec.receive(request));
    const label = verdict.ok ? null : planLabel(id, verdict.error);
    if (this.aauth) {
      this.psDelegate(request, tier, label, (mission) => {
        if (mission === null) {
          this.desk.fail(id, `${this.aauth?.ps.actor} refused the delegation`);
          this.desk.advance();
          return;
        }
        // A leaf's violation is settled when its work asks for the fields it touches; a decomposed sub-goal's here.
        if (!verdict.ok && this.desk.plan.node(id).children.length > 0) this.desk.oracle.spawnTookEffect(label as string, verdict.error);
        else if (!verdict.ok) this.desk.oracle.leafMinted(id, label as string, verdict.error);
        // The requester hands the grant to the agent it spawned: the mission the sub-agent's requests carry.
        this.desk.to.subAgents.get(id)?.delegated(mission);
        this.desk.openSession(id);
      });
      return;
    }
    const result = this.spawn(request);
    if (!this.desk.governed) {
      // As under a PS: a leaf's violation takes effect when its work starts, a decomposed sub-goal's here.
      if (!verdict.ok && this.desk.plan.node(id).children.length > 0) this.desk.oracle.spawnTookEffect(label as string, verdict.error, 'oracle');
      else if (!verdict.ok) this.desk.oracle.leafMinted(id, label as string, verdict.error);
      this.desk.ctx.sim.schedule(0, () => this.desk.openSession(id));
      return;
    }
    if (!result.ok) {
      this.desk.oracle.refused(planLabel(id, result.error), GEC, result.error);
      this.desk.fail(id, result.error);
      this.desk.advance();
      return;
    }
    const sacr = result.sacr;
    const subAgent = this.desk.to.subAgents.get(id) as SubAgentInbox;
    subAgent.sacrIssued(sacr);
    // The sub-goal EOD is endorsed against the SACR just issued (CONF-AOP-SEC-08), before the Assignment.
    this.desk.link.send(() => {
      const eod = this.desk.gec.endorse((this.desk.declared.get(id) as SubGoalDef).eod, id, (this.desk.eodRevisions.get(id) ?? 0) + 1);
      subAgent.eodEndorsed(eod);
      this.desk.assignments.set(id, this.desk.gec.assign(sacr, id, eod));
      this.desk.link.send(() => this.desk.openSession(id));
    });
  }

  /**
   * Chaining under a PS: the requester asks the PS to delegate. Minted: the
   * chain records it (`chain.delegated`) and `then` with the mission the
   * grant names; refused: the PS's reason goes to `label`'s record (if the
   * spawn is one the ledger follows) and `then(null)`. A PS that is down or
   * defers is asked again (AauthChain.delegate) until the mission closes:
   * only a PS's decision counts as its refusal.
   */
  private psDelegate(request: SpawnRequest, tier: number, label: string | null, then: (mission: ChainMission | null) => void): void {
    const aauth = this.aauth as AauthChain;
    if (label !== null) this.awaitingPs.add(label);
    aauth.delegate(
      request.requester,
      request.agent,
      request.sub_goal_id,
      request.scope,
      tier + 1 + request.max_spawn_depth,
      (answer) => {
        if (label !== null) this.awaitingPs.delete(label);
        if (this.desk.closed) return;
        if ('refusal' in answer) {
          this.desk.tally.psRefusal();
          if (label !== null) this.desk.oracle.refused(label, aauth.ps.actor, answer.refusal);
          then(null);
          return;
        }
        this.spawn(request);
        then(answer.minted);
      },
      () => this.desk.closed,
    );
  }

  /** The orchestration closed: a followed spawn the PS had still not decided (down or deferring) was sent and never decided. */
  missionClosed(): void {
    const ps = (this.aauth as AauthChain | undefined)?.ps.actor;
    for (const label of this.awaitingPs) this.desk.oracle.unanswered(label, `${ps} had not decided when the orchestration closed`);
    this.awaitingPs.clear();
  }

  /** gec.spawn (under chaining: the delegation recorded); an agent it spawns exists from now on (the world's record). */
  private spawn(request: SpawnRequest): SpawnResult {
    const result = this.desk.gec.spawn(request);
    if (result.ok) this.desk.spawnedAgents.spawned(request.agent);
    return result;
  }

  rogueSpawnRequested(request: SpawnRequest, label: string, tier: number): void {
    const verdict = this.desk.gec.check(this.desk.gec.receive(request));
    const code = verdict.ok ? 'accepted' : verdict.error;
    if (this.aauth) {
      this.psDelegate(request, tier, label, (mission) => {
        if (mission !== null) this.desk.oracle.spawnTookEffect(label, code);
      });
      return;
    }
    const result = this.spawn(request);
    if (!this.desk.governed) this.desk.oracle.spawnTookEffect(label, code, 'oracle');
    else if (result.ok) this.desk.oracle.tookEffect(label, 'accepted', 'log');
    else this.desk.oracle.refused(label, GEC, result.error);
  }

  /**
   * A compromised agent writes the Mission Status (e.g. to suppress AT_RISK).
   * Under AOP only the GEC writes it: denied. Under chaining the
   * orchestrator's own record is all there is, so the forged state stands
   * and what depends on the sub-goal goes ahead.
   */
  statusWriteRequested(by: string, subGoalId: string, label: string): void {
    if (this.desk.governed) {
      this.desk.gec.denyStatusWrite(by, subGoalId);
      this.desk.oracle.refused(label, GEC, 'MISSION_STATUS_WRITE_DENIED');
      return;
    }
    if (!this.desk.plan.has(subGoalId) || this.desk.status.isTerminal(subGoalId)) return;
    this.desk.to.subAgents.get(subGoalId)?.stop();
    this.desk.tally.statusForged++;
    // The Mission Status is the orchestrator's own record under chaining: a parent reporting its child's
    // sub-goal achieved reads the same whether or not the work was done; no PS sees it.
    this.desk.oracle.tookEffect(label, 'MISSION_STATUS_FORGED', 'oracle');
    this.desk.status.set(subGoalId, 'MATCHED');
    this.desk.ctx.record('aop.sub_goal_achieved', this.desk.missionId, `agent:${by}`, {
      ale: 'ALE-046',
      sub_goal_id: subGoalId,
      session_id: this.desk.sessions.get(subGoalId) ?? 'none',
      eod_outcome: 'MATCHED',
    });
    this.desk.advance();
  }

  /** The GEC mediates every agent-to-agent message (seed 003 3.4): routed, or refused off a hub_only sender's route. */
  messageRouted(from: string, to: string, label: string): void {
    const verdict = this.desk.gec.route(from, to);
    if (verdict.ok) this.desk.oracle.tookEffect(label, 'accepted', 'log');
    else this.desk.oracle.refused(label, GEC, verdict.error);
  }

  /**
   * Chaining: agents talk directly and no party sees it; what the GEC would
   * have said is the oracle's view. A message to an agent not spawned (yet)
   * reaches nobody: it took no effect (the world runs none from an agent
   * not spawned, aop-world.ts).
   */
  messageUnmediated(from: string, to: string, label: string): void {
    if (!this.desk.spawnedAgents.has(to)) return this.desk.oracle.noTarget(label, `${to} has not been spawned`);
    const verdict = this.desk.gec.checkRoute(from, to);
    this.desk.oracle.tookEffect(label, verdict.ok ? 'accepted' : verdict.error, 'oracle');
  }
}

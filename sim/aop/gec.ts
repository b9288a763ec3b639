import type { SigningKey } from '../log/session-block.ts';
import type { ActorContext } from '../context/actor-context.ts';
import { endorseEod, type EndorsedEod } from './eod.ts';
import { checkMessage, checkSpawn, type MessageVerdict, type SacrTerms, type SpawnError, type SpawnRequest, type SpawnVerdict } from './gec-checks.ts';
import { deriveXpid, deterministicUuid } from './ids.ts';
import type { OrchestrationTally } from './metrics.ts';
import type { MissionPlan } from './plan.ts';
import { signSacr, verifySacr, type SacrRecord } from './sacr.ts';
import type { EodDef, RevocationDef } from '../scenario/orchestration-schema.ts';

type RevocationTrigger = RevocationDef['trigger'];
import { scopeHash } from './scope.ts';

export const GEC = 'gec';

export type SpawnResult = { ok: true; sacr: SacrRecord } | { ok: false; error: SpawnError; detail: string };

/**
 * The Governing Enforcement Component of one mission: it endorses EODs,
 * checks spawns and issues Ed25519-signed SACRs, issues Assignments, and
 * is the only writer of the Mission Status. Under plain chaining it only
 * keeps the delegation records (nothing is checked or endorsed), and counts
 * what its checks would have refused.
 */
export class Gec {
  private readonly key: SigningKey;
  private readonly sacrs = new Map<string, { record: SacrRecord; signature: string }>();
  private readonly counters = { sacr: 0, assignment: 0 };

  constructor(
    private readonly ctx: ActorContext,
    private readonly missionId: string,
    private readonly plan: MissionPlan,
    readonly governed: boolean,
    private readonly tally: OrchestrationTally,
    /** The root mandate's limit (`mandate.limit_jpy`), if it has one. */
    private readonly limitJpy?: number,
  ) {
    this.key = ctx.signingKey(GEC);
  }

  committed(agent: string): SacrRecord | undefined {
    return this.sacrs.get(agent)?.record;
  }

  /**
   * A MAD revocation trigger (seed 003 5.1 names; MAD section 7,
   * not in the seed, defines them): the agent's SACR and every SACR issued
   * below it are withdrawn, so none of them can spawn or route again
   * (SACR_NOT_FOUND). Returns the revoked agents, top first.
   */
  revoke(agent: string, trigger: RevocationTrigger): string[] {
    const root = this.committed(agent);
    if (!root) return [];
    const revoked: string[] = [];
    const visit = (record: SacrRecord, from: string | null) => {
      revoked.push(record.agent);
      this.sacrs.delete(record.agent);
      this.ctx.record('aop.sacr_revoked', this.missionId, GEC, { trigger, sacr_id: record.sacr_id, xpid: record.xpid, cascade_from_xpid: from });
      const below = [...this.sacrs.values()].map((held) => held.record).filter((r) => r.parent_xpid === record.xpid);
      for (const child of below) visit(child, record.xpid);
    };
    visit(root, null);
    return revoked;
  }

  xpidOf(agent: string): string {
    return this.committed(agent)?.xpid ?? deriveXpid('unspawned', agent);
  }

  /** intake_endorsement: records the EOD's id, hash and Plan B SPO hashes, never its body. */
  endorse(def: EodDef, subGoalId: string | null, revision: number): EndorsedEod {
    const eod = endorseEod(def, subGoalId, revision);
    this.ctx.record('aop.eod_endorsed', this.missionId, GEC, {
      eod_id: eod.eod_id,
      eod_hash: eod.eod_hash,
      sub_goal_id: subGoalId,
      spo_hashes: eod.planB.map((p) => ({ plan_b_id: p.def.id, spo_hash: p.spoHash })),
    });
    return eod;
  }

  /** Commits and signs a SACR (ALE-043 when governed). */
  issueSacr(agent: string, subGoalId: string | null, parentXpid: string, terms: SacrTerms): SacrRecord {
    const sacr_id = `sacr-${++this.counters.sacr}`;
    const ephemeral_kia_ref = deterministicUuid(`${this.missionId}/${sacr_id}`);
    const record: SacrRecord = {
      sacr_id,
      mission_id: this.missionId,
      agent,
      sub_goal_id: subGoalId,
      parent_xpid: parentXpid,
      ephemeral_kia_ref,
      xpid: deriveXpid(parentXpid, ephemeral_kia_ref),
      can_decompose: terms.can_decompose,
      max_spawn_depth: terms.max_spawn_depth,
      hub_only: terms.hub_only,
      replan_authority: terms.replan_authority,
      scope: [...terms.scope],
    };
    const signature = signSacr(this.key, record);
    this.sacrs.set(agent, { record, signature });
    if (this.governed) {
      this.ctx.record('aop.sacr_issued', this.missionId, GEC, {
        ale: 'ALE-043',
        sacr_id,
        sub_goal_id: subGoalId,
        parent_xpid: parentXpid,
        ephemeral_kia_ref,
        scope_hash: scopeHash(record.scope),
        xpid: record.xpid,
        can_decompose: record.can_decompose,
        max_spawn_depth: record.max_spawn_depth,
        hub_only: record.hub_only,
        replan_authority: record.replan_authority,
        sacr_signature: signature,
      });
    }
    return record;
  }

  /**
   * Would `agent`'s SACR, presented with max_spawn_depth raised to `depth`,
   * still verify? (It cannot: the signature covers every field.)
   */
  private verifiesWithDepth(agent: string, depth: number): boolean {
    const held = this.sacrs.get(agent);
    if (!held) return false;
    return verifySacr(this.key.publicKey, { ...held.record, max_spawn_depth: depth, can_decompose: true }, held.signature);
  }

  /**
   * A spawn request as the GEC takes it in: checked against its own
   * mandate limit; and if it presents the requester's SACR with
   * max_spawn_depth raised, the GEC checks the signature against what it committed and
   * marks the request forged if it fails (it always does: the signature
   * covers every field). Under AAuth the PS judges from its own record of
   * the requester's hop: there is nothing to forge.
   */
  receive(request: SpawnRequest): SpawnRequest {
    request.limit_jpy = this.limitJpy;
    const depth = request.presented_max_spawn_depth;
    if (depth !== undefined && this.committed(request.requester)) request.forged = !this.verifiesWithDepth(request.requester, depth);
    return request;
  }

  /**
   * What the spawn checks say of a request, with no effect. Under chaining
   * this is the oracle's view (the world counts a failed check that takes
   * effect as a violation): no party under chaining runs these checks.
   */
  check(request: SpawnRequest): SpawnVerdict {
    return checkSpawn(this.committed(request.requester), request, this.plan);
  }

  /**
   * gec.spawnSubAgent(). Governed: the checks of gec-checks.ts, then a SACR,
   * or a recorded rejection. Chaining: the delegation goes through
   * (`chain.delegated`); whether it broke a check is the world's to count.
   */
  spawn(request: SpawnRequest): SpawnResult {
    const parent = this.committed(request.requester);
    const verdict = checkSpawn(parent, request, this.plan);
    if (!this.governed) {
      this.tally.spawnsAccepted++;
      this.ctx.record('chain.delegated', this.missionId, `agent:${request.requester}`, {
        parent: request.requester,
        agent: request.agent,
        sub_goal_id: request.sub_goal_id,
        scope_hash: scopeHash(request.scope),
        max_spawn_depth: request.max_spawn_depth,
      });
      const subGoal = this.plan.has(request.sub_goal_id) ? request.sub_goal_id : null;
      return { ok: true, sacr: this.issueSacr(request.agent, subGoal, parent?.xpid ?? deriveXpid('unspawned', request.requester), request) };
    }
    if (!verdict.ok) {
      this.tally.reject(verdict.error);
      this.ctx.record('aop.spawn_rejected', this.missionId, GEC, {
        requester_xpid: this.xpidOf(request.requester),
        sub_goal_id: request.sub_goal_id,
        error: verdict.error,
        detail: verdict.detail,
        scope_hash: scopeHash(request.scope),
      });
      return verdict;
    }
    this.tally.spawnsAccepted++;
    return { ok: true, sacr: this.issueSacr(request.agent, request.sub_goal_id, (parent as SacrRecord).xpid, request) };
  }

  /** The Assignment Primitive (ALE-044): a committed SACR and an endorsed sub-goal EOD. */
  assign(sacr: SacrRecord, subGoalId: string, eod: EndorsedEod): string {
    const assignmentId = `asg-${++this.counters.assignment}`;
    this.ctx.record('aop.assignment_issued', this.missionId, GEC, {
      ale: 'ALE-044',
      assignment_id: assignmentId,
      sacr_id: sacr.sacr_id,
      sub_goal_id: subGoalId,
      endorsed_eod_id: eod.eod_id,
      eod_hash: eod.eod_hash,
      assigned_agent_kia_ref: sacr.ephemeral_kia_ref,
    });
    return assignmentId;
  }

  /** What hub-only routing says of a message from `from` to `to`, with no effect (under chaining: the oracle's view). */
  checkRoute(from: string, to: string): MessageVerdict {
    const party = (agent: string) => {
      const sacr = this.committed(agent);
      return sacr && { agent, xpid: sacr.xpid, parent_xpid: sacr.parent_xpid, hub_only: sacr.hub_only };
    };
    return checkMessage(party(from), party(to), from, to);
  }

  /**
   * The GEC mediates an agent-to-agent message (seed 003 sections 3.4, 5.1;
   * MAD section 5): delivered along the hub route, or directly if the
   * sender's SACR is not hub_only; else refused.
   */
  route(from: string, to: string): MessageVerdict {
    const verdict = this.checkRoute(from, to);
    if (verdict.ok)
      this.ctx.record('aop.message_routed', this.missionId, GEC, { from_xpid: this.xpidOf(from), to_xpid: this.xpidOf(to), route: verdict.route });
    else
      this.ctx.record('aop.message_rejected', this.missionId, GEC, {
        requester_xpid: this.xpidOf(from),
        to_xpid: this.xpidOf(to),
        error: verdict.error,
        detail: verdict.detail,
      });
    return verdict;
  }

  /**
   * CONF-AOP-SEC-11 (seed 003 15.4 (2)): a Plan B's SPO reference that
   * resolves outside the GEC's governed SO namespace is REJECTED. The draft
   * names no code or ALE for it, so SPO_NAMESPACE_VIOLATION and the event
   * are this project's (docs/aop-draft-conformance.md).
   */
  rejectSpoReference(subGoalId: string, planBId: string, spoRef: string): void {
    this.ctx.record('aop.spo_reference_rejected', this.missionId, GEC, {
      sub_goal_id: subGoalId,
      plan_b_id: planBId,
      spo_ref: spoRef,
      error: 'SPO_NAMESPACE_VIOLATION',
    });
  }

  /** An agent's direct write to the Mission Status: refused (CONF-AOP-SEC-02). */
  denyStatusWrite(by: string, subGoalId: string): void {
    this.tally.statusWritesDenied++;
    this.ctx.record('aop.status_write_denied', this.missionId, GEC, {
      requester_xpid: this.xpidOf(by),
      sub_goal_id: subGoalId,
      error: 'MISSION_STATUS_WRITE_DENIED',
    });
  }
}

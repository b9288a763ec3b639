import type { ActorContext } from '../context/actor-context.ts';
import { envelopeJson } from '../authority/envelope.ts';
import type { MissionAuthority } from '../authority/model.ts';
import { envelopeS256 } from '../authority/projection.ts';
import type { ProposedMission } from '../authority/renderings.ts';
import type { AuthorityDesk } from './authority-desk.ts';
import type { MissionBudget } from './mission-budget.ts';
import type { MissionClasses } from './mission-class.ts';
import { missionBody, missionS256, simulatedInstant, type MissionBlob } from './mission.ts';
import type { MissionRecord } from './mission-record.ts';
import type { PersonChannel } from './person-channel.ts';
import type { Profile } from './profiles.ts';

/** What approving a mission reads of the PS and tells it. */
export interface ApprovalBook {
  /** The people who administer the PS (set by the world after construction, so read when needed). */
  administrators(): readonly PersonChannel[];
  /** The mission now has its s256 and is active: the PS files it so token requests can locate it. */
  approved(record: MissionRecord): void;
  /** Rich-ending profiles: the mission reached its expires_at. */
  timeOut(record: MissionRecord): void;
}

/** The parts of the PS that approving a mission writes with. */
export interface ApprovalParts {
  readonly profile: Profile;
  readonly desk: AuthorityDesk;
  /** The instant simulated time 0 stands for: approved_at and expires_at are written from it. */
  readonly clockOrigin: string;
  /** This PS's identifier: the `approver` of the missions it approves. */
  readonly approver: string;
  /** Seed 001: how many clarification rounds the person is engaged in before deciding. */
  readonly clarificationRounds: number;
  readonly classes: MissionClasses | undefined;
  readonly budget: MissionBudget | undefined;
}

/**
 * How the Person Server approves a mission: the person decides (after
 * clarification rounds, seed 001) or the PS approves at once; the approved
 * blob is written as the exact bytes its s256 is over; the person and the
 * administrators are told; and the log and the oracle get the mission and
 * the policy the PS compiled from it.
 */
export class MissionApprovals {
  private readonly profile: Profile;
  private readonly desk: AuthorityDesk;
  private readonly clockOrigin: string;
  private readonly approver: string;
  private readonly clarificationRounds: number;
  private readonly classes: MissionClasses | undefined;
  private readonly budget: MissionBudget | undefined;

  constructor(
    private readonly ctx: ActorContext,
    private readonly actor: string,
    parts: ApprovalParts,
    private readonly book: ApprovalBook,
  ) {
    this.profile = parts.profile;
    this.desk = parts.desk;
    this.clockOrigin = parts.clockOrigin;
    this.approver = parts.approver;
    this.clarificationRounds = parts.clarificationRounds;
    this.classes = parts.classes;
    this.budget = parts.budget;
  }

  /** The exact body bytes of each approved mission, as this PS persisted and returns them. */
  private readonly bodies = new Map<MissionRecord, string>();

  /** An approved mission's body (what the mission_control_endpoint returns). */
  bodyOf(record: MissionRecord): string | undefined {
    return this.bodies.get(record);
  }

  /**
   * The PS tells the mission's person (and its administrators) the mission
   * it approved, with its s256: the approval page a deferred approval ends
   * on, the notice of an immediate one. What they later name it by.
   */
  tellApproved(record: MissionRecord): void {
    record.person.missionApproved(record.agent, record.s256);
    for (const administrator of this.book.administrators()) if (administrator !== record.person) administrator.missionApproved(record.agent, record.s256);
  }

  /** Seed 001: the PS may engage the person in clarification chat before approval, one human latency per round. */
  clarifyThenApprove(record: MissionRecord, spec: ProposedMission, roundsLeft: number): void {
    if (roundsLeft === 0) {
      record.person.decideMission(record.agent, (yes) => (yes ? this.approve(record, spec) : this.refuse(record)));
      return;
    }
    const round = this.clarificationRounds - roundsLeft + 1;
    this.ctx.record('mission.clarification', null, this.actor, { agent: record.agent, round });
    record.person.requestApproval(record.agent, () => this.clarifyThenApprove(record, spec, roundsLeft - 1), 'clarify mission');
  }

  /** The person refused the proposed mission: it never becomes active; the agent learns it at its next poll. */
  private refuse(record: MissionRecord): void {
    record.state = 'refused';
    this.ctx.record('mission.refused', null, this.actor, { agent: record.agent, approver: record.person.id });
  }

  approve(record: MissionRecord, spec: ProposedMission): void {
    const now = this.ctx.sim.now;
    // The body's bytes are the blob's keys in the order they are set here: the optional `approver` first
    // (so two literals, each naming every required member: a forgotten one does not compile), then the rest.
    const agent = record.owner ?? record.agent;
    const approvedAt = simulatedInstant(this.clockOrigin, now);
    const blob: MissionBlob = this.profile.approverInBlob
      ? { approver: this.approver, agent, approved_at: approvedAt, description: spec.description }
      : { agent, approved_at: approvedAt, description: spec.description };
    if (spec.approved_tools) blob.approved_tools = spec.approved_tools;
    // -11 moved capabilities out of the blob and added approved_resources.
    if (spec.capabilities && this.profile.capabilitiesInBlob) blob.capabilities = spec.capabilities;
    if (this.profile.resourcesInBlob) blob.approved_resources = approvedResources(record.scope);
    // Under the envelope model the approved mission carries its envelope, so the s256 every hop
    // sees commits to it, and the log alone can prove a violation.
    if (this.desk.model.name === 'envelope' && record.authority) blob.envelope = envelopeJson(record.authority.approved);
    if (spec.expiresInUs !== undefined) {
      record.expiresAt = now + spec.expiresInUs;
      blob.expires_at = simulatedInstant(this.clockOrigin, record.expiresAt);
    }
    // The s256 is over the exact bytes the PS persists and returns; the log keeps those bytes verbatim.
    const body = missionBody(blob);
    record.s256 = missionS256(body);
    this.bodies.set(record, body);
    record.state = 'active';
    this.book.approved(record);
    if (this.profile.richEndings && record.expiresAt !== undefined) this.ctx.sim.schedule(record.expiresAt - now, () => this.book.timeOut(record));
    this.ctx.record('mission.approved', record.s256, this.actor, {
      agent: record.agent,
      approver: record.person.id,
      blob: { ...blob },
      body,
      scope: scopeList(record.scope),
    });
    this.classes?.approved(record.s256, record.agent);
    this.tellApproved(record);
    this.missionTruth(record, spec);
    this.policyCompiled(record);
    if (this.budget) this.ctx.record('budget.enforced', record.s256, this.actor, { agent: record.agent, ...this.budget.limits });
    this.ctx.outcomes.approved(record.agent, record.s256);
  }

  /** The mission's truth record, written once it has its s256 (the oracle adds the intent: the PS never sees it). */
  missionTruth(record: MissionRecord, spec: ProposedMission): void {
    const authority = record.authority as MissionAuthority;
    this.ctx.truth.mission(
      {
        kind: 'mission',
        mission: record.s256,
        agent: record.agent,
        renderings: {
          description: spec.description,
          scope: [...authority.scope],
          approved_tools: [...authority.tools],
          r3_granted: [...authority.r3Granted],
          r3_per_call: [...authority.r3PerCall],
        },
      },
      this.desk.logShowsOutside(record.agent, authority),
    );
  }

  /**
   * Envelope model: the policy this PS compiled from the approved envelope
   * and now enforces (text model: the mission text it reads), in the log (hash and body, so a reader can diff it
   * against the approved blob's envelope) and to the oracle, which records
   * where it differs from the intent.
   */
  policyCompiled(record: MissionRecord): void {
    const policy = this.desk.policyOf(record.agent);
    if (!policy) return;
    this.ctx.record('policy.compiled', record.s256, this.actor, {
      agent: record.agent,
      source: policy.source,
      policy_sha256: envelopeS256(policy.enforced),
      policy: envelopeJson(policy.enforced),
    });
    this.ctx.truth.policy(
      {
        kind: 'policy',
        mission: record.s256,
        agent: record.agent,
        decider: this.actor,
        model: this.desk.model.name,
        source: policy.source,
        compilation_errors: policy.errors,
      },
      policy.enforced,
    );
  }
}

/**
 * The resources a mission's scope names (`resource/operation`), in first-seen
 * order. Missions with the same scope list share one scope set
 * (sim/authority/renderings.ts), so the list is built once per set; it is
 * read-only, as the log's copy of it.
 */
function approvedResources(scope: ReadonlySet<string>): string[] {
  return perScope(resourceLists, scope, () => [...new Set([...scope].map((ref) => ref.slice(0, ref.lastIndexOf('/'))))]);
}

/** The approved scope as the log's `mission.approved` lists it: the set's entries in order, one array per (shared) set. */
function scopeList(scope: ReadonlySet<string>): string[] {
  return perScope(scopeLists, scope, () => [...scope]);
}

function perScope(lists: WeakMap<ReadonlySet<string>, string[]>, scope: ReadonlySet<string>, build: () => string[]): string[] {
  let list = lists.get(scope);
  if (list === undefined) {
    list = build();
    lists.set(scope, list);
  }
  return list;
}

const resourceLists = new WeakMap<ReadonlySet<string>, string[]>();
const scopeLists = new WeakMap<ReadonlySet<string>, string[]>();

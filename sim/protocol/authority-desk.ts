import { createAuthorityModel } from '../authority/create.ts';
import { EnvelopeModel } from '../authority/envelope-model.ts';
import { envelopeJson, type Envelope, type OpFacts } from '../authority/envelope.ts';
import { toolName, type AuthorityModel, type Decision, type MissionAuthority } from '../authority/model.ts';
import { deriveEnvelope, envelopeFromDef, missionAuthority, type OperationIndex, type ProposedMission } from '../authority/renderings.ts';
import { compilationErrorModel, compileApproved, type CompilationError, type CompilationErrorModel } from '../authority/compilation.ts';
import type { Rng } from '../engine/random.ts';
import type { IntentDef, NarrowingMode, PersonServerDef, Scenario } from '../scenario/schema.ts';
import type { ActorContext } from '../context/actor-context.ts';
import { DelegationTree, type Hop } from './delegation-tree.ts';

export type { Hop } from './delegation-tree.ts';

/** Deployed caps: 3 (one gateway), 5 nested `act` levels (one IdP), 8 (UCAN). */
export const DEFAULT_DEPTH_CAP = 5;

/** How a PS under the envelope or text model came by the policy it enforces for a mission (for its log and the oracle). */
export interface CompiledPolicy {
  /** approved: the mission's `approved` envelope (as the person wrote it in the authoring step); derived: derived from the approved scope; text: the mission text it reads. */
  source: 'approved' | 'derived' | 'text';
  enforced: Envelope;
  /** The errors compilation made (the oracle's: the PS does not know them). */
  errors: CompilationError[];
}

/**
 * The part of a Person Server that decides "inside the mission": its
 * authority model, how it narrows delegated grants (at mint, at
 * evaluation, or provenance only), its depth cap, and the delegation tree
 * of each mission. It also tells the oracle what the log will show.
 */
export class AuthorityDesk {
  readonly model: AuthorityModel;
  readonly narrowing: NarrowingMode;
  readonly depthCap: number;
  /** The delegation tree of each mission: its root hop and the hops minted under it. */
  private readonly tree = new DelegationTree();
  /** A Cedar evaluator of what the log shows (the envelope in the approved blob), apart from the deciding model's. */
  private readonly logCedar = new EnvelopeModel();
  /** Envelope model: how approved envelopes are compiled, and the stream compilation errors are drawn from. */
  private readonly compilation: CompilationErrorModel;
  private readonly compilationRng: Rng;
  /** Envelope and text models: each root agent's compiled policy (text: the mission text it reads). */
  private readonly policies = new Map<string, CompiledPolicy>();

  constructor(
    private readonly ctx: ActorContext,
    private readonly actor: string,
    def: PersonServerDef,
    settings: Scenario['authority'],
    readonly ops: OperationIndex,
  ) {
    this.model = createAuthorityModel(def.authority ?? 'scopes', actor, ctx, settings);
    this.narrowing = def.narrowing ?? 'at-mint';
    this.depthCap = def.max_depth ?? DEFAULT_DEPTH_CAP;
    this.compilation = compilationErrorModel(settings);
    this.compilationRng = ctx.stream(`${actor}/compilation`);
  }

  hop(agent: string): Hop | undefined {
    return this.tree.get(agent);
  }

  /** An agent's delegation depth (0 for a root agent or one this PS never minted), looked up among the minted hops only. */
  depth(agent: string): number {
    return this.tree.depth(agent);
  }

  /** The minted sub-agents under a root agent, in the order they were minted. */
  descendants(root: string): string[] {
    return this.tree.descendants(root);
  }

  /**
   * A root mission: its envelope and renderings; the root hop. Under the
   * envelope model the root envelope is the approved one (the proposal's
   * `approved`: for a mission with an intent, what the person wrote in the
   * authoring step, authoring errors included; else derived from the
   * approved scope) as this PS compiled it, compilation errors included. Under `text` it is the mission text as the person
   * wrote it (its meaning as an envelope; the model's reading noise is
   * around it). Under the other models it is derived from the approved
   * scope. The intent is never read: what the person wrote comes with the
   * proposal (the world's authoring step, logged as mission.authored).
   */
  openMission(agent: string, spec: ProposedMission): MissionAuthority {
    if (spec.scope === undefined && spec.written === undefined) {
      throw new Error(`the mission of ${agent} has neither a scope nor a written text (the world's authoring step writes one: sim/world/authoring.ts)`);
    }
    let authority = missionAuthority(spec, this.ops);
    if (this.model.name === 'text') {
      this.policies.set(agent, { source: 'text', enforced: authority.text, errors: [] });
      authority = { ...authority, intent: authority.text, approved: authority.text };
    }
    if (this.model.name === 'envelope') {
      const approved = spec.approved ? envelopeFromDef(spec.approved) : deriveEnvelope([...authority.scope], this.ops);
      const { enforced, errors } = compileApproved(approved, this.compilation, this.compilationRng);
      this.policies.set(agent, { source: spec.approved ? 'approved' : 'derived', enforced, errors });
      authority = { ...authority, approved, intent: enforced };
    }
    const grantId = `${this.actor}/${agent}/intent`;
    this.tree.openRoot({ agent, root: agent, depth: 0, grant: authority.intent, grantId, chain: [{ grant: authority.intent, grantId }] });
    return authority;
  }

  /** What the log will hold about the mission's authority, so the oracle can tell provable violations from oracle-only ones. */
  logShowsOutside(agent: string, authority: MissionAuthority): (op: OpFacts) => boolean {
    switch (this.model.name) {
      case 'envelope':
        // The approved blob carries the envelope: anyone can evaluate it against op.executed.
        return (op) =>
          this.logCedar.decide({ mission: authority, grant: authority.approved, grantId: `${this.actor}/${agent}/logged-intent`, op }).allow === false;
      case 'scopes':
        return outsideOf(outsideScope, authority.scope, (op) => `${op.resource}/${op.operation}`);
      case 'tools':
        return outsideOf(outsideTools, authority.tools, (op) => toolName(op.resource, op.operation));
      default:
        // Prose (text) and R3 grants the log does not carry: only the oracle can tell.
        return neverShown;
    }
  }

  /** Envelope and text models: the policy this PS enforces for a root agent's mission (undefined under the other models). */
  policyOf(agent: string): CompiledPolicy | undefined {
    return this.policies.get(agent);
  }

  /**
   * What this PS enforces for a hop, as an envelope another domain can
   * evaluate: under the envelope model the hop's grant (the compiled
   * policy, or a delegated grant); under the others the scope list it
   * decides by, as an envelope (a scope string names an operation and
   * nothing more). Never the intent.
   */
  enforcedEnvelope(authority: MissionAuthority, hop: Hop): Envelope {
    return this.model.name === 'envelope' ? hop.grant : deriveEnvelope([...authority.scope], this.ops);
  }

  /**
   * Mints (or refuses) a child hop. Beyond the deployment's depth cap, always
   * refused; at-mint asks the model whether the child grant is inside the
   * parent's; at-evaluation and provenance mint without checking.
   */
  private delegate(parent: Hop, child: string, grantDef: IntentDef | undefined): { decision: Decision; hop: Hop } {
    const depth = parent.depth + 1;
    const grant = grantDef ? envelopeFromDef(grantDef) : parent.grant;
    const grantId = `${this.actor}/${child}/grant`;
    const hop: Hop = { agent: child, root: parent.root, depth, grant, grantId, chain: [...parent.chain, { grant, grantId }] };
    let decision: Decision;
    if (depth > this.depthCap) decision = { allow: false, reason: `delegation depth ${depth} exceeds the deployment cap ${this.depthCap}` };
    else if (this.narrowing === 'at-mint') decision = this.model.delegate(parent.grant, parent.grantId, grant, grantId);
    else if (this.narrowing === 'at-evaluation') decision = { allow: true, reason: "minted unchecked: every hop's grant is checked at evaluation" };
    else decision = { allow: true, reason: 'provenance only: delegation recorded, not checked' };
    if (decision.allow) this.tree.addMinted(hop);
    return { decision, hop };
  }

  /** Mints (or refuses) one hop under `parent`, recording it in the log and the truth (and, -11, who signed the request). Null if minted, else the reason. */
  mint(mission: string | null, parent: string, child: string, task: string, grantDef: IntentDef | undefined, signedBy?: string): string | null {
    const parentHop = this.tree.get(parent) as Hop;
    const signer = signedBy === undefined ? {} : { signed_by: signedBy };
    this.ctx.record('delegation.requested', mission, this.actor, { parent, child, depth: parentHop.depth + 1, task, ...signer });
    const { decision, hop } = this.delegate(parentHop, child, grantDef);
    // Under the envelope model the grant itself is logged: a reader can check the hop without the oracle.
    const logged = this.model.name === 'envelope' ? { grant: envelopeJson(hop.grant) } : {};
    const fields = { parent, child, depth: hop.depth, reason: decision.reason, ...logged };
    if (decision.allow) {
      this.ctx.record('delegation.granted', mission, this.actor, fields);
      this.ctx.outcomes.approved(child, mission);
    } else {
      this.ctx.record('delegation.rejected', mission, this.actor, fields);
    }
    // The oracle adds the grant as it follows it and whether it lies inside the root intent.
    this.ctx.truth.delegation(
      {
        kind: 'delegation',
        mission,
        parent,
        child,
        depth: hop.depth,
        decider: this.actor,
        model: this.model.name,
        narrowing: this.narrowing,
        allow: decision.allow,
        reason: decision.reason,
      },
      hop.root,
      grantDef ? hop.grant : undefined,
    );
    return decision.allow ? null : decision.reason;
  }

  /** Judges one call: against the hop's own grant, or (at-evaluation) against every grant from the root down. */
  authorize(authority: MissionAuthority, hop: Hop, op: OpFacts): Decision {
    // One grant (the hop's own): the model's decision as it is, nothing built around it per call.
    if (this.narrowing !== 'at-evaluation') return this.model.decide({ mission: authority, grant: hop.grant, grantId: hop.grantId, op });
    const grants = hop.chain;
    let approval: Decision['approval'];
    let last: Decision = { allow: true, reason: '' };
    for (const [index, { grant, grantId }] of grants.entries()) {
      last = this.model.decide({ mission: authority, grant, grantId, op });
      if (!last.allow) return grants.length > 1 ? { allow: false, reason: `hop ${index}: ${last.reason}` } : last;
      approval ??= last.approval;
    }
    return approval ? { ...last, approval } : last;
  }
}

/**
 * The log-side test for a scope or tools set: one function per (shared)
 * set, not a closure per mission (missions with the same list share the
 * set, sim/authority/renderings.ts).
 */
function outsideOf(tests: WeakMap<ReadonlySet<string>, OutsideTest>, set: ReadonlySet<string>, name: (op: OpFacts) => string): OutsideTest {
  let test = tests.get(set);
  if (!test) {
    test = (op) => !set.has(name(op));
    tests.set(set, test);
  }
  return test;
}

type OutsideTest = (op: OpFacts) => boolean;
const outsideScope = new WeakMap<ReadonlySet<string>, OutsideTest>();
const outsideTools = new WeakMap<ReadonlySet<string>, OutsideTest>();
const neverShown: OutsideTest = () => false;

import { EnvelopeModel } from '../authority/envelope-model.ts';
import { envelopeJson, inside, outsideReason, type Envelope, type OpFacts } from '../authority/envelope.ts';
import type { MetricsTally } from './metrics.ts';
import type { DeclaredIntentReader } from './intent-leak.ts';
import { WorldAgents, type WorldAgent } from './world-agents.ts';

/** A root agent's mission as the scenario states it: its true intent, declared or derived from the scope. */
export interface TrueIntent {
  intent: Envelope;
  source: 'declared' | 'derived';
  /** A cumulative bound the person meant over the whole mission (seed 000 gap 6: harm in the combination). */
  budget?: { arg: string; limit: number };
}

/** The oracle's types its per-agent records hold (sim/truth/world-agents.ts). */
export interface OracleTypes {
  intent: Envelope;
  op: OpFacts;
  charge: PendingCharge;
}

/**
 * A root agent's mission as the oracle judges it: the fields of its root
 * agent's record (inline there, one object fewer per operation).
 */
export interface MissionEntry {
  missionId: string | null;
  intent: Envelope;
  /** Whether the audit log alone shows this operation outside what was approved. */
  logShowsOutside: (op: OpFacts) => boolean;
  budget: { arg: string; limit: number } | undefined;
  /** The sum of the budget's argument over the mission's executed operations. */
  spent: number;
  /** Charges authorised (token granted) and judged intended whose call has not executed yet, in grant order. */
  pending: PendingCharge[];
}

/** An authorised, intended charge the mission is committed to until its call executes (or is refused further on). */
interface PendingCharge {
  /** The decision's request id (a PS decision and the AS decision on it share one). */
  request: string;
  /** The executing agent, operation and arguments: the execution that settles it. */
  call: string;
  amount: number;
}

const callKey = (agent: string, op: OpFacts) => `${agent} ${op.resource}/${op.operation} ${JSON.stringify(op.args)}`;

/**
 * The oracle: knows every mission's true intent (from the scenario, never
 * from a party) and every agent's place in its delegation tree, and judges
 * each executed operation against the root intent (what the person
 * approved, not what any hop was granted). It is the world's: parties only
 * write to it through the TruthRecorder and never read it; the world's
 * authoring step alone reads the intent, as a DeclaredIntentReader
 * (sim/truth/intent-leak.ts), to write the mission the person approves.
 */
export class Oracle implements DeclaredIntentReader {
  /** The grant each minted hop holds as the oracle follows it (its own, or its parent's), for within_intent. */
  private readonly grants = new Map<string, Envelope>();
  /** The oracle's own Cedar evaluator, for "is this child grant inside the root intent" (not any party's model). */
  private readonly cedar = new EnvelopeModel();

  /**
   * @param agents Each agent's hop (its root agent's record and its depth)
   *   and, for a root agent, its mission entry live in the world's per-agent
   *   record, beside its outcome tally: judging an operation takes one
   *   lookup, and none by name for a delegated agent (its hop points at its
   *   root's record).
   */
  constructor(
    private readonly intents: ReadonlyMap<string, TrueIntent> = new Map(),
    private readonly agents: WorldAgents<OracleTypes> = new WorldAgents(),
  ) {}

  /** The scenario's intent of a root agent's mission. */
  trueIntent(rootAgent: string): TrueIntent | undefined {
    return this.intents.get(rootAgent);
  }

  intentOf(rootAgent: string): Envelope | undefined {
    return this.intents.get(rootAgent)?.intent;
  }

  intends(agent: string, op: OpFacts): boolean {
    return this.intended(agent, op);
  }

  mission(rootAgent: string, mission: string | null, logShowsOutside: (op: OpFacts) => boolean): void {
    const intent = this.shared(this.intents.get(rootAgent)?.intent ?? { grants: [], exclusions: [], maxDepth: 0 });
    // The entry lives in the root agent's record: a new mission overwrites the previous one's whole.
    const entry = this.agents.of(rootAgent);
    const budget = this.intents.get(rootAgent)?.budget;
    entry.missionId = mission;
    entry.intent = intent;
    entry.logShowsOutside = logShowsOutside;
    entry.budget = budget;
    entry.spent = 0;
    // Only a budgeted mission holds charges: without one the (shared, empty) list is never written.
    if (budget !== undefined || entry.pending.length > 0) entry.pending = [];
    this.setHop(rootAgent, rootAgent, 0);
    this.grants.set(rootAgent, intent);
  }

  /** One envelope object per distinct intent (by content), whatever mission states it. */
  private readonly intentsByContent = new Map<string, Envelope>();

  /**
   * The envelope equal to `intent` that the oracle judges with: missions
   * stating the same intent share one object, which every executed
   * operation then reads from the cache rather than one cold copy per agent.
   * Envelopes are never changed after they are made.
   */
  private shared(intent: Envelope): Envelope {
    const content = JSON.stringify(envelopeJson(intent));
    const known = this.intentsByContent.get(content);
    if (known !== undefined) return known;
    this.intentsByContent.set(content, intent);
    return intent;
  }

  /** The grant a child holds (its own, else its parent's) and whether it lies inside the root intent. */
  grantOf(parent: string, root: string, ownGrant: Envelope | undefined): { grant: Envelope; withinIntent: boolean } {
    const grant = ownGrant ?? this.grants.get(parent) ?? this.intentOf(root) ?? { grants: [], exclusions: [], maxDepth: 0 };
    const rootIntent = this.intentOf(root) ?? { grants: [], exclusions: [], maxDepth: 0 };
    // Compiled grants are cached by id: ids name the content, so equal envelopes share one compilation.
    const withinIntent = this.cedar.delegate(rootIntent, `oracle/${root}/intent`, grant, `oracle/grant/${JSON.stringify(envelopeJson(grant))}`).allow;
    return { grant, withinIntent };
  }

  /** Where an enforced policy differs from a root agent's intent: what it permits beyond it, and whether it covers it. */
  comparePolicy(rootAgent: string, enforced: Envelope): { withinIntent: boolean; reason: string | null; coversIntent: boolean } {
    const intent = this.intentOf(rootAgent) ?? { grants: [], exclusions: [], maxDepth: 0 };
    const enforcedId = `oracle/policy/${JSON.stringify(envelopeJson(enforced))}`;
    const within = this.cedar.delegate(intent, `oracle/${rootAgent}/intent`, enforced, enforcedId);
    const covers = this.cedar.delegate(enforced, enforcedId, intent, `oracle/${rootAgent}/intent`);
    // isSubset words its answer for delegation (child, parent): here the child is the policy and the parent the intent.
    const reason = within.allow
      ? null
      : within.reason
          .replace(/^child grant/, 'policy')
          .replace('exceeds the parent grant', 'exceeds the intent')
          .replace(/^child delegation bound/, 'policy delegation bound')
          .replace("the parent's", "the intent's");
    return { withinIntent: within.allow, reason, coversIntent: covers.allow };
  }

  hop(agent: string, rootAgent: string, depth: number, grant: Envelope): void {
    this.setHop(agent, rootAgent, depth);
    this.grants.set(agent, grant);
  }

  private setHop(agent: string, root: string, depth: number): void {
    const record = this.agents.of(agent);
    record.root = this.agents.of(root);
    record.depth = depth;
  }

  depthOf(agent: string): number {
    return this.agents.find(agent)?.depth ?? 0;
  }

  /** Whether an operation lies inside the root intent of the agent's mission (true when the agent has none). */
  /** Agents acting for an attacker the scenario injected: nothing they do or are granted is intended. */
  private readonly adversaries = new Set<string>();

  markAdversary(agent: string): void {
    this.adversaries.add(agent);
  }

  isAdversary(agent: string): boolean {
    return this.adversaries.has(agent);
  }

  intended(agent: string, op: OpFacts): boolean {
    if (this.adversaries.has(agent)) return false;
    const entry = this.entryOf(agent);
    return entry === undefined || inside(entry.intent, op);
  }

  /**
   * Whether a request for an operation was intended: inside the root intent,
   * and (with a budget) not past it counting what the mission has executed
   * so far plus the intended charges already authorised whose calls have
   * not executed yet (a token granted for a charge still queued commits the
   * mission to it, as the PS's own budget counts it). A refusal of a charge
   * the person's total still allowed is a false denial; of one past it, a
   * correct refusal. An allowed, intended charge is then held as committed
   * until its call executes; a later refusal of the same request (the other
   * domain's AS) releases it. Assumption, stated in docs/mission-budget.md:
   * a charge authorised is one the person expects to be made.
   */
  judgeRequest(agent: string, op: OpFacts, request: string, allow: boolean): boolean {
    if (!this.intended(agent, op)) return false;
    const entry = this.entryOf(agent);
    if (!entry?.budget) return true;
    const amount = op.args[entry.budget.arg] ?? 0;
    // The same request's own earlier grant (the PS's, before the AS decides) is not counted against it.
    const others = entry.pending.filter((charge) => charge.request !== request);
    const committed = others.reduce((sum, charge) => sum + charge.amount, 0);
    const intended = entry.spent + committed + amount <= entry.budget.limit;
    const held = entry.pending.length !== others.length;
    if (!allow && held) entry.pending = others;
    else if (allow && intended && !held && amount !== 0) entry.pending.push({ request, call: callKey(agent, op), amount });
    return intended;
  }

  private entryOf(agent: string): MissionEntry | undefined {
    const root = this.agents.find(agent)?.root;
    return root?.intent === undefined ? undefined : (root as WorldAgent<OracleTypes> & MissionEntry);
  }

  /** Each agent's last executed operation: whether it was intended, budget included (executedIntended). */
  private readonly lastExecuted = new Map<string, { op: OpFacts; intended: boolean }>();

  /** An executed operation past the mission's budget: why it is unintended, counting it as spent. */
  private overBudget(entry: MissionEntry, op: OpFacts): string | null {
    if (!entry.budget) return null;
    entry.spent += op.args[entry.budget.arg] ?? 0;
    return entry.spent > entry.budget.limit ? `over the mission's budget: ${entry.budget.arg} ${entry.spent} > ${entry.budget.limit}` : null;
  }

  /**
   * Whether an executed operation was intended, budget included: the
   * verdict of its `op` record when it is the agent's last one (the world's
   * alignment tally asks right after), else the single-operation judgement.
   */
  executedIntended(agent: string, op: OpFacts): boolean {
    const last = this.lastExecuted.get(agent);
    return last !== undefined && last.op === op ? last.intended : this.intended(agent, op);
  }

  /** An operation executed (its effect happened): one `op` record. */
  executed(truth: MetricsTally, t: number, eventSeq: number, agent: string, op: OpFacts): void {
    const entry = this.entryOf(agent);
    // The execution settles the first charge authorised for this call: its amount moves from committed to spent.
    // Only a budgeted mission holds charges: without one its pending list is not read (one cold object fewer per operation).
    if (entry?.budget && entry.pending.length > 0) {
      const settled = entry.pending.findIndex((charge) => charge.call === callKey(agent, op));
      if (settled >= 0) entry.pending.splice(settled, 1);
    }
    const single = entry ? outsideReason(entry.intent, op) : null;
    const budget = entry ? this.overBudget(entry, op) : null;
    const reason = single ?? budget;
    if (entry?.budget) this.lastExecuted.set(agent, { op, intended: reason === null });
    truth.write({
      kind: 'op',
      t,
      event_seq: eventSeq,
      mission: entry?.missionId ?? null,
      agent,
      depth: op.depth,
      resource: op.resource,
      op: op.operation,
      class: op.class,
      action: op.action,
      args: op.args,
      stage: op.stage ?? null,
      intended: reason === null,
      outside_reason: reason,
      provable_from_log: reason !== null && entry !== undefined && entry.logShowsOutside(op),
    });
  }
}

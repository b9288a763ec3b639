import type { Envelope } from '../authority/envelope.ts';
import type { Scenario } from '../scenario/schema.ts';

/**
 * The one door through which a deciding party reads the scenario's true
 * intent (the oracle's). A real deployment has no such door: each design
 * that holds this port is a known bias of the simulator, listed by
 * `declaredIntentReads` (and in docs/architecture.md), until an explicit,
 * logged, error-prone step replaces it (as the envelope model's compilation
 * of the approved envelope did: sim/authority/compilation.ts). The world hands the port only
 * to the parties of a scenario whose design declares the read; the
 * import-graph test (test/architecture/imports.test.ts) allows only those
 * modules to import this file, and the intent-swap test proves that every
 * other scenario's log does not depend on the intent.
 */
export interface DeclaredIntentReader {
  /** The true intent envelope of a root agent's mission (undefined: the agent has no mission). */
  intentOf(rootAgent: string): Envelope | undefined;
}

/** One design that reads the intent: where, what, and why it needs it. */
export interface IntentRead {
  design: string;
  file: string;
  reads: string;
  why: string;
}

const READS = {
  text: {
    design: 'PS authority model `text`',
    file: 'sim/protocol/authority-desk.ts (root grant), sim/authority/text.ts',
    reads: 'the intent envelope, as the root grant the noisy reading is measured against',
    why: 'a prose reading is modelled as noise around the intent (closeness in the taxonomy)',
  },
  noScope: {
    design: 'mission without `scope`',
    file: 'sim/protocol/authority-desk.ts, sim/authority/renderings.ts',
    reads: 'the intent envelope, rendered to the scope, tools and R3 lists the person approves',
    why: 'the scenario gives only the intent; its renderings stand for what the person wrote',
  },
  clarify: {
    design: 'AS trust `clarify` (reader text or envelope)',
    file: 'sim/protocol/person-server.ts (disclosed body), sim/protocol/access-server.ts',
    reads: "the intent envelope inside the disclosed mission body, judged by the AS's reader",
    why: "the AS's reading of the prose is modelled as noise around the intent",
  },
} satisfies Record<string, IntentRead>;

export type IntentReadKind = keyof typeof READS;

/** Which parties of a scenario read the intent, by kind (empty: the log cannot depend on the intent). */
export function intentReadKinds(spec: Scenario): Set<IntentReadKind> {
  const kinds = new Set<IntentReadKind>();
  for (const ps of spec.topology.person_servers ?? []) {
    // `envelope` reads no intent: it enforces the approved envelope as its PS compiled it (sim/authority/compilation.ts).
    if ((ps.authority ?? 'scopes') === 'text') kinds.add('text');
  }
  for (const as of spec.topology.access_servers ?? []) {
    // envelope-projection reads no intent: the projection is cut from what the PS itself enforces.
    if (as.trust === 'clarify' && ['text', 'envelope'].includes(as.authority ?? 'text')) kinds.add('clarify');
  }
  for (const agent of spec.agents ?? []) {
    if (agent.mission && agent.mission.scope === undefined) kinds.add('noScope');
  }
  // The person (permission requests, the release gate, mission approval) and the runtime monitor
  // decide from what they are shown and from the log: they read no intent (issue 16, item 3).
  return kinds;
}

/** The designs of a scenario that read the intent, for the run's manifest and the README's known biases. */
export function declaredIntentReads(spec: Scenario): IntentRead[] {
  return [...intentReadKinds(spec)].map((kind) => READS[kind]);
}

/** Every design that reads the intent (the README's list). */
export const INTENT_READS: readonly IntentRead[] = Object.values(READS);

/** The kinds a Person Server's desk reads through (its root grant is the intent). */
export const DESK_READS: ReadonlySet<IntentReadKind> = new Set(['text', 'noScope', 'clarify']);

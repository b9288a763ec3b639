import type { OpFacts } from '../authority/envelope.ts';

/** What a held operation's owner is told when the gate decides. */
export interface GateCallbacks {
  release: () => void;
  block: (reason: string) => void;
}

/**
 * The runtime monitor as a resource reaches it: it observes executions and
 * holds irreversible work for release. The resource names the PS of the
 * request (its actor id); the monitor asks that PS through its own port.
 */
export interface RuntimeMonitorPort {
  readonly gating: boolean;
  /** `mission`: the mission the request's token carries (its s256; null outside any mission). */
  observe(agent: string, ps: string, mission: string | null, op: OpFacts, irreversible: boolean): void;
  hold(agent: string, ps: string, mission: string | null, op: OpFacts, jti: string, gate: GateCallbacks): void;
}

import type { AttackDef } from '../scenario/orchestration-schema.ts';

/**
 * What became of one attack (or one planned sub-goal the GEC's checks
 * fail): refused (by whom, with what code or reason), took effect, or never
 * came into play; and, when it took effect, whether the log alone shows it
 * or only the oracle knows. Written by the world at the point the refusal or
 * the effect happens, read only by the summary (it is the oracle's view: the
 * parties decide from their own state).
 */
export interface AttackOutcome {
  attack: string;
  outcome: 'refused' | 'took_effect' | 'no_effect';
  /** The refusing party (`gec`, `ps:<id>`); null if nobody refused. */
  by: string | null;
  /** The refusal's error code or reason; for an effect, the GEC check it breaks (or `accepted`). */
  code: string;
  /** Took effect: `log` if the log alone proves it, `oracle` if only the oracle knows. Refused: `log`. */
  visible: 'log' | 'oracle' | null;
}

/** The label of an attack: its name, or what it does. */
export function attackLabel(attack: AttackDef): string {
  if (attack.name !== undefined) return attack.name;
  if (attack.kind === 'spo_tamper' || attack.kind === 'spo_substitute') return `${attack.kind} ${attack.plan_b}`;
  if (attack.kind === 'direct_message') return `direct_message by ${attack.by} to ${attack.to}`;
  return `${attack.kind} by ${attack.by} on ${attack.sub_goal ?? '(new sub-goal)'}`;
}

/** The label of a planned sub-goal whose spawn breaks a GEC check (seed 003 15.3: EOD scope inflation is one). */
export const planLabel = (subGoalId: string, code: string) => `sub-goal ${subGoalId} (${code})`;

export class AttackLedger {
  private readonly entries = new Map<string, AttackOutcome>();

  /** An attack that is scheduled: `no_effect` until something happens. */
  expect(attack: string): void {
    if (!this.entries.has(attack)) this.entries.set(attack, { attack, outcome: 'no_effect', by: null, code: 'never came into play', visible: null });
  }

  /** The attack's time came when there was no orchestration to attack (`why`): it did not run. */
  noTarget(attack: string, why: string): void {
    this.entries.set(attack, { attack, outcome: 'no_effect', by: null, code: `no target: ${why}`, visible: null });
  }

  /** The attack ran, but the party that would decide it had not when the run left it (`why`): neither refused nor in effect. */
  unanswered(attack: string, why: string): void {
    this.entries.set(attack, { attack, outcome: 'no_effect', by: null, code: `unanswered: ${why}`, visible: null });
  }

  refused(attack: string, by: string, code: string): void {
    this.entries.set(attack, { attack, outcome: 'refused', by, code, visible: 'log' });
  }

  tookEffect(attack: string, code: string, visible: 'log' | 'oracle'): void {
    this.entries.set(attack, { attack, outcome: 'took_effect', by: null, code, visible });
  }

  list(): AttackOutcome[] {
    return [...this.entries.values()];
  }
}

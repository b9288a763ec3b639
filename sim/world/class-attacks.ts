import { AttackLedger, type AttackOutcome } from '../aop/attack-ledger.ts';
import type { Profile } from '../protocol/profiles.ts';
import type { ClassAttackReport } from '../protocol/mission-class.ts';
import type { CompiledAgent } from '../scenario/compile.ts';
import type { TruthRecorder } from '../truth/truth-recorder.ts';

/** The oracle's ledger of seed 002's attack: runtimes of another class presenting a mission. */
export interface ClassAttacks {
  /** The write-only port an injected runtime reports through (undefined for every other agent). */
  reportFor(agent: string): ClassAttackReport | undefined;
  list(): AttackOutcome[];
}

/**
 * Which runtimes are attacks is scenario knowledge (an `acts_under` runtime
 * whose class is not the class of the agent it acts under): the world knows
 * it, no party does. Each such runtime reports the answers it gets; the
 * world records the first refusal (by whom, with which logged event and
 * reason) or that the attack took effect, and whether the log alone shows
 * it: only where the PS checks class do the tokens carry `mb_class`, so
 * only there can a reader see a runtime's class differ from its mission's.
 * The first refusal and the first effect also reach truth.jsonl as `attack`
 * records (docs/truth-records.md), which the atlas counts.
 * Undefined when the scenario injects no such runtime (its summary is unchanged).
 */
export function classAttacks(agents: ReadonlyMap<string, CompiledAgent>, profile: Profile, truth: TruthRecorder): ClassAttacks | undefined {
  const labels = new Map<string, string>();
  for (const agent of agents.values()) {
    const target = agent.def.acts_under === undefined ? undefined : agents.get(agent.def.acts_under);
    if (!target || target.runtimeClass === agent.runtimeClass) continue;
    labels.set(
      agent.def.id,
      `${agent.def.id}: a runtime of class ${agent.runtimeClass} presenting the mission of ${target.def.id} (class ${target.runtimeClass})`,
    );
  }
  if (labels.size === 0) return undefined;
  const ledger = new AttackLedger();
  for (const label of labels.values()) ledger.expect(label);
  const visible = profile.classCheck ? 'log' : 'oracle';
  const report = (attacker: string, label: string): ClassAttackReport => {
    let effect: 'none' | 'granted' | 'executed' = 'none';
    let refused = false;
    const record = (outcome: 'refused' | 'took_effect', decider: string | null, reason: string) =>
      truth.attack({ kind: 'attack', attack: label, attacker, outcome, decider, reason, visible: outcome === 'refused' ? 'log' : visible });
    return {
      answered(by, event, granted, reason) {
        if (granted && effect === 'none') {
          effect = 'granted';
          ledger.tookEffect(label, `${event}: accepted`, visible);
          record('took_effect', null, `${event}: accepted`);
        } else if (!granted && effect === 'none' && !refused && reason !== 'ps unavailable' && reason !== 'mission suspended') {
          refused = true;
          ledger.refused(label, by, `${event}: ${reason}`);
          record('refused', by, `${event}: ${reason}`);
        }
      },
      executed() {
        if (effect === 'executed') return;
        // An execution without a grant first (a token from a shared cache) is the attack's first effect.
        if (effect === 'none') record('took_effect', null, 'op.executed');
        effect = 'executed';
        ledger.tookEffect(label, 'op.executed', visible);
      },
    };
  };
  const ports = new Map([...labels].map(([agent, label]) => [agent, report(agent, label)]));
  return { reportFor: (agent) => ports.get(agent), list: () => ledger.list() };
}

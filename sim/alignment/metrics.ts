import type { OpFacts } from '../authority/envelope.ts';
/** One monitored mission: when drift began (truth), when the monitor noticed, and the harm in between. */
export interface MonitoredMission {
  agent: string;
  mission: string | null;
  operations_executed: number;
  unintended_executed: number;
  /** The first unintended operation that executed (the oracle's view of drift onset). */
  drift_onset_s: number | null;
  alarm_at_s: number | null;
  /** Alarm minus drift onset; null without both. */
  detection_delay_s: number | null;
  /** Unintended operations executed up to the alarm (all of them if there was none). */
  unintended_before_detection: number;
  irreversible_unintended_before_detection: number;
  /** An alarm raised before any unintended operation executed. */
  false_alarm: boolean;
}

export interface AlignmentSummary {
  enabled: boolean;
  missions: MonitoredMission[];
  false_alarms: number;
  gate_held: number;
  gate_released_by_monitor: number;
  gate_released_by_person: number;
  gate_blocked: number;
  /** Held operations that went to a person: the human load of the gate. */
  human_reviews: number;
}

interface Row {
  agent: string;
  mission: string | null;
  executed: number;
  unintended: number;
  onset: number | undefined;
  alarm: number | undefined;
  before: number;
  irreversibleBefore: number;
}

/**
 * What the monitor writes into its tally: it hands over the executed
 * operation, never learns whether it was intended (the tally asks the
 * world's ground truth, for the metrics only).
 */
export interface AlignmentSink {
  executed(agent: string, mission: string | null, t: number, actor: string, op: OpFacts, irreversible: boolean): void;
  alarm(agent: string, t: number): void;
  held(): void;
  released(by: 'monitor' | 'person'): void;
  blocked(): void;
  humanReview(): void;
}

/** Tallies the monitor's run as it goes, so the summary needs no second pass over the log. */
export class AlignmentTally implements AlignmentSink {
  private readonly rows = new Map<string, Row>();
  private gate = { held: 0, monitor: 0, person: 0, blocked: 0, reviews: 0 };

  private row(agent: string): Row {
    let row = this.rows.get(agent);
    if (!row) {
      row = { agent, mission: null, executed: 0, unintended: 0, onset: undefined, alarm: undefined, before: 0, irreversibleBefore: 0 };
      this.rows.set(agent, row);
    }
    return row;
  }

  /** `intended`: the world's ground truth (sim/world/ builds the tally with the oracle's judgement). */
  constructor(private readonly intended: (agent: string, op: OpFacts) => boolean) {}

  executed(agent: string, mission: string | null, t: number, actor: string, op: OpFacts, irreversible: boolean): void {
    const intended = this.intended(actor, op);
    const row = this.row(agent);
    row.mission = mission;
    row.executed++;
    if (intended) return;
    row.unintended++;
    row.onset ??= t;
    if (row.alarm !== undefined) return;
    row.before++;
    if (irreversible) row.irreversibleBefore++;
  }

  alarm(agent: string, t: number): void {
    this.row(agent).alarm ??= t;
  }

  held(): void {
    this.gate.held++;
  }
  released(by: 'monitor' | 'person'): void {
    this.gate[by]++;
  }
  blocked(): void {
    this.gate.blocked++;
  }
  humanReview(): void {
    this.gate.reviews++;
  }

  summary(enabled: boolean): AlignmentSummary {
    const s = (t: number | undefined) => (t === undefined ? null : t / 1e6);
    const missions = [...this.rows.values()].map((row) => ({
      agent: row.agent,
      mission: row.mission,
      operations_executed: row.executed,
      unintended_executed: row.unintended,
      drift_onset_s: s(row.onset),
      alarm_at_s: s(row.alarm),
      detection_delay_s: row.alarm !== undefined && row.onset !== undefined && row.onset <= row.alarm ? (row.alarm - row.onset) / 1e6 : null,
      unintended_before_detection: row.before,
      irreversible_unintended_before_detection: row.irreversibleBefore,
      false_alarm: row.alarm !== undefined && (row.onset === undefined || row.onset > row.alarm),
    }));
    return {
      enabled,
      missions,
      false_alarms: missions.filter((m) => m.false_alarm).length,
      gate_held: this.gate.held,
      gate_released_by_monitor: this.gate.monitor,
      gate_released_by_person: this.gate.person,
      gate_blocked: this.gate.blocked,
      human_reviews: this.gate.reviews,
    };
  }
}

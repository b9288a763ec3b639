import type { OpFacts } from '../authority/envelope.ts';
import type { MonitorDef } from '../scenario/schema.ts';
import type { ActorContext } from '../context/actor-context.ts';
import type { MissionDirectory } from '../protocol/mission-directory.ts';
import { MONITOR, sendControl, type ControlDesk } from '../protocol/mission-control.ts';
import type { Network } from '../protocol/network.ts';
import type { GateCallbacks, RuntimeMonitorPort } from '../protocol/release-gate.ts';
import type { AlignmentSink } from './metrics.ts';
import { makeDetector, type DriftDetector } from './detectors.ts';
import { CumulativeWatch } from './cumulative.ts';
import { ObservedBehaviour } from './observed-behaviour.ts';

/**
 * A Person Server as its monitor reaches it: what it knows of its missions,
 * and where it sends an alarm (a message, queued at the PS:
 * sim/protocol/mission-control.ts), never the PS's suspend or terminate.
 */
export type MonitoredServer = MissionDirectory & ControlDesk;

/** One mission as the monitor follows it: its behaviour so far and the flags over the last `window` executed operations. */
interface Watch {
  /** The mission's handle at its PS (its root agent's id; `<agent>/concurrent` for a concurrent mission). */
  root: string;
  /** The s256 of the mission, as the last token observed under it carried it. */
  mission: string | null;
  ps: MonitoredServer;
  behaviour: ObservedBehaviour;
  cumulative: CumulativeWatch;
  /** The last `window` flags: what the release gate calls a clean window, whatever the detector. */
  flags: boolean[];
  detector: DriftDetector;
  judged: number;
  alarmed: boolean;
}

/**
 * Runtime alignment monitor (seed 000 gap 6). Authorization judges each
 * request alone; the monitor watches what actually executed (op.executed)
 * and judges the trajectory from what the log shows, never from the
 * intent: each operation is flagged when it is unusual against the
 * mission's early behaviour (ObservedBehaviour), and when `threshold` of
 * the last `window` are flagged (or the CUSUM crosses h) it raises
 * `monitor.alarm`, which suspends or terminates the mission at its PS. Its
 * cumulative checks (`budget`, `flow`) alarm on a combination no single
 * operation shows (CumulativeWatch).
 *
 * It also runs the staged release gate: an irreversible operation is held
 * before it is queued; the monitor releases it only if the operation itself
 * looks usual after a full clean window, else the person decides (at human
 * speed, shown the operation and the monitor's reasons) or, without a
 * person, it is blocked.
 */
export class AlignmentMonitor implements RuntimeMonitorPort {
  readonly enabled: boolean;
  readonly gating: boolean;
  private readonly window: number;
  private readonly watches = new Map<string, Watch>();

  constructor(
    private readonly ctx: ActorContext,
    private readonly def: MonitorDef,
    /** The Person Servers whose resources report to this monitor, by actor id. */
    private readonly servers: ReadonlyMap<string, MonitoredServer>,
    /** Its figures, written as it goes (the world reads them). */
    private readonly tally: AlignmentSink,
    /** How its alarms reach the PS: one network latency, then the PS's queue. */
    private readonly network: Network,
  ) {
    this.enabled = def.enabled ?? true;
    this.gating = this.enabled && (def.gate ?? 'irreversible') === 'irreversible';
    this.window = def.window ?? 6;
  }

  /**
   * The mission an operation ran under: the one its token carried (so one
   * agent's concurrent missions are watched apart), found at its PS by s256;
   * outside any mission, the agent's root.
   */
  private watch(agent: string, psActor: string, mission: string | null): Watch {
    const ps = this.servers.get(psActor) as MonitoredServer; // every PS of the world is known
    const root = (mission === null ? undefined : ps.handleOf(mission)) ?? ps.rootOf(agent);
    let watch = this.watches.get(root);
    if (watch) watch.mission = mission;
    if (!watch) {
      watch = {
        root,
        mission,
        ps,
        flags: [],
        detector: makeDetector(this.def),
        judged: 0,
        alarmed: false,
        behaviour: new ObservedBehaviour(this.def.baseline ?? 5, this.def.suspicion ?? 1),
        cumulative: new CumulativeWatch(this.def.budget, this.def.flow),
      };
      this.watches.set(root, watch);
    }
    return watch;
  }

  /** An operation executed (called by the resource after op.executed). */
  observe(agent: string, ps: string, mission: string | null, op: OpFacts, irreversible: boolean): void {
    const watch = this.watch(agent, ps, mission);
    // The tally judges it against the ground truth, for the metrics only: the monitor acts on the log.
    this.tally.executed(watch.root, watch.mission, this.ctx.sim.now, agent, op, irreversible);
    if (!this.enabled) return;
    const flag = watch.behaviour.add(op, irreversible).flagged;
    watch.flags.push(flag);
    if (watch.flags.length > this.window) watch.flags.shift();
    watch.judged++;
    const detection = watch.detector.add(flag);
    const crossed = watch.cumulative.add(op);
    if (watch.alarmed || (crossed === null && !detection.alarm)) return;
    watch.alarmed = true;
    const action = this.def.action ?? 'terminate';
    const alarm = { agent: watch.root, flagged: detection.flagged, window_size: detection.observed, action };
    // A cumulative check names itself and its figure; the sliding window's alarm keeps its original fields.
    if (crossed !== null) this.ctx.record('monitor.alarm', mission, 'monitor', { ...alarm, detector: crossed.detector, statistic: crossed.value });
    else if (watch.detector.name === 'cusum')
      this.ctx.record('monitor.alarm', mission, 'monitor', { ...alarm, detector: 'cusum', statistic: detection.statistic as number });
    else this.ctx.record('monitor.alarm', mission, 'monitor', alarm);
    this.tally.alarm(watch.root, this.ctx.sim.now);
    if (action === 'none') return;
    // A message to the PS, not the PS's own hand: the mission is suspended (terminated where the profile
    // cannot suspend) or terminated for policy only when the PS serves it (monitor.alarm_received).
    sendControl(this.ctx, this.network, MONITOR, watch.ps, {
      from: { kind: 'monitor' },
      s256: mission,
      handle: watch.root,
      action: action === 'suspend' ? 'suspend' : 'terminate-policy',
      alarmAt: this.ctx.sim.now,
    });
  }

  /** Staged release: an irreversible operation waits here before it is queued. */
  hold(agent: string, ps: string, mission: string | null, op: OpFacts, jti: string, gate: GateCallbacks): void {
    const watch = this.watch(agent, ps, mission);
    const fields = { agent, op: op.operation, jti };
    this.ctx.record('gate.held', mission, 'gate', fields);
    this.tally.held();
    const release = (by: 'monitor' | 'person') => {
      this.ctx.record('gate.released', mission, 'gate', { ...fields, released_by: by });
      this.tally.released(by);
      gate.release();
    };
    const block = (reason: string) => {
      this.ctx.record('gate.blocked', mission, 'gate', { ...fields, reason });
      this.tally.blocked();
      gate.block(reason);
    };
    if (watch.ps.stateOf(watch.root) !== 'active') return block('mission not active');
    const cleanWindow = !watch.alarmed && watch.flags.length >= this.window && !watch.flags.some(Boolean);
    const suspicion = watch.behaviour.score(op, true);
    const crossing = watch.cumulative.wouldCross(op);
    if (!suspicion.flagged && crossing === null && cleanWindow) return release('monitor');
    const person = watch.ps.personOf(watch.root);
    if (!(this.def.human_release ?? true) || person === undefined) return block('the monitor would not release it');
    this.tally.humanReview();
    // What the person is shown: the operation, that it is in the approved mission (it holds a token
    // for it), and the monitor's reasons: the operation's own features, and the unusual ones before it.
    const evidence = [
      ...suspicion.features,
      ...(crossing ? [`over the ${crossing.detector} limit`] : []),
      ...(watch.flags.some(Boolean) ? ['unusual operations before it'] : []),
      ...(watch.alarmed ? ['the monitor raised an alarm'] : []),
    ];
    // The question carries the reasons, so the log shows what the person was shown (person.asked).
    const question = `release ${op.resource}/${op.operation}${evidence.length > 0 ? ` (${evidence.join('; ')})` : ''}`;
    person.decide({ agent, op, covered: evidence.length === 0, question }, (yes) => {
      // The mission may have ended while the person read.
      if (watch.ps.stateOf(watch.root) !== 'active') return block('mission not active');
      if (yes) release('person');
      else block('the person refused it');
    });
  }
}

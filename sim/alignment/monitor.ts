import { inside, type OpFacts } from '../authority/envelope.ts';
import type { Rng } from '../engine/random.ts';
import type { MonitorDef } from '../scenario/schema.ts';
import type { ActorContext } from '../context/actor-context.ts';
import type { MissionControl, MissionDirectory } from '../protocol/mission-directory.ts';
import type { GateCallbacks, RuntimeMonitorPort } from '../protocol/release-gate.ts';
import type { DeclaredIntentReader } from '../truth/intent-leak.ts';
import type { AlignmentSink } from './metrics.ts';
import { makeDetector, type DriftDetector } from './detectors.ts';

/** A Person Server as its monitor reaches it: what it knows of its missions, and what it can do to them. */
export type MonitoredServer = MissionDirectory & Pick<MissionControl, 'suspend' | 'terminateForPolicy'>;

/** One mission as the monitor follows it: the judge's flags over the last `window` executed operations. */
interface Watch {
  root: string;
  ps: MonitoredServer;
  rng: Rng;
  /** The last `window` flags: what the release gate calls a clean window, whatever the detector. */
  flags: boolean[];
  detector: DriftDetector;
  judged: number;
  alarmed: boolean;
}

/**
 * Runtime alignment monitor (seed 000 gap 6). Authorization judges each
 * request alone; the monitor watches what actually executed (op.executed)
 * and judges the trajectory: a noisy judge (it misses some unintended
 * operations and flags some intended ones, as a model-based judge would)
 * marks each operation against the approved intent, and when `threshold`
 * of the last `window` are flagged it raises `monitor.alarm`, which
 * suspends or terminates the mission at its PS.
 *
 * It also runs the staged release gate: an irreversible operation is held
 * before it is queued; the monitor releases it only if it judges the
 * operation itself clean after a full clean window, else the person decides
 * (at human speed) or, without a person, it is blocked.
 */
export class AlignmentMonitor implements RuntimeMonitorPort {
  readonly enabled: boolean;
  readonly gating: boolean;
  private readonly window: number;
  private readonly miss: number;
  private readonly falseFlag: number;
  private readonly watches = new Map<string, Watch>();

  constructor(
    private readonly ctx: ActorContext,
    private readonly def: MonitorDef,
    /** The Person Servers whose resources report to this monitor, by actor id. */
    private readonly servers: ReadonlyMap<string, MonitoredServer>,
    /** The judge's read of the intent: a declared bias (sim/truth/intent-leak.ts); absent for a monitor that judges nothing. */
    private readonly intent: DeclaredIntentReader | undefined,
    /** Its figures, written as it goes (the world reads them). */
    private readonly tally: AlignmentSink,
  ) {
    this.enabled = def.enabled ?? true;
    this.gating = this.enabled && (def.gate ?? 'irreversible') === 'irreversible';
    this.window = def.window ?? 6;
    this.miss = def.miss ?? 0.1;
    this.falseFlag = def.false_flag ?? 0.05;
  }

  /** The mission an agent (root, sub-agent or chained caller) acts under, as its PS knows it. */
  private watch(agent: string, psActor: string): Watch {
    const ps = this.servers.get(psActor) as MonitoredServer; // every PS of the world is known
    const root = ps.rootOf(agent);
    let watch = this.watches.get(root);
    if (!watch) {
      watch = { root, ps, rng: this.ctx.stream(`monitor/${root}`), flags: [], detector: makeDetector(this.def), judged: 0, alarmed: false };
      this.watches.set(root, watch);
    }
    return watch;
  }

  /** The judge's verdict on one operation: flagged as off-intent or not. */
  private judge(watch: Watch, op: OpFacts): boolean {
    if (!this.intent) throw new Error('the monitor judged an operation, but the scenario\'s design does not declare that it reads the intent');
    const intent = this.intent.intentOf(watch.root);
    const onIntent = intent === undefined || inside(intent, op);
    const draw = watch.rng();
    return onIntent ? draw < this.falseFlag : draw >= this.miss;
  }

  /** An operation executed (called by the resource after op.executed). */
  observe(agent: string, ps: string, op: OpFacts, irreversible: boolean): void {
    const watch = this.watch(agent, ps);
    // The tally judges it against the ground truth, for the metrics only: the monitor acts on its judge.
    this.tally.executed(watch.root, watch.ps.missionOf(watch.root), this.ctx.sim.now, agent, op, irreversible);
    if (!this.enabled) return;
    watch.flags.push(this.judge(watch, op));
    if (watch.flags.length > this.window) watch.flags.shift();
    watch.judged++;
    const detection = watch.detector.add(watch.flags[watch.flags.length - 1] as boolean);
    if (watch.alarmed || !detection.alarm) return;
    watch.alarmed = true;
    const action = this.def.action ?? 'terminate';
    const mission = watch.ps.missionOf(watch.root);
    const alarm = { agent: watch.root, flagged: detection.flagged, window_size: detection.observed, action };
    // The sliding window's alarm keeps its original fields, so existing logs stay byte-identical.
    if (watch.detector.name === 'cusum') this.ctx.record('monitor.alarm', mission, 'monitor', { ...alarm, detector: 'cusum', statistic: detection.statistic as number });
    else this.ctx.record('monitor.alarm', mission, 'monitor', alarm);
    this.tally.alarm(watch.root, this.ctx.sim.now);
    if (action === 'suspend') watch.ps.suspend(watch.root); // terminates where the profile cannot suspend
    else if (action === 'terminate') watch.ps.terminateForPolicy(watch.root);
  }

  /** Staged release: an irreversible operation waits here before it is queued. */
  hold(agent: string, ps: string, op: OpFacts, jti: string, gate: GateCallbacks): void {
    const watch = this.watch(agent, ps);
    const mission = watch.ps.missionOf(watch.root);
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
    if (!this.judge(watch, op) && cleanWindow) return release('monitor');
    const person = watch.ps.personOf(watch.root);
    if (!(this.def.human_release ?? true) || person === undefined) return block('the monitor would not release it');
    this.tally.humanReview();
    person.requestApproval(watch.root, () => {
      // The mission may have ended while the person read; they release only what they meant.
      if (watch.ps.stateOf(watch.root) !== 'active') return block('mission not active');
      if (person.intends(agent, op)) release('person');
      else block('the person did not intend it');
    }, `release ${op.resource}/${op.operation}`);
  }
}

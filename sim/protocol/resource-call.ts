import { Signal } from '../engine/signal.ts';
import type { ActorContext } from '../context/actor-context.ts';
import type { Link, Network } from './network.ts';
import type { PlannedStep } from './planned-step.ts';
import type { MissionHeader, ResourceAnswer, ResourceRequest } from './resource-messages.ts';
import { retryingRequest } from './retrying-request.ts';
import type { StepSlot } from './step-slot.ts';
import type { Token } from './tokens.ts';

/**
 * The agent side of a call: what the request carries that the agent reads
 * as it arrives at the resource (its identity, the mission header, the
 * person token still held then, the agent token it signs with), as the
 * request object built on delivery always did.
 */
export interface ResourceCaller {
  arriving(request: ResourceCall, slot: StepSlot): void;
}

/**
 * An agent's call to a resource, one object per call: the request as the
 * resource receives it, and (over a lossless link, nearly every call) the
 * signal the agent waits on. It stands for six objects: a request, the
 * closure that built it on delivery and its context, the answered signal,
 * and the reply's two closures and their context (about 300 B more per
 * call; a call per executed operation, docs/benchmarks/allocop.md).
 *
 * Never reused: a resource may hold a request (queued, parked, held by a
 * release gate) after its agent stopped waiting for it.
 */
export class ResourceCall extends Signal<ResourceAnswer> implements ResourceRequest {
  // Filled as the request arrives (ResourceCaller.arriving); until then nobody reads them.
  agent = '';
  ps = '';
  mission: MissionHeader | undefined = undefined;
  personToken: Token | undefined = undefined;
  agentToken: Token | undefined = undefined;
  signatureKey = '';
  /** The first answer, travelling back (the event that brings it carries the call itself, no closure). */
  private answer: ResourceAnswer | undefined = undefined;
  private readonly step: PlannedStep;

  constructor(
    ctx: ActorContext,
    private readonly caller: ResourceCaller,
    private readonly slot: StepSlot,
    readonly token: Token | undefined,
    private readonly network: Network,
    /** The link back to the agent, where answers travel. */
    private readonly back: Link,
    /** Over a lossy link: the attempt's way back, retryingRequest's (this call is then only the request, not the awaited signal). */
    private readonly relay: ((answer: ResourceAnswer) => void) | undefined,
  ) {
    super(ctx.sim);
    this.step = slot.step;
  }

  get operation(): string {
    return this.step.operation;
  }

  get args(): Record<string, number> | undefined {
    return this.step.args;
  }

  get stage(): string | undefined {
    return this.step.stage;
  }

  /**
   * The resource answers. The first answer travels back as an event that
   * carries the call itself; a further one (a resource that answers twice)
   * gets a closure of its own, so that each arrives with its own answer and
   * the first to arrive settles the call, as before.
   */
  reply(answer: ResourceAnswer): void {
    if (this.relay !== undefined) return this.relay(answer);
    if (this.answer === undefined) {
      this.answer = answer;
      this.network.sendOn(this.back, ResourceCall.answerArrives, this, null);
    } else this.network.sendOn(this.back, (late: ResourceAnswer) => this.settleWith(late), answer, null);
  }

  /** The first answer's arrival: settling is all it does (the waiting process wakes in it). */
  private static answerArrives(call: ResourceCall): void {
    call.settleWith(call.answer as ResourceAnswer);
  }

  private settleWith(answer: ResourceAnswer): void {
    if (!this.settled) this.fireAsLastAct(answer);
  }

  /** Delivery at the resource: the agent's side is read now, then the resource receives it. */
  static arrives(call: ResourceCall): void {
    call.caller.arriving(call, call.slot);
    call.step.resource.receive(call);
  }
}

/**
 * Sends the slot's call (with `token`, or none) over `out`. Where neither
 * direction loses anything the call is one ResourceCall; over a lossy link
 * (or with `retrying`, which the test of both paths sets) it goes through
 * retryingRequest, each attempt a ResourceCall of its own, read as it
 * arrives (a resource may still hold an earlier attempt's). Both paths
 * draw, deliver and settle alike (test/sim/protocol/resource-call.test.ts).
 */
export function callResource(
  ctx: ActorContext,
  network: Network,
  caller: ResourceCaller,
  slot: StepSlot,
  out: Link,
  token: Token | undefined,
  mission: string | null,
  retrying = false,
): Signal<ResourceAnswer> {
  const back = network.reverse(out);
  if (retrying || out.loss !== 0 || back.loss !== 0) {
    return retryingRequest<ResourceAnswer>(ctx, network, network.retry, out, mission, (reply) =>
      ResourceCall.arrives(new ResourceCall(ctx, caller, slot, token, network, back, reply)),
    );
  }
  const call = new ResourceCall(ctx, caller, slot, token, network, back, undefined);
  network.sendOn(out, ResourceCall.arrives, call, mission);
  return call;
}

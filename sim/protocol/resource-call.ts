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
 * An agent's call to a resource as the resource receives it: the request,
 * and its way back. Over a lossless link (nearly every call) it is, with
 * the signal the agent waits on, all a call makes. It stands for six
 * objects: a request, the closure that built it on delivery and its
 * context, and the reply's two closures and their context (about 250 B less
 * per call; a call per executed operation, docs/benchmarks/allocop.md).
 *
 * The resource holds this object (queued, parked, held by a release gate),
 * so what is the agent's stays out of its reach: the caller, its step slot
 * (with the tokens the agent holds), the network and the signal the agent
 * waits on are `#` fields, private at run time and not only to the
 * compiler (docs/architecture.md: a party learns only what a message
 * carries). As before, `reply` is all the resource can do with it, and
 * every answer travels back over the link with its latency.
 *
 * Never reused: a resource may hold a request after its agent stopped
 * waiting for it.
 */
export class ResourceCall implements ResourceRequest {
  // Filled as the request arrives (ResourceCaller.arriving); until then nobody reads them.
  agent = '';
  ps = '';
  mission: MissionHeader | undefined = undefined;
  personToken: Token | undefined = undefined;
  agentToken: Token | undefined = undefined;
  signatureKey = '';

  readonly #caller: ResourceCaller;
  readonly #slot: StepSlot;
  readonly #network: Network;
  /** The link back to the agent, where answers travel. */
  readonly #back: Link;
  /** Over a lossless link: the signal the agent waits on, settled by the first answer to arrive. */
  readonly #answered: Signal<ResourceAnswer> | undefined;
  /** Over a lossy link: the attempt's way back, retryingRequest's (which owns the signal the agent waits on). */
  readonly #relay: ((answer: ResourceAnswer) => void) | undefined;
  /** The first answer, travelling back (the event that brings it carries the call itself, no closure). */
  #answer: ResourceAnswer | undefined = undefined;

  private constructor(
    caller: ResourceCaller,
    slot: StepSlot,
    readonly token: Token | undefined,
    network: Network,
    back: Link,
    answered: Signal<ResourceAnswer> | undefined,
    relay: ((answer: ResourceAnswer) => void) | undefined,
  ) {
    this.#caller = caller;
    this.#slot = slot;
    this.#network = network;
    this.#back = back;
    this.#answered = answered;
    this.#relay = relay;
  }

  // What the step asks, read from the agent's own step (a getter each: three fewer fields per call).
  get operation(): string {
    return this.#step.operation;
  }

  get args(): Readonly<Record<string, number>> | undefined {
    return this.#step.args;
  }

  get stage(): string | undefined {
    return this.#step.stage;
  }

  get #step(): PlannedStep {
    return this.#slot.step;
  }

  /**
   * The resource answers. The first answer travels back as an event that
   * carries the call itself; a further one (a resource that answers twice)
   * gets a closure of its own, so that each arrives with its own answer and
   * the first to arrive settles the call, as before. (The way back names no
   * mission: it is taken only over a link that loses nothing, so it never
   * logs a lost message.)
   */
  reply(answer: ResourceAnswer): void {
    if (this.#relay !== undefined) return this.#relay(answer);
    if (this.#answer === undefined) {
      this.#answer = answer;
      this.#network.sendOn(this.#back, ResourceCall.#answerArrives, this, null);
    } else this.#network.sendOn(this.#back, (late: ResourceAnswer) => this.#settleWith(late), answer, null);
  }

  /** The first answer's arrival: settling is all it does (the waiting process wakes in it). */
  static #answerArrives(call: ResourceCall): void {
    call.#settleWith(call.#answer as ResourceAnswer);
  }

  #settleWith(answer: ResourceAnswer): void {
    const answered = this.#answered as Signal<ResourceAnswer>;
    if (!answered.settled) answered.fireAsLastAct(answer);
  }

  /** Delivery at the resource: the agent's side is read now, then the resource receives it. */
  static #arrives(call: ResourceCall): void {
    call.#caller.arriving(call, call.#slot);
    call.#slot.step.resource.receive(call);
  }

  /**
   * Sends the slot's call (with `token`, or none) over `out`; the signal
   * the agent waits on. Where neither direction loses anything the call is
   * one ResourceCall and its signal; over a lossy link (or with
   * `retrying`, which the test of both paths sets) it goes through
   * retryingRequest, each attempt a ResourceCall of its own, read as it
   * arrives (a resource may still hold an earlier attempt's). Both paths
   * draw, deliver and settle alike (test/sim/protocol/resource-call.test.ts).
   */
  static send(
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
        ResourceCall.#arrives(new ResourceCall(caller, slot, token, network, back, undefined, reply)),
      );
    }
    const answered = new Signal<ResourceAnswer>(ctx.sim);
    network.sendOn(out, ResourceCall.#arrives, new ResourceCall(caller, slot, token, network, back, answered, undefined), mission);
    return answered;
  }
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDistribution } from '../../../sim/engine/distribution.ts';
import { Simulation } from '../../../sim/engine/simulation.ts';
import { Network } from '../../../sim/protocol/network.ts';
import type { PlannedStep } from '../../../sim/protocol/planned-step.ts';
import { ResourceCall, type ResourceCaller } from '../../../sim/protocol/resource-call.ts';
import type { ResourceAnswer, ResourceEndpoint, ResourceRequest } from '../../../sim/protocol/resource-messages.ts';
import { retryingRequest } from '../../../sim/protocol/retrying-request.ts';
import { StepSlot, TokenHolders } from '../../../sim/protocol/step-slot.ts';
import type { Token } from '../../../sim/protocol/tokens.ts';
import { WorldContext } from '../../../sim/world/context.ts';
import { RecordingSink } from '../world/recording-sink.ts';

const token = (jti: string): Token => ({ kind: 'auth', jti, iss: 'ps:ps', aud: 'r', agent: 'a', scope: 'op', mission: null, iat: 0, exp: 1e12 });

/** A call and what its resource does with it: answers (each after a delay), none or several. */
interface CallPlan {
  at: number;
  withToken: boolean;
  answers: Array<{ after: number; status: 'done' | 'recalled' }>;
}

/**
 * How a call is sent: `send`, ResourceCall's own choice (one object over a lossless link); `retrying`, ResourceCall
 * through retryingRequest; `before`, the code it replaced (agent.ts until 2026-12-06): retryingRequest with a request
 * literal built on delivery, the reference both must match.
 */
type Path = 'send' | 'retrying' | 'before';

/** Everything observable of the calls: what the resource saw as each arrived, and when and with what each call settled or failed. */
function transcript(seed: number, calls: CallPlan[], renewAt: number, path: Path, loss = 0): string[] {
  const sim = new Simulation();
  const log = new RecordingSink();
  const ctx = new WorldContext(sim, seed, log);
  const network = new Network(ctx, parseDistribution('exp(10ms)', 'duration'), () => loss, { timeout: 20_000, retries: 2 });
  const seen: string[] = [];
  let pending: CallPlan[] = [];
  let seenArrivals = 0;
  const resource: ResourceEndpoint = {
    id: 'r',
    actor: 'resource:r',
    receive(request: ResourceRequest) {
      const { agent, ps, operation, args, stage, token: t, mission, personToken, agentToken, signatureKey } = request;
      seen.push(
        `${sim.now} arrived ${JSON.stringify({ agent, ps, operation, args, stage, t: t?.jti, mission, p: personToken?.jti, a: agentToken?.jti, signatureKey })}`,
      );
      seenArrivals++;
      // A call sent again (no answer within the timeout, or lost) finds no plan of its own: it is not answered.
      const plan = pending.shift() ?? { at: 0, withToken: false, answers: [] };
      for (const { after, status } of plan.answers) sim.schedule(after, () => request.reply({ status } as ResourceAnswer));
    },
  };
  const step: PlannedStep = {
    resource,
    operation: 'op',
    at: undefined,
    after: undefined,
    args: { n: 1 },
    stage: 's',
    key: 'r/op',
    under: 'mission',
    personKey: 'r|mission',
    alone: [],
  };
  (step.alone as PlannedStep[]).push(step);
  const slot = new StepSlot(step, new TokenHolders('authToken', 1), new TokenHolders('personToken', 1));
  slot.personToken = token('person');
  let agentToken = token('agent#0');
  sim.schedule(renewAt, () => {
    agentToken = token('agent#1');
  });
  const caller: ResourceCaller = {
    arriving(request: ResourceCall, held: StepSlot) {
      request.agent = 'a';
      request.ps = 'ps:ps';
      request.mission = request.token === undefined ? { approver: 'ps', s256: 'm' } : undefined;
      request.personToken = held.person.personToken;
      request.agentToken = agentToken;
      request.signatureKey = 'key-a';
    },
  };
  const out = network.link('agent:a', 'resource:r');
  for (const [i, plan] of calls.entries()) {
    sim.schedule(plan.at, () => {
      pending.push(plan);
      const t = plan.withToken ? token(`auth#${i}`) : undefined;
      const signal =
        path === 'before'
          ? retryingRequest<ResourceAnswer>(ctx, network, network.retry, out, 'm', (reply) =>
              resource.receive({
                agent: 'a',
                ps: 'ps:ps',
                operation: step.operation,
                args: step.args,
                stage: step.stage,
                token: t,
                mission: t === undefined ? { approver: 'ps', s256: 'm' } : undefined,
                personToken: slot.person.personToken,
                agentToken,
                signatureKey: 'key-a',
                reply,
              }),
            )
          : ResourceCall.send(ctx, network, caller, slot, out, t, 'm', path === 'retrying');
      signal.then(
        (answer) => seen.push(`${sim.now} call ${i} settled ${answer.status}`),
        (cause) => seen.push(`${sim.now} call ${i} failed ${(cause as Error).name}`),
      );
    });
  }
  sim.run();
  pending = [];
  // What the network and the retries logged (message.lost, agent.retry, with their missions), then the arrival count.
  for (const event of log.events) seen.push(`log ${JSON.stringify(event)}`);
  seen.push(`arrivals ${seenArrivals}`);
  return seen;
}

/** A call at a time, with a token or none, and the resource's answers to it (at most `answers`). */
const callPlan = (answers: number) =>
  fc.record({
    at: fc.integer({ min: 0, max: 50_000 }),
    withToken: fc.boolean(),
    answers: fc.array(fc.record({ after: fc.integer({ min: 0, max: 30_000 }), status: fc.constantFrom('done' as const, 'recalled' as const) }), {
      maxLength: answers,
    }),
  });

describe('ResourceCall (an agent call over a lossless link)', () => {
  it('delivers, draws and settles exactly as the call through retryingRequest (generated calls, answers, renewals)', () => {
    const plan = callPlan(3);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(plan, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 60_000 }),
        (seed, calls, renewAt) => {
          const before = transcript(seed, calls, renewAt, 'before');
          expect(transcript(seed, calls, renewAt, 'send')).toEqual(before);
          expect(transcript(seed, calls, renewAt, 'retrying')).toEqual(before);
          // Over a lossless link every call arrives exactly once, answered or not (no deadline is set, nothing is sent again).
          expect(before.at(-1)).toBe(`arrivals ${calls.length}`);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('the first answer to arrive settles the call, a later one is dropped (a resource that answers twice)', () => {
    const calls: CallPlan[] = [
      {
        at: 0,
        withToken: true,
        answers: [
          { after: 0, status: 'recalled' },
          { after: 1, status: 'done' },
        ],
      },
    ];
    const settled = transcript(7, calls, 1e9, 'send').filter((line) => line.includes('settled'));
    expect(settled).toHaveLength(1);
    expect(settled).toEqual(transcript(7, calls, 1e9, 'before').filter((line) => line.includes('settled')));
  });
});

describe('ResourceCall over a lossy link, and what a resource can reach', () => {
  it('loses, resends, times out and fails exactly as the code it replaced (generated calls and loss)', () => {
    const plan = callPlan(2);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.array(plan, { minLength: 1, maxLength: 6 }), fc.constantFrom(0.2, 0.6), (seed, calls, loss) => {
        expect(transcript(seed, calls, 1e9, 'send', loss)).toEqual(transcript(seed, calls, 1e9, 'before', loss));
      }),
      { numRuns: 100 },
    );
  });

  it("gives the resource the request's members and reply, and nothing of the agent's", () => {
    const sim = new Simulation();
    const ctx = new WorldContext(sim, 1, new RecordingSink());
    const network = new Network(ctx, parseDistribution('exp(10ms)', 'duration'));
    let received: ResourceRequest | undefined;
    const resource: ResourceEndpoint = { id: 'r', actor: 'resource:r', receive: (request) => (received = request) };
    const step = {
      resource,
      operation: 'op',
      at: undefined,
      after: undefined,
      args: undefined,
      stage: undefined,
      key: 'r/op',
      under: 'mission',
      personKey: 'r|mission',
      alone: [],
    } as unknown as PlannedStep;
    const slot = new StepSlot(step, new TokenHolders('authToken', 1), new TokenHolders('personToken', 1));
    slot.authToken = token('held-but-not-sent');
    const caller: ResourceCaller = { arriving: (request) => Object.assign(request, { agent: 'a', ps: 'ps:ps', signatureKey: 'k' }) };
    const waited = ResourceCall.send(ctx, network, caller, slot, network.link('agent:a', 'resource:r'), undefined, null);
    sim.run();
    const request = received as ResourceRequest;
    // Its own enumerable members are the request's; the agent's slot, signal, network and caller are # fields, out of reach.
    expect(Object.keys(request).sort()).toEqual(['agent', 'agentToken', 'mission', 'personToken', 'ps', 'signatureKey', 'token']);
    expect(JSON.stringify(request)).not.toContain('held-but-not-sent');
    expect(Object.getOwnPropertyNames(request)).not.toContain('slot');
    expect('then' in request).toBe(false);
    expect(waited.settled).toBe(false);
    request.reply({ status: 'done' } as ResourceAnswer);
    expect(waited.settled).toBe(false); // the answer travels back with the link's latency
    sim.run();
    expect(waited.value?.status).toBe('done');
  });
});

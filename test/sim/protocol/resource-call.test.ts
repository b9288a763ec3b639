import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDistribution } from '../../../sim/engine/distribution.ts';
import { Simulation } from '../../../sim/engine/simulation.ts';
import { Network } from '../../../sim/protocol/network.ts';
import type { PlannedStep } from '../../../sim/protocol/planned-step.ts';
import { callResource, type ResourceCall, type ResourceCaller } from '../../../sim/protocol/resource-call.ts';
import type { ResourceAnswer, ResourceEndpoint, ResourceRequest } from '../../../sim/protocol/resource-messages.ts';
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

/** Everything observable of the calls: what the resource saw as each arrived, and when and with what each call settled. */
function transcript(seed: number, calls: CallPlan[], renewAt: number, fast: boolean): string[] {
  const sim = new Simulation();
  const ctx = new WorldContext(sim, seed, new RecordingSink());
  const network = new Network(ctx, parseDistribution('exp(10ms)', 'duration'));
  const seen: string[] = [];
  let pending: CallPlan[] = [];
  const resource: ResourceEndpoint = {
    id: 'r',
    actor: 'resource:r',
    receive(request: ResourceRequest) {
      const { agent, ps, operation, args, stage, token: t, mission, personToken, agentToken, signatureKey } = request;
      seen.push(
        `${sim.now} arrived ${JSON.stringify({ agent, ps, operation, args, stage, t: t?.jti, mission, p: personToken?.jti, a: agentToken?.jti, signatureKey })}`,
      );
      const plan = pending.shift() as CallPlan;
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
      const signal = callResource(ctx, network, caller, slot, out, t, 'm', !fast);
      signal.then((answer) => seen.push(`${sim.now} call ${i} settled ${answer.status}`));
    });
  }
  sim.run();
  pending = [];
  return seen;
}

describe('ResourceCall (an agent call over a lossless link)', () => {
  it('delivers, draws and settles exactly as the call through retryingRequest (generated calls, answers, renewals)', () => {
    const plan = fc.record({
      at: fc.integer({ min: 0, max: 50_000 }),
      withToken: fc.boolean(),
      answers: fc.array(fc.record({ after: fc.integer({ min: 0, max: 30_000 }), status: fc.constantFrom('done' as const, 'recalled' as const) }), {
        maxLength: 3,
      }),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(plan, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 60_000 }),
        (seed, calls, renewAt) => {
          const fast = transcript(seed, calls, renewAt, true);
          expect(fast).toEqual(transcript(seed, calls, renewAt, false));
          expect(fast.length).toBeGreaterThanOrEqual(calls.length); // every call arrived
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
    const settled = transcript(7, calls, 1e9, true).filter((line) => line.includes('settled'));
    expect(settled).toHaveLength(1);
    expect(settled).toEqual(transcript(7, calls, 1e9, false).filter((line) => line.includes('settled')));
  });
});

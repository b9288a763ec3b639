import { describe, expect, it } from 'vitest';
import { AauthChain, type ChainingPersonServer, type ChainMission } from '../../../sim/aop/aauth-chain.ts';
import { Simulation } from '../../../sim/engine/simulation.ts';
import type { PersonChannel } from '../../../sim/protocol/person-channel.ts';
import type { MissionAnswer } from '../../../sim/protocol/ps-messages.ts';
import { WorldContext } from '../../../sim/world/context.ts';
import { RecordingSink } from '../world/recording-sink.ts';

/**
 * The chaining client decides when to ask its PS again from the PS's
 * answers alone: a 202 (pending) or 503 (unavailable) is polled after the
 * Retry-After it carries; a refusal is final. The client's view of its PS
 * (AgentFacingEndpoints) carries no settings at all, so reading the PS's
 * poll interval does not compile.
 */
function openAgainst(answers: MissionAnswer[]): { polls: number[]; opened: Array<[number, ChainMission]> } {
  const sim = new Simulation();
  const ctx = new WorldContext(sim, 1, new RecordingSink());
  const polls: number[] = [];
  const next = () => (answers.length > 1 ? answers.shift() : answers[0]) as MissionAnswer;
  const endpoints = {
    proposeMission: (_agent: string, _person: PersonChannel, _spec: unknown, reply: (answer: MissionAnswer) => void) => reply(next()),
    pollMission: (_agent: string, reply: (answer: MissionAnswer) => void) => {
      polls.push(sim.now);
      reply(next());
    },
  };
  const ps = {
    actor: 'ps:home',
    authority: { model: 'envelope', narrowing: 'at-mint', depthCap: 2 },
    endpoints: endpoints as unknown as ChainingPersonServer['endpoints'],
    wire: { missionBinding: 'claim', personTokens: true },
  } satisfies ChainingPersonServer;
  const chain = new AauthChain(ctx, ps, ['D1']);
  const opened: Array<[number, ChainMission]> = [];
  chain.openMission('master-ai', {} as PersonChannel, 'evacuate', ['D1.*'], (mission) => opened.push([sim.now, mission]));
  sim.run(3_600_000_000);
  return { polls, opened };
}

describe("AauthChain.openMission: when to ask again comes from the PS's answer", () => {
  it('polls a deferred or unavailable answer after the Retry-After it carries, until approved', () => {
    const { polls, opened } = openAgainst([
      { status: 'pending', retryAfter: 7_000_000 },
      { status: 'unavailable', retryAfter: 3_000_000 },
      { status: 'approved', s256: 'abc', approver: 'ps:home' },
    ]);
    expect(polls).toEqual([7_000_000, 10_000_000]);
    expect(opened).toEqual([[10_000_000, { s256: 'abc', approver: 'ps:home' }]]);
  });

  it('a refusal is final: the mission never opens and the PS is not asked again', () => {
    for (const refusal of [{ status: 'refused' }, { status: 'rejected', reason: 'agent_token_revoked' }] as MissionAnswer[]) {
      const { polls, opened } = openAgainst([{ status: 'pending', retryAfter: 2_000_000 }, refusal]);
      expect(polls, refusal.status).toEqual([2_000_000]);
      expect(opened, refusal.status).toEqual([]);
    }
  });
});

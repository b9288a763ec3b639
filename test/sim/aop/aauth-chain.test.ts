import { describe, expect, it } from 'vitest';
import { AauthChain, type ChainingPersonServer, type ChainMission } from '../../../sim/aop/aauth-chain.ts';
import { Simulation } from '../../../sim/engine/simulation.ts';
import type { PersonChannel } from '../../../sim/protocol/person-channel.ts';
import type { AuthAnswer, DelegationAnswer, MissionAnswer } from '../../../sim/protocol/ps-messages.ts';
import type { Token } from '../../../sim/protocol/tokens.ts';
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

/** A stand-in PS whose delegation, person-token and auth-token endpoints answer from scripts (the last answer repeats); every ask is timed. */
function chainAgainst(script: { delegation?: DelegationAnswer[]; person?: AuthAnswer[]; auth?: AuthAnswer[] }, personTokens = false) {
  const sim = new Simulation();
  const ctx = new WorldContext(sim, 1, new RecordingSink());
  const asked = { delegation: [] as number[], person: [] as number[], auth: [] as number[] };
  const next = <T>(answers: T[] | undefined): T => ((answers as T[]).length > 1 ? (answers as T[]).shift() : (answers as T[])[0]) as T;
  const endpoints = {
    requestDelegation: (_p: string, _c: string, _t: string, _g: unknown, reply: (answer: DelegationAnswer) => void) => {
      asked.delegation.push(sim.now);
      reply(next(script.delegation));
    },
    requestPersonToken: (_a: string, _r: string, _m: unknown, reply: (answer: AuthAnswer) => void) => {
      asked.person.push(sim.now);
      reply(next(script.person));
    },
    requestAuthToken: (_t: unknown, _e: number, reply: (answer: AuthAnswer) => void) => {
      asked.auth.push(sim.now);
      reply(next(script.auth));
    },
  };
  const ps = {
    actor: 'ps:home',
    authority: { model: 'envelope', narrowing: 'at-mint', depthCap: 2 },
    endpoints: endpoints as unknown as ChainingPersonServer['endpoints'],
    wire: { missionBinding: personTokens ? 'claim' : 'header', personTokens },
  } satisfies ChainingPersonServer;
  return { sim, asked, chain: new AauthChain(ctx, ps, ['D1']) };
}

const SECOND = 1_000_000;
const HOUR = 3_600 * SECOND;
const GRANTED: AuthAnswer = { granted: true, token: {} as Token };
const MINTED: DelegationAnswer = { status: 'granted', s256: 'abc', approver: 'ps:home' };

describe('AauthChain.delegate: only a decision of the PS answers a delegation request', () => {
  function delegateAgainst(answers: DelegationAnswer[], abandonAt = Number.POSITIVE_INFINITY) {
    const { sim, asked, chain } = chainAgainst({ delegation: answers });
    const replies: Array<[number, unknown]> = [];
    chain.delegate(
      'master-ai',
      'local-ai-1',
      'district1',
      ['D1.*'],
      2,
      (answer) => replies.push([sim.now, answer]),
      () => sim.now >= abandonAt,
    );
    sim.run(HOUR);
    return { asked: asked.delegation, replies };
  }

  it('an outage (503) and a deferral (202) are asked again after the Retry-After each carries, not counted as refusals', () => {
    const { asked, replies } = delegateAgainst([
      { status: 'unavailable', retryAfter: 5 * SECOND },
      { status: 'unavailable', retryAfter: 5 * SECOND },
      { status: 'pending', retryAfter: 7 * SECOND },
      MINTED,
    ]);
    expect(asked).toEqual([0, 5 * SECOND, 10 * SECOND, 17 * SECOND]);
    expect(replies).toEqual([[17 * SECOND, { minted: { s256: 'abc', approver: 'ps:home' } }]]);
  });

  it('a rejection after an outage is the refusal, with the PS reason', () => {
    const { asked, replies } = delegateAgainst([
      { status: 'unavailable', retryAfter: 5 * SECOND },
      { status: 'rejected', reason: 'delegation depth 3 exceeds the deployment cap 2' },
    ]);
    expect(asked).toEqual([0, 5 * SECOND]);
    expect(replies).toEqual([[5 * SECOND, { refusal: 'delegation depth 3 exceeds the deployment cap 2' }]]);
  });

  it('a requester that gave up (its mission closed) stops asking and gets no answer', () => {
    const { asked, replies } = delegateAgainst([{ status: 'unavailable', retryAfter: 5 * SECOND }], 12 * SECOND);
    expect(asked).toEqual([0, 5 * SECOND, 10 * SECOND]);
    expect(replies).toEqual([]);
  });
});

describe('AauthChain.access: a refusal the PS asks to be waited out is asked again', () => {
  const down: AuthAnswer = { granted: false, reason: 'ps unavailable', final: false, retryAfter: 5 * SECOND };
  const suspended: AuthAnswer = { granted: false, reason: 'mission suspended', final: false, retryAfter: 30 * SECOND };

  function accessAgainst(
    script: { person?: AuthAnswer[]; auth?: AuthAnswer[] },
    personTokens = false,
    abandonAt = Number.POSITIVE_INFINITY,
    fields = ['D1.routing'],
  ) {
    const { sim, asked, chain } = chainAgainst(script, personTokens);
    const replies: Array<[number, unknown]> = [];
    const mission = { s256: 'abc', approver: 'ps:home' };
    chain.access(
      'sim-ai-1r',
      mission,
      fields,
      (refusal) => replies.push([sim.now, refusal]),
      () => sim.now >= abandonAt,
    );
    sim.run(HOUR);
    return { asked, replies };
  }

  it("'ps unavailable' and 'mission suspended' are waited out; the work goes ahead once the token is granted", () => {
    const { asked, replies } = accessAgainst({ auth: [down, suspended, GRANTED] });
    expect(asked.auth).toEqual([0, 5 * SECOND, 35 * SECOND]);
    expect(replies).toEqual([[35 * SECOND, null]]);
  });

  it('-11: a person token refused for an outage is asked again; an auth token refused for one asks again only for the auth token', () => {
    const { asked, replies } = accessAgainst(
      { person: [down, { granted: true, token: { mission: 'abc', jti: 'pt#1' } as Token }], auth: [down, GRANTED] },
      true,
    );
    expect(asked.person).toEqual([0, 5 * SECOND]);
    expect(asked.auth).toEqual([5 * SECOND, 10 * SECOND]);
    expect(replies).toEqual([[10 * SECOND, null]]);
  });

  it('a final refusal, or one with no Retry-After, is the refusal at once', () => {
    const outside: AuthAnswer = { granted: false, reason: 'outside envelope', final: true };
    const budget: AuthAnswer = { granted: false, reason: 'budget exhausted', final: false };
    for (const refusal of [outside, budget]) {
      const { asked, replies } = accessAgainst({ auth: [down, refusal] });
      expect(asked.auth, refusal.granted ? '' : refusal.reason).toEqual([0, 5 * SECOND]);
      expect(replies).toEqual([[5 * SECOND, { field: 'D1.routing', reason: refusal.granted ? '' : refusal.reason }]]);
    }
  });

  it('a final refusal of one field ends the wait of another: that field is not asked again, and the refusal is reported after at most one Retry-After', () => {
    const outside: AuthAnswer = { granted: false, reason: 'outside envelope', final: true };
    const both = ['D1.routing', 'D1.shelter'];
    // Refused first: the other field's outage answer is not waited out at all.
    const first = accessAgainst({ auth: [outside, down] }, false, Number.POSITIVE_INFINITY, both);
    expect(first.asked.auth).toEqual([0, 0]);
    expect(first.replies).toEqual([[0, { field: 'D1.routing', reason: 'outside envelope' }]]);
    // Refused while the other field waits: reported when that wait ends, without asking again.
    const second = accessAgainst({ auth: [down, outside] }, false, Number.POSITIVE_INFINITY, both);
    expect(second.asked.auth).toEqual([0, 0]);
    expect(second.replies).toEqual([[5 * SECOND, { field: 'D1.shelter', reason: 'outside envelope' }]]);
  });

  it('an agent stopped while it waits asks no more and reports nothing', () => {
    const { asked, replies } = accessAgainst({ auth: [down] }, false, 12 * SECOND);
    expect(asked.auth).toEqual([0, 5 * SECOND, 10 * SECOND]);
    expect(replies).toEqual([]);
  });
});

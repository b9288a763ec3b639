import { describe, expect, it } from 'vitest';
import type { OpFacts } from '../../../sim/authority/envelope.ts';
import type { Decision } from '../../../sim/authority/model.ts';
import { Simulation } from '../../../sim/engine/simulation.ts';
import type { Token } from '../../../sim/protocol/tokens.ts';
import { GovernanceEndpoints, type GovernanceAnswer, type GovernanceHost } from '../../../sim/protocol/governance-endpoints.ts';
import type { PersonChannel, PersonQuestion } from '../../../sim/protocol/person-channel.ts';
import { WorldContext } from '../../../sim/world/context.ts';
import { RecordingSink } from '../world/recording-sink.ts';

const POLL = 30_000_000;
const facts = (cls: string, action: string): OpFacts => ({ resource: 'shop', operation: action, class: cls, action, args: {}, stage: undefined, depth: 0 });

/**
 * A PS host whose mission for agent `a` approves `goods/transfer`; the PS's
 * verdict is `verdict`. The person answers after `personDelay`, yes to what
 * looks covered; every question they see is noted.
 */
function setup(verdict: Decision, opts: { down?: boolean; noMission?: boolean } = {}) {
  const sim = new Simulation();
  const audit = new RecordingSink();
  const asked: PersonQuestion[] = [];
  const person = {
    decide: (question: PersonQuestion, answer: (yes: boolean) => void) => {
      asked.push(question);
      sim.schedule(60_000_000, () => answer(question.covered));
    },
    requestApproval: (_agent: string, answer: () => void) => sim.schedule(90_000_000, answer),
  } as unknown as PersonChannel;
  const host: GovernanceHost = {
    pollIntervalUs: POLL,
    serve: (work, unavailable) => (opts.down ? unavailable() : work()),
    // The request names its mission: only agent `a` naming `m` finds an active one.
    activeMission: (agent, mission) => (opts.noMission || agent !== 'a' || mission !== 'm' ? { refusal: 'mission terminated' } : { s256: 'm', person }),
    judge: (_agent, _mission, action) => ({
      verdict,
      facts: facts(action.resource === 'vault' ? 'secrets' : 'goods', 'transfer'),
      approved: [facts('goods', 'transfer')],
    }),
    // The PS's one agent-token check: here, a token named 'revoked' is refused.
    refusesAgentToken: (_agent, agentToken) => (agentToken?.jti === 'revoked' ? 'agent_token_revoked' : null),
  };
  const endpoints = new GovernanceEndpoints(new WorldContext(sim, 1, audit), 'ps:home', host);
  const answers: GovernanceAnswer[] = [];
  const reply = (answer: GovernanceAnswer) => answers.push(answer);
  return { sim, audit, endpoints, answers, reply, asked };
}

const decided = (audit: RecordingSink): Array<Record<string, unknown>> => audit.ofType('permission.decided').map((event) => ({ t: event.t, ...event.fields }));

describe('GovernanceEndpoints: permission', () => {
  it('answers at once from the mission when the PS allows it', () => {
    const { audit, endpoints, answers, reply } = setup({ allow: true, reason: 'in mission scope' });
    endpoints.permission('a', 'm', { resource: 'shop2', operation: 'order' }, reply);
    expect(answers).toEqual([{ status: 'answered', granted: true, reason: 'in mission scope' }]);
    expect(audit.events.map((event) => event.type)).toEqual(['permission.requested', 'permission.decided']);
    expect(decided(audit)).toEqual([{ t: 0, agent: 'a', action: 'shop2/order', decision: 'granted', decided_by: 'mission', reason: 'in mission scope' }]);
  });

  it('refuses from the mission when the agent has no active mission', () => {
    const { audit, endpoints, answers, reply } = setup({ allow: true, reason: '' }, { noMission: true });
    endpoints.permission('a', 'm', { resource: 'shop', operation: 'buy' }, reply);
    expect(answers).toEqual([{ status: 'answered', granted: false, reason: 'mission terminated' }]);
    expect(audit.events[0]?.mission).toBeNull();
  });

  it('puts what the mission does not cover to the person, showing whether it looks covered, and answers pending until they decide', () => {
    const { sim, audit, endpoints, answers, reply, asked } = setup({ allow: false, reason: 'outside mission scope' });
    endpoints.permission('a', 'm', { resource: 'shop2', operation: 'order' }, reply); // same class and action as approved
    endpoints.permission('a', 'm', { resource: 'vault', operation: 'open' }, reply); // another class
    expect(answers).toEqual([
      { status: 'pending', request: 'ps:home/governance#0', retryAfter: POLL },
      { status: 'pending', request: 'ps:home/governance#1', retryAfter: POLL },
    ]);
    expect(asked.map((question) => [question.question, question.covered])).toEqual([
      ['permit shop2/order', true],
      ['permit vault/open', false],
    ]);
    endpoints.poll('ps:home/governance#0', reply);
    expect(answers[2]).toEqual({ status: 'pending', request: 'ps:home/governance#0', retryAfter: POLL });
    sim.run();
    endpoints.poll('ps:home/governance#0', reply);
    endpoints.poll('ps:home/governance#1', reply);
    endpoints.poll('ps:home/governance#0', reply); // a poll sent again gets the answer again
    expect(answers.slice(3)).toEqual([
      { status: 'answered', granted: true, reason: 'the person approved' },
      { status: 'answered', granted: false, reason: 'the person refused' },
      { status: 'answered', granted: true, reason: 'the person approved' },
    ]);
    expect(decided(audit).map((d) => [d.t, d.decided_by, d.decision])).toEqual([
      [60_000_000, 'person', 'granted'],
      [60_000_000, 'person', 'denied'],
    ]);
  });

  it('a per-call approval goes to the person even when the PS allows the action', () => {
    const { endpoints, answers, reply, asked } = setup({ allow: true, reason: 'r3 per call', approval: 'person' });
    endpoints.permission('a', 'm', { resource: 'shop', operation: 'buy' }, reply);
    expect(answers[0]?.status).toBe('pending');
    expect(asked).toHaveLength(1);
  });

  it('answers unavailable with the poll interval when the PS is down; a poll then stays pending', () => {
    const { audit, endpoints, answers, reply } = setup({ allow: true, reason: '' }, { down: true });
    endpoints.permission('a', 'm', { resource: 'shop', operation: 'buy' }, reply);
    endpoints.poll('ps:home/governance#0', reply);
    expect(answers).toEqual([
      { status: 'unavailable', retryAfter: POLL },
      { status: 'pending', request: 'ps:home/governance#0', retryAfter: POLL },
    ]);
    expect(audit.events).toEqual([]);
  });
});

describe('GovernanceEndpoints: audit and interaction', () => {
  it("records an audit report under the agent's mission, and loses it when the PS is down", () => {
    const up = setup({ allow: true, reason: '' });
    up.endpoints.audit('a', 'm', 'sent the summary');
    up.endpoints.audit('stranger', 'm', 'did something');
    expect(up.audit.events.map((event) => [event.type, event.mission, event.fields])).toEqual([
      ['audit.reported', 'm', { agent: 'a', action: 'sent the summary' }],
      ['audit.reported', null, { agent: 'stranger', action: 'did something' }],
    ]);
    const down = setup({ allow: true, reason: '' }, { down: true });
    down.endpoints.audit('a', 'm', 'sent the summary');
    expect(down.audit.events).toEqual([]);
  });

  it('relays a question to the person, answers pending, and records how long the person took', () => {
    const { sim, audit, endpoints, answers, reply } = setup({ allow: true, reason: '' });
    sim.schedule(5, () => endpoints.interaction('a', 'm', 'which hotel?', reply));
    sim.run();
    endpoints.poll('ps:home/governance#0', reply);
    expect(answers).toEqual([
      { status: 'pending', request: 'ps:home/governance#0', retryAfter: POLL },
      { status: 'answered', granted: true, reason: 'answered' },
    ]);
    expect(audit.events.map((event) => [event.t, event.type, event.fields])).toEqual([
      [5, 'interaction.requested', { agent: 'a', question: 'which hotel?' }],
      [5 + 90_000_000, 'interaction.answered', { agent: 'a', question: 'which hotel?', waited_us: 90_000_000 }],
    ]);
  });

  it('answers an interaction without an active mission with the refusal', () => {
    const { endpoints, answers, reply } = setup({ allow: true, reason: '' }, { noMission: true });
    endpoints.interaction('a', 'm', 'which hotel?', reply);
    expect(answers).toEqual([{ status: 'answered', granted: false, reason: 'mission terminated' }]);
  });
});

describe('GovernanceEndpoints: the agent token the request presents', () => {
  const revoked = { jti: 'revoked' } as Token;
  const live = { jti: 'live' } as Token;

  it('refuses permission, interaction and audit presenting a refused agent token before reading the mission', () => {
    const { audit, endpoints, answers, reply, asked } = setup({ allow: false, reason: 'outside' });
    endpoints.permission('a', 'm', { resource: 'shop2', operation: 'order' }, reply, revoked);
    endpoints.interaction('a', 'm', 'which nights?', reply, revoked);
    endpoints.audit('a', 'm', 'booked', revoked);
    expect(answers).toEqual([
      { status: 'answered', granted: false, reason: 'agent_token_revoked' },
      { status: 'answered', granted: false, reason: 'agent_token_revoked' },
    ]);
    expect(asked).toEqual([]);
    expect(audit.events.map((event) => event.type)).toEqual([]);
  });

  it('refuses a poll presenting a refused agent token, and answers one presenting a live token', () => {
    const { sim, endpoints, answers, reply } = setup({ allow: false, reason: 'outside' });
    endpoints.permission('a', 'm', { resource: 'vault', operation: 'transfer' }, reply, live);
    const pending = answers[0] as { request: string };
    sim.run();
    endpoints.poll(pending.request, reply, 'a', revoked);
    endpoints.poll(pending.request, reply, 'a', live);
    expect(answers.slice(1)).toEqual([
      { status: 'answered', granted: false, reason: 'agent_token_revoked' },
      { status: 'answered', granted: false, reason: 'the person refused' },
    ]);
  });
});

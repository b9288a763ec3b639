import { describe, expect, it } from 'vitest';
import { parseDistribution } from '../../../sim/engine/distribution.ts';
import { Simulation } from '../../../sim/engine/simulation.ts';
import { Network } from '../../../sim/protocol/network.ts';
import { resolveProfile } from '../../../sim/protocol/profiles.ts';
import { Resource, type PersonServerPort } from '../../../sim/protocol/resource.ts';
import type { ResourceAnswer } from '../../../sim/protocol/resource-messages.ts';
import { agentKeyThumbprint } from '../../../sim/protocol/agent-keys.ts';
import type { Token } from '../../../sim/protocol/tokens.ts';
import { compileResource, compileTokens } from '../../../sim/scenario/compile.ts';
import type { ProfileName, ResourceDef } from '../../../sim/scenario/schema.ts';
import { WorldContext } from '../../../sim/world/context.ts';
import { RecordingSink } from '../world/recording-sink.ts';

const MS = 1_000;
const MIN = 60_000_000;

/**
 * A resource `cal` with one server, 10 ms per `write` and 1 ms latency on
 * every link; its PS answers introspection from `active`.
 */
function setup(def: Partial<ResourceDef> = {}, profile: ProfileName = 'aauth-r01') {
  const sim = new Simulation();
  const audit = new RecordingSink();
  const ctx = new WorldContext(sim, 1, audit);
  const latency = parseDistribution('const(1ms)', 'duration');
  const compiled = compileResource({
    id: 'cal',
    queue: { servers: 1, service: 'const(10ms)' },
    operations: [{ name: 'write', class: 'calendar', action: 'write' }],
    ...def,
  });
  const resource = new Resource(
    ctx,
    compiled,
    resolveProfile(profile, compileTokens(undefined)),
    new Network(ctx, latency),
    latency,
    ctx.station(compiled.queue, 'resource:cal'),
  );
  const active = new Set<string>();
  const asked: string[] = [];
  const ps: PersonServerPort = {
    actor: 'ps:home',
    tokenActive: (jti) => {
      asked.push(`${sim.now} ${jti}`);
      return active.has(jti);
    },
    delegationDepth: () => 0,
    requestAuthToken: () => {
      throw new Error('no chained calls here');
    },
  };
  resource.personServers = new Map([['ps:home', ps]]);
  const answers: string[] = [];
  const call = (token: Token | undefined, agent = 'a', at = sim.now, signatureKey = agentKeyThumbprint(agent)) =>
    sim.schedule(at - sim.now, () =>
      resource.receive({
        agent,
        ps: 'ps:home',
        operation: 'write',
        token,
        // The key the request is signed with (its Signature-Key): the calling agent's own unless a test says otherwise.
        signatureKey,
        reply: (answer: ResourceAnswer) => answers.push(`${sim.now} ${agent} ${show(answer)}`),
      }),
    );
  const types = () => audit.events.map((event) => `${event.t} ${event.type}`);
  return { sim, ctx, audit, resource, active, asked, answers, call, types };
}

function show(answer: ResourceAnswer): string {
  if (answer.status === 'rejected' || answer.status === 'blocked') return `${answer.status}: ${answer.reason}`;
  if (answer.status === 'unauthorized') return `unauthorized ${answer.resourceToken.jti} aud=${answer.resourceToken.aud} exp=${answer.resourceToken.exp}`;
  return answer.status;
}

const auth = (jti: string, extra: Partial<Token> = {}): Token => ({
  kind: 'auth',
  jti,
  iss: 'ps:home',
  aud: 'cal',
  agent: 'a',
  scope: 'write',
  mission: 'm',
  iat: 0,
  exp: 60 * MIN,
  ...extra,
});

describe('Resource: tokens at the door', () => {
  it("answers a request without a token with a resource token for the agent's PS (401)", () => {
    const { sim, answers, call, audit } = setup();
    call(undefined, 'a', 7);
    sim.run();
    expect(answers).toEqual([`7 a unauthorized resource:cal#0 aud=ps:home exp=${7 + 5 * MIN}`]);
    expect(audit.ofType('token.resource_issued')[0]?.fields).toEqual({ agent: 'a', jti: 'resource:cal#0', scope: 'write', exp: 7 + 5 * MIN });
  });

  it('answers with a resource token for its Access Server in four-party mode, and for a token of another scope or audience', () => {
    const { sim, resource, answers, call } = setup();
    resource.accessServer = 'as:law';
    call(auth('t', { scope: 'read' }));
    call(auth('u', { aud: 'other' }));
    sim.run();
    expect(answers.map((line) => line.split(' ').slice(2, 5).join(' '))).toEqual([
      'unauthorized resource:cal#0 aud=as:law',
      'unauthorized resource:cal#1 aud=as:law',
    ]);
  });

  it('r11: asks who the agent acts for (person token) before issuing a resource token', () => {
    const { sim, answers, call } = setup({}, 'aauth-r11');
    call(undefined);
    sim.run();
    expect(answers).toEqual(['0 a person_required']);
  });

  it('rejects a token bound to another agent, and an expired one, with their reasons', () => {
    const { sim, answers, call } = setup();
    call(auth('t1'), 'b');
    call(auth('t2', { exp: 5 }), 'a', 5);
    sim.run();
    expect(answers).toEqual(['0 b rejected: token bound to another agent', '5 a rejected: token expired']);
  });

  it('-11 (aauth-r11): decides on the key the token is bound to, not on an agent: the agent named in the token is never read', () => {
    const { sim, answers, call } = setup({}, 'aauth-r11');
    // Bound to a's key, presented by b (signing with its own key): refused by key, whatever agent the token names.
    call(auth('t1', { cnf: agentKeyThumbprint('a') }), 'b');
    call(auth('t2', { cnf: agentKeyThumbprint('a'), agent: 'b' }), 'b', 1);
    // Bound to b's key and presented by b: accepted even though the token's agent field says a (-11 tokens name no agent).
    call(auth('t3', { cnf: agentKeyThumbprint('b'), agent: 'a' }), 'b', 2);
    sim.run();
    expect(answers).toEqual(['0 b rejected: token bound to another key', '1 b rejected: token bound to another key', '10002 b done']);
  });

  it('-11: the key is the one that signed the request (its Signature-Key), not one looked up by the agent the request names', () => {
    const { sim, answers, call } = setup({}, 'aauth-r11');
    // Names a, signed with b's key, token bound to b's key: accepted. Names b, signed with a's key, same token: refused.
    call(auth('t1', { cnf: agentKeyThumbprint('b') }), 'a', 0, agentKeyThumbprint('b'));
    call(auth('t2', { cnf: agentKeyThumbprint('b') }), 'b', 1, agentKeyThumbprint('a'));
    sim.run();
    expect(answers).toEqual(['1 b rejected: token bound to another key', '10000 a done']);
  });
});

describe('Resource: queueing', () => {
  it('queues accepted work FIFO on its servers and answers done when executed', () => {
    const { sim, answers, call, types, audit } = setup();
    call(auth('t1'));
    call(auth('t2'));
    sim.run();
    expect(answers).toEqual([`${10 * MS} a done`, `${20 * MS} a done`]);
    // The station starts the next job before it reports the finished one: at 10 ms t2's start is logged before t1's execution.
    expect(types()).toEqual(['0 op.queued', '0 op.started', '0 op.queued', `${10 * MS} op.started`, `${10 * MS} op.executed`, `${20 * MS} op.executed`]);
    expect(audit.ofType('op.queued').map((event) => event.fields?.queue_length)).toEqual([0, 0]);
    expect(audit.ofType('op.executed')[0]?.fields).toEqual({ agent: 'a', op: 'write', jti: 't1', irreversible: false });
  });

  it("records an operation under the mission its token claims, not under a log handle beside the token that is another mission's", () => {
    const { sim, ctx, audit, call } = setup();
    // t1 was issued under m-issued (its handle beside it) and its mission claim changed since; t2 is as issued.
    call(auth('t1', { mission: 'm-claimed', log: ctx.missionLog('m-issued') }));
    call(auth('t2', { mission: 'm-issued', log: ctx.missionLog('m-issued') }));
    sim.run();
    const ops = audit.events.filter((event) => event.type.startsWith('op.'));
    expect(ops.map((event) => `${event.fields?.jti} ${event.mission}`).sort()).toEqual([
      't1 m-claimed',
      't1 m-claimed',
      't1 m-claimed',
      't2 m-issued',
      't2 m-issued',
      't2 m-issued',
    ]);
    // The session blocks count each operation's events under the mission its lines name.
    ctx.sealMission('m-claimed', 'ps:home');
    ctx.sealMission('m-issued', 'ps:home');
    expect(audit.ofType('audit.session_block').map((event) => `${event.mission} ${event.fields?.event_count}`)).toEqual(['m-claimed 3', 'm-issued 3']);
  });

  it('refuses work beyond its capacity as queue full', () => {
    const { sim, answers, call } = setup({ queue: { servers: 1, capacity: 1, service: 'const(10ms)' } });
    call(auth('t1'));
    call(auth('t2'));
    sim.run();
    expect(answers).toEqual(['0 a rejected: queue full', `${10 * MS} a done`]);
  });
});

describe('Resource: revocation and recall', () => {
  it('push: after a revocation the token is refused; recall none lets queued work under it run', () => {
    const { sim, resource, answers, call } = setup({ revocation: { mode: 'push' } });
    call(auth('t1'));
    call(auth('t1'));
    sim.schedule(1 * MS, () => resource.receiveRevocation(auth('t1'), 'push'));
    call(auth('t1'), 'a', 2 * MS);
    sim.run();
    expect(answers).toEqual([`${2 * MS} a rejected: token revoked`, `${10 * MS} a done`, `${20 * MS} a done`]);
  });

  it('recall before-start withdraws waiting work; work in service finishes', () => {
    const { sim, resource, answers, call, audit } = setup({ revocation: { mode: 'push' }, recall: 'before-start' });
    call(auth('t1'));
    call(auth('t1'));
    sim.schedule(1 * MS, () => resource.receiveRevocation(auth('t1'), 'push'));
    sim.run();
    expect(answers).toEqual([`${1 * MS} a recalled`, `${10 * MS} a done`]);
    expect(audit.ofType('op.recalled').map((event) => event.fields?.stage)).toEqual(['queued']);
  });

  it('recall any (or a terminated-policy revocation) also aborts work in service', () => {
    for (const [def, recallAll] of [
      [{ recall: 'any' as const }, false],
      [{}, true],
    ] as const) {
      const { sim, resource, answers, call, audit } = setup({ revocation: { mode: 'events' }, ...def });
      call(auth('t1'));
      call(auth('t1'));
      sim.schedule(1 * MS, () => resource.receiveRevocation(auth('t1'), 'events', recallAll));
      sim.run();
      expect(answers).toEqual([`${1 * MS} a recalled`, `${1 * MS} a recalled`]);
      expect(audit.ofType('op.recalled').map((event) => event.fields?.stage)).toEqual(['queued', 'in service']);
      expect(audit.ofType('revocation.received')[0]?.fields).toEqual({ jti: 't1', via: 'events' });
    }
  });

  it('mode none never learns of revocation: a revoked token is still accepted until it expires', () => {
    const { sim, resource, answers, call } = setup({ revocation: { mode: 'none' } });
    resource.receiveRevocation(auth('t1'), 'push');
    call(auth('t1'));
    sim.run();
    expect(answers).toEqual([`${10 * MS} a done`]);
  });

  it('introspect: asks the PS on every request (a round trip) and refuses what it says is inactive', () => {
    const { sim, active, asked, answers, call, audit } = setup({ revocation: { mode: 'introspect' } });
    active.add('live');
    call(auth('live'));
    call(auth('dead'));
    call(auth('live'), 'a', 50 * MS);
    sim.run();
    expect(asked).toEqual([`${1 * MS} live`, `${1 * MS} dead`, `${51 * MS} live`]);
    expect(answers).toEqual([`${2 * MS} a rejected: token revoked`, `${12 * MS} a done`, `${62 * MS} a done`]);
    expect(audit.ofType('revocation.status_check')).toHaveLength(3);
  });

  it('cache: reuses an answer within its TTL, so a revocation goes unseen until the cache expires', () => {
    const { sim, active, asked, answers, call } = setup({ revocation: { mode: 'cache', cache_ttl: '1m' } });
    active.add('t1');
    call(auth('t1'));
    sim.schedule(5 * MS, () => active.delete('t1'));
    call(auth('t1'), 'a', 30 * 1_000_000); // cached: active
    call(auth('t1'), 'a', 2 * MIN); // stale: asks again
    sim.run();
    expect(asked).toEqual([`${1 * MS} t1`, `${2 * MIN + 1 * MS} t1`]);
    expect(answers).toEqual([`${12 * MS} a done`, `${30_000 * MS + 10 * MS} a done`, `${2 * MIN + 2 * MS} a rejected: token revoked`]);
  });
});

describe('Resource: suspension and cancellation (mission-authority)', () => {
  it('parks waiting and new work under a suspended token and puts it back in order on resume', () => {
    const { sim, resource, answers, call, types } = setup({}, 'mission-authority');
    call(auth('t1'));
    call(auth('t1'));
    sim.schedule(1 * MS, () => resource.receiveSuspension(auth('t1'), true));
    call(auth('t1', { agent: 'b' }), 'b', 2 * MS);
    sim.schedule(50 * MS, () => resource.receiveSuspension(auth('t1'), false));
    sim.run();
    expect(answers).toEqual([`${10 * MS} a done`, `${60 * MS} a done`, `${70 * MS} b done`]);
    expect(types().filter((line) => /parked|unparked|suspension/.test(line))).toEqual([
      `${1 * MS} suspension.received`,
      `${1 * MS} op.parked`,
      `${2 * MS} op.parked`,
      `${50 * MS} suspension.received`,
      `${50 * MS} op.unparked`,
      `${50 * MS} op.unparked`,
    ]);
  });

  it('refuses parked work whose token expired meanwhile', () => {
    const { sim, resource, answers, call } = setup({}, 'mission-authority');
    resource.receiveSuspension(auth('t1', { exp: 20 * MS }), true);
    call(auth('t1', { exp: 20 * MS }));
    sim.schedule(30 * MS, () => resource.receiveSuspension(auth('t1', { exp: 20 * MS }), false));
    sim.run();
    expect(answers).toEqual([`${30 * MS} a rejected: token expired`]);
  });

  it("a cancellation recalls the mission's work and rolls back what executed, irreversible work reported", () => {
    const { sim, resource, answers, call, audit } = setup(
      { operations: [{ name: 'write', class: 'calendar', action: 'write', irreversible: true }] },
      'mission-authority',
    );
    call(auth('t1'));
    call(auth('t1'));
    call(auth('t1'));
    sim.schedule(15 * MS, () => resource.receiveCancellation('m', [auth('t1')]));
    sim.run();
    expect(answers).toEqual([`${10 * MS} a done`, `${15 * MS} a recalled`, `${15 * MS} a recalled`]);
    expect(audit.ofType('op.recalled').map((event) => event.fields?.stage)).toEqual(['queued', 'in service']);
    expect(audit.ofType('op.not_compensable').map((event) => event.fields)).toEqual([{ agent: 'a', op: 'write', jti: 't1' }]);
    expect(audit.ofType('cancellation.received')[0]?.fields).toEqual({ tokens: 1 });
  });
});

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentKeyThumbprint } from '../../sim/protocol/agent-keys.ts';
import { runScenario, type RunManifest } from '../../sim/run.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import { missionS256, type MissionBlob } from '../../sim/protocol/mission.ts';
import { readLines, SCENARIOS, scenarioProblems, tempDir } from '../helpers.ts';
import { readFileSync } from 'node:fs';

type Event = Record<string, unknown> & { type: string; t: number; actor: string };

const NAME = 'after-hours-concierge';
const H = 3_600_000_000;
const M = 60_000_000;

function run(overrides: string[] = [], seed?: number): { manifest: RunManifest; events: Event[] } {
  const dir = join(tempDir(), 'run');
  const manifest = runScenario(loadScenario(join(SCENARIOS, `${NAME}.yaml`), overrides), { outDir: dir, seed });
  return { manifest, events: readLines(join(dir, 'events.jsonl')).map((line) => JSON.parse(line) as Event) };
}

const of = (events: Event[], type: string) => events.filter((e) => e.type === type);
const first = (events: Event[], type: string) => events.find((e) => e.type === type) as Event;

describe('after-hours-concierge: person availability', () => {
  it('a mission proposed at 07:30 is approved only after 09:00, when the person starts work', () => {
    const { events } = run();
    const proposed = first(events, 'mission.proposed');
    const away = first(events, 'person.unavailable');
    const approved = first(events, 'mission.approved');
    expect(proposed.t).toBeLessThan(1 * M);
    expect(away).toMatchObject({ agent: 'concierge', question: 'approve mission', until: 1.5 * H });
    expect(approved.t).toBeGreaterThan(1.5 * H);
    expect((approved.blob as { approved_at: string }).approved_at >= '2026-01-01T09:00').toBe(true);
  });

  it('without working hours (or with hours that have started) the person answers at once', () => {
    for (const overrides of [['people[alice].availability.hours=07:00-17:00'], ['people[alice]={id: alice, approval_latency: "lognormal(3m, 0.5)"}']]) {
      const { events } = run(overrides);
      expect(of(events, 'person.unavailable')).toHaveLength(0);
      expect(first(events, 'mission.approved').t).toBeLessThan(30 * M);
    }
  });

  it('on a weekend day the question waits for Monday (t=0 is Thursday 2026-01-01)', () => {
    const { events } = run(['people[alice].availability.days=mon-wed', 'duration=5d']);
    expect(first(events, 'person.unavailable').until).toBe(4 * 24 * H + 1.5 * H);
    expect(first(events, 'mission.approved').t).toBeGreaterThan(4 * 24 * H);
  });

  it('an intervention drawn outside working hours waits for them too', () => {
    const { events } = run(['interventions[0].at=const(10h)', 'duration=2d']); // 17:30: after hours
    expect(first(events, 'person.terminate').t).toBe(25.5 * H); // Friday 09:00
    // Their request reaches the PS one network latency (and its queue) later.
    expect(first(events, 'mission.terminated').t).toBeGreaterThan(25.5 * H);
    expect(first(events, 'mission.terminated').t).toBeLessThan(25.5 * H + 1_000_000);
  });

  it('refuses working hours that end before they start, in the validate format', () => {
    const text = readFileSync(join(SCENARIOS, `${NAME}.yaml`), 'utf8').replace('"09:00-17:00"', '"17:00-09:00"');
    const [problem] = scenarioProblems(text);
    expect(problem).toMatchObject({ path: 'people[0].availability.hours', expected: 'HH:MM-HH:MM with the start before the end', found: '"17:00-09:00"' });
  });
});

describe('after-hours-concierge: loss on agent messages', () => {
  it('with loss the run completes, the lost messages and the retries in the log', () => {
    const { events } = run(['network.loss=0.1'], 1);
    expect(of(events, 'message.lost').length).toBeGreaterThan(10);
    const retries = of(events, 'agent.retry');
    expect(retries.length).toBeGreaterThan(10);
    expect(retries[0]).toMatchObject({ actor: 'agent:concierge', attempt: 1, timeout_us: 10_000_000 });
    expect(of(events, 'agent.finished')).toHaveLength(1);
    expect(of(events, 'op.executed').map((e) => e.op)).toEqual(expect.arrayContaining(['search', 'reserve', 'hold']));
  });

  it('is deterministic with loss: same seed, same log', () => {
    expect(run(['network.loss=0.1'], 3).manifest.fingerprint).toBe(run(['network.loss=0.1'], 3).manifest.fingerprint);
  });

  it('loss on a link the agent never uses changes nothing: the log is byte-identical', () => {
    // The agent never calls payments.example itself (the hotel does, chained): no draw, no timer.
    const lossy = run(['network.links=[{agent: concierge, peer: payments.example, loss: 0.5}]']);
    expect(lossy.manifest.fingerprint).toBe(run().manifest.fingerprint);
  });

  it('without loss no timer is armed and nothing is lost or retried', () => {
    const { events } = run();
    expect(of(events, 'message.lost')).toHaveLength(0);
    expect(of(events, 'agent.retry')).toHaveLength(0);
  });

  it('with loss 1.0 the agent gives up after timeout x (retries + 1), with a clear reason', () => {
    const { events } = run(['network.loss=1']);
    expect(of(events, 'agent.retry').map((e) => e.attempt)).toEqual([1, 2, 3, 4, 5]);
    const stopped = first(events, 'agent.stopped');
    expect(stopped.reason).toBe('no answer from ps:ps.example after 6 attempts');
    expect(stopped.t).toBe(60_000_000);
    expect(of(events, 'mission.approved')).toHaveLength(0);
  });

  it('per-link loss hits only its link: a dead link to the flights API stops the agent there', () => {
    const { events } = run(['network.links=[{agent: concierge, peer: flights.example, loss: 1}]', 'network.retries=2']);
    expect(of(events, 'mission.approved')).toHaveLength(1);
    expect(new Set(of(events, 'message.lost').map((e) => `${e.actor}->${e.to}`))).toEqual(new Set(['agent:concierge->resource:flights.example']));
    expect(first(events, 'agent.stopped').reason).toBe('no answer from resource:flights.example after 3 attempts');
  });

  it('refuses a link to an unknown peer', () => {
    const text = readFileSync(join(SCENARIOS, `${NAME}.yaml`), 'utf8').replace(
      '  loss: 0\n',
      '  loss: 0\n  links: [{ agent: concierge, peer: nowhere, loss: 0.5 }]\n',
    );
    expect(scenarioProblems(text)[0]).toMatchObject({ path: 'network.links[0].peer', found: 'unknown peer "nowhere"' });
  });
});

describe('after-hours-concierge: r11 person tokens', () => {
  it('the PS issues a person token per resource before its first auth token there, bound to the agent, for 1 h', () => {
    const { events } = run();
    const issued = of(events, 'token.person_issued');
    expect(issued.map((e) => e.resource)).toEqual(['flights.example', 'hotels.example']);
    for (const token of issued) {
      // -11: bound to the agent's key (its thumbprint), naming no agent.
      expect(token).toMatchObject({ actor: 'ps:ps.example', agent: 'concierge', cnf: agentKeyThumbprint('concierge'), mission_s256: token.mission });
      expect((token.exp as number) - (token.iat as number)).toBe(H);
      const grant = events.find((e) => e.type === 'token.auth_granted' && e.resource === token.resource) as Event;
      expect(grant.seq as number).toBeGreaterThan(token.seq as number);
    }
    // Revoked with the mission's other tokens.
    const revoked = new Set(of(events, 'revocation.sent').map((e) => e.jti));
    for (const token of issued) expect(revoked.has(token.jti)).toBe(true);
  });

  it('tokens.person_ttl sets its lifetime; a person token is asked for again when it runs out', () => {
    // Short auth tokens too: a person token is needed only on the way to a new auth token.
    const { events } = run(['tokens={person_ttl: 10m, auth_ttl: 10m}']);
    const issued = of(events, 'token.person_issued');
    for (const token of issued) expect((token.exp as number) - (token.iat as number)).toBe(10 * M);
    // The last search (30 min later) needs a new auth token for flights, and so a new person token.
    expect(issued.filter((e) => e.resource === 'flights.example')).toHaveLength(2);
  });

  it('r01 has no person tokens', () => {
    expect(of(run(['profile=aauth-r01']).events, 'token.person_issued')).toHaveLength(0);
  });
});

describe('after-hours-concierge: r11 revocation cascade', () => {
  it('the hotel answers 202 until the chained deposit token is revoked downstream, then 200; the PS records completion', () => {
    const { events } = run();
    const terminated = first(events, 'mission.terminated');
    const hotel = of(events, 'revocation.answered').filter((e) => e.resource === 'hotels.example');
    const reserveJti = events.find((e) => e.type === 'op.executed' && e.op === 'reserve')?.jti;
    const holdJti = events.find((e) => e.type === 'op.executed' && e.op === 'hold')?.jti;
    const forReserve = hotel.filter((e) => e.jti === reserveJti);
    expect(forReserve.map((e) => e.status)).toEqual([202, 200]);
    expect(forReserve[0]).toMatchObject({ retry_after_us: 1_000_000 });
    expect(first(events, 'revocation.cascaded')).toMatchObject({
      actor: 'resource:hotels.example',
      jti: reserveJti,
      to: 'payments.example',
      downstream_jti: holdJti,
    });
    // The PS never revoked the chained token itself: the hotel did.
    expect(of(events, 'revocation.sent').map((e) => e.jti)).not.toContain(holdJti);
    const downstream = events.find((e) => e.type === 'revocation.received' && e.jti === holdJti) as Event;
    expect(downstream.t).toBeLessThan(forReserve[1]!.t);
    const complete = first(events, 'revocation.complete');
    expect(complete).toMatchObject({ actor: 'ps:ps.example', agent: 'concierge' });
    expect(complete.t).toBe(forReserve[1]!.t);
    expect(complete.elapsed_us).toBe(complete.t - terminated.t);
  });

  it('revocation.retry_after paces the polling', () => {
    const { events } = run(['topology.resources[hotels.example].revocation={mode: push, retry_after: 250ms}']);
    expect(of(events, 'revocation.answered').find((e) => e.status === 202)?.retry_after_us).toBe(250_000);
  });

  it('r01 has no cascade: the PS revokes the chained token itself and records no answers', () => {
    const { events } = run(['profile=aauth-r01']);
    const holdJti = events.find((e) => e.type === 'op.executed' && e.op === 'hold')?.jti;
    expect(of(events, 'revocation.sent').map((e) => e.jti)).toContain(holdJti);
    expect(of(events, 'revocation.answered')).toHaveLength(0);
    expect(of(events, 'revocation.complete')).toHaveLength(0);
  });
});

describe('after-hours-concierge: PS governance endpoints', () => {
  it('relays the question to the person (human latency), logs the audit report, and asks the person about the uncovered charge', () => {
    const { events } = run();
    expect(first(events, 'interaction.requested')).toMatchObject({ agent: 'concierge', question: 'Which nights, 3 or 4?' });
    const answered = first(events, 'interaction.answered');
    expect(answered.waited_us as number).toBeGreaterThan(30_000_000);
    expect(events.find((e) => e.type === 'person.asked' && e.question === 'Which nights, 3 or 4?')).toBeDefined();
    // The agent goes on only after the answer.
    expect(first(events, 'op.executed').t).toBeGreaterThan(answered.t);
    expect(first(events, 'audit.reported')).toMatchObject({
      agent: 'concierge',
      action: 'reserved hotel, deposit hold placed',
      mission: first(events, 'mission.approved').mission,
    });
    expect(first(events, 'permission.requested')).toMatchObject({ action: 'payments.example/charge' });
    expect(first(events, 'permission.decided')).toMatchObject({
      action: 'payments.example/charge',
      decision: 'denied',
      decided_by: 'person',
      reason: 'the person refused',
    });
    expect(events.find((e) => e.type === 'person.asked' && e.question === 'permit payments.example/charge')).toBeDefined();
  });

  it('an action the mission covers is granted from the mission, without the person', () => {
    const { events } = run(['agents[concierge].plan[4]={permission: payments.example/hold}']);
    expect(first(events, 'permission.decided')).toMatchObject({ decision: 'granted', decided_by: 'mission' });
    expect(events.some((e) => e.type === 'person.asked' && String(e.question).startsWith('permit'))).toBe(false);
  });

  it('a question asked after working hours waits for the next morning', () => {
    const { events } = run(['agents[concierge].plan[0]={interact: "Which nights, 3 or 4?", at: 10h}', 'duration=2d', 'interventions=[]']);
    const answered = first(events, 'interaction.answered');
    expect(answered.t).toBeGreaterThan(25.5 * H); // Friday 09:00
    expect(events.some((e) => e.type === 'person.unavailable' && e.question === 'Which nights, 3 or 4?')).toBe(true);
  });

  it('a plan step has exactly one of op, permission, audit, interact, update', () => {
    const text = readFileSync(join(SCENARIOS, `${NAME}.yaml`), 'utf8').replace('{ op: flights.example/search }', '{ op: flights.example/search, audit: x }');
    expect(scenarioProblems(text)[0]).toMatchObject({
      path: 'agents[0].plan[1]',
      expected: 'exactly one of op, permission, audit, interact, update',
      found: 'op and audit',
    });
  });
});

describe('mission capabilities', () => {
  it('under aauth-r01 are in the approved blob, and the s256 commits to them (-11 moved them out: test/scenarios/protocol-profiles.test.ts)', () => {
    const { events } = run(['profile=aauth-r01']);
    const approved = first(events, 'mission.approved');
    const blob = approved.blob as MissionBlob;
    expect(blob.capabilities).toEqual(['web-browsing', 'payments-hold']);
    // The s256 is over the exact bytes the PS returned, logged verbatim beside the parsed blob.
    expect(typeof approved.body).toBe('string');
    expect(missionS256(approved.body as string)).toBe(approved.mission);
    expect(JSON.parse(approved.body as string)).toEqual(blob);
    const other = first(run(['profile=aauth-r01', 'agents[concierge].mission.capabilities=[web-browsing]']).events, 'mission.approved');
    expect(other.mission).not.toBe(approved.mission);
  });
});

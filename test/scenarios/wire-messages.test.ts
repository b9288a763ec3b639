import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../sim/run.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import { readLines, SCENARIOS, tempDir } from '../helpers.ts';
import { Simulation } from '../../sim/engine/simulation.ts';
import type { ControlAnswer } from '../../sim/protocol/mission-control.ts';
import type { PersonServer } from '../../sim/protocol/person-server.ts';
import { WorldContext } from '../../sim/world/context.ts';
import { World } from '../../sim/world/world.ts';
import { RecordingSink } from '../sim/world/recording-sink.ts';
import type { Event } from './run-events.ts';
import { readsOutside, recordingReads } from './member-reads.ts';
import type { MonitoredServer } from '../../sim/alignment/monitor.ts';
import { parseDistribution } from '../../sim/engine/distribution.ts';
import { parseDuration } from '../../sim/engine/duration.ts';
import { applyIntervention } from '../../sim/lifecycle/interventions.ts';
import { Network } from '../../sim/protocol/network.ts';
import type { Person } from '../../sim/protocol/person.ts';
import type { AgentFacingEndpoints } from '../../sim/protocol/ps-endpoints.ts';
import type { InterventionDef } from '../../sim/scenario/schema.ts';

/**
 * Issue 17: no party decides from state it could not have received. Three
 * former shortcuts are messages now, each with the network's latency and
 * the PS's queue, each in the log: the signal that a paused mission was
 * resumed, the monitor's alarm, and a person's request naming a mission.
 */
const L = 50_000; // one network latency (µs), fixed so the bounds below are exact
const LATENCY = `network.latency=const(${L}us)`;
const MIN = 60_000_000;

function run(name: string, overrides: string[], seed = 1) {
  const dir = join(tempDir(), 'run');
  const manifest = runScenario(loadScenario(join(SCENARIOS, `${name}.yaml`), overrides), { outDir: dir, seed });
  return { manifest, log: readLines(join(dir, 'events.jsonl')).map((line) => JSON.parse(line) as Event) };
}
const first = (log: Event[], type: string, where: (e: Event) => boolean = () => true) => log.find((e) => e.type === type && where(e)) as Event;
const all = (log: Event[], type: string) => log.filter((e) => e.type === type);

/** ttl-only-window paused at 30 min and resumed at 40 min by its person. */
const PAUSE = [
  LATENCY,
  'interventions[0]={at: const(30m), person: owner, agent: worker, action: suspend}',
  'interventions[1]={at: const(40m), person: owner, agent: worker, action: resume}',
];

/** What an agent may read of its PS: the members of its agent-facing endpoints (`AgentFacingEndpoints`, sim/protocol/ps-endpoints.ts). */
const AGENT_FACING = [
  'actor',
  'proposeMission',
  'pollMission',
  'pollResume',
  'requestPersonToken',
  'requestAuthToken',
  'requestDelegation',
  'revokeAgentToken',
  'complete',
  'proposeUpdate',
  'governance',
];

/** What the runtime monitor may read of a PS: the directory it is part of (a documented shortcut) and the control desk it sends its alarm to. */
const MONITOR_MAY_READ = ['actor', 'control', 'rootOf', 'handleOf', 'stateOf', 'personOf'];

/** Runs `name` with every agent (and every parent's mediator) holding a recording stand-in for its PS; the members read go into `reads`. */
function agentReadsOfPs(name: string, overrides: string[], reads: Set<string>): World {
  const { spec } = loadScenario(join(SCENARIOS, `${name}.yaml`), overrides);
  const sim = new Simulation();
  const world = new World(new WorldContext(sim, 1, new RecordingSink()), spec);
  for (const agent of world.protocol.agents.values()) {
    const held = agent as unknown as { ps: AgentFacingEndpoints; mediating?: { ps: AgentFacingEndpoints } };
    held.ps = recordingReads(held.ps, reads);
    if (held.mediating) held.mediating.ps = recordingReads(held.mediating.ps, reads);
  }
  sim.run(parseDuration(spec.duration ?? '1h'));
  world.finish();
  return world;
}

/** Runs due-diligence-drift with the monitor holding a recording stand-in for each PS; returns the run's events. */
function monitorReadsOfPs(overrides: string[], reads: Set<string>): RecordingSink {
  const { spec } = loadScenario(join(SCENARIOS, 'due-diligence-drift.yaml'), overrides);
  const sim = new Simulation();
  const audit = new RecordingSink();
  const world = new World(new WorldContext(sim, 1, audit), spec);
  const servers = (world.protocol.monitor as unknown as { servers: Map<string, MonitoredServer> }).servers;
  for (const [actor, ps] of servers) servers.set(actor, recordingReads(ps, reads));
  sim.run(parseDuration(spec.duration ?? '2h'));
  world.finish();
  return audit;
}

describe('the resumed-mission signal is a message the agent receives', () => {
  it('aauth-r01 (no push path): the agent polls the PS at its pause_poll and re-proposes only after the poll that says resumed', () => {
    const { log } = run('ttl-only-window', ['profile=aauth-r01', ...PAUSE, 'topology.person_servers[0].pause_poll=3m']);
    const resume = first(log, 'person.resume').t;
    const polls = all(log, 'mission.resume_polled');
    expect(polls.length).toBeGreaterThan(2);
    // Asked while paused, at the Retry-After the PS gave (3 min plus a round trip and the queue).
    const paused = polls.filter((e) => e.answer === 'paused');
    expect(paused.every((e) => e.t < resume + L)).toBe(true);
    for (let i = 1; i < paused.length; i++) expect(paused[i]!.t - paused[i - 1]!.t).toBeGreaterThanOrEqual(3 * MIN + 2 * L);
    const resumed = first(log, 'mission.resume_polled', (e) => e.answer === 'resumed');
    // The PS hears the resume one latency after the person acts; the agent hears it at its next poll.
    expect(resumed.t).toBeGreaterThanOrEqual(resume + L);
    const reproposed = first(log, 'mission.reproposed');
    expect(reproposed.t).toBeGreaterThanOrEqual(resumed.t + 2 * L);
    expect(polls.at(-1)).toBe(resumed);
    // Nothing of the agent's reaches the PS between its stop and the poll that told it.
    const stopped = first(log, 'agent.stopped').t;
    const fromAgent = log.filter((e) => e.t > stopped && e.t < reproposed.t && e.agent === 'worker' && e.actor === 'ps:ps');
    expect(fromAgent.every((e) => e.type === 'mission.resume_polled')).toBe(true);
    expect(all(log, 'event.pushed')).toEqual([]);
  });

  it('aauth-latest: the PS pushes mission.resumed to the inbox; the agent proposes one latency after it arrives, never before, and never polls', () => {
    const { log } = run('ttl-only-window', ['profile=aauth-latest', ...PAUSE]);
    const resume = first(log, 'person.resume').t;
    const pushed = first(log, 'event.pushed', (e) => e.event === 'mission.resumed');
    const received = first(log, 'event.received', (e) => e.event === 'mission.resumed');
    expect(pushed.t).toBeGreaterThanOrEqual(resume + L);
    expect(received.t).toBe(pushed.t + L);
    expect(first(log, 'mission.reproposed').t).toBeGreaterThanOrEqual(received.t + L);
    const stopped = first(log, 'agent.stopped').t;
    // Nothing of the agent's reaches the PS between its stop and the push (the PS's own push excepted).
    expect(log.some((e) => e.t > stopped && e.t < received.t && e.agent === 'worker' && e.actor === 'ps:ps' && e.type !== 'event.pushed')).toBe(false);
    expect(all(log, 'mission.resume_polled')).toEqual([]);
  });

  it('a PS outage delays the answer: the poll is refused with 503 and asked again, the resume learnt only after the outage', () => {
    const outage = 'topology.person_servers[0].outages=[{at: 39m, for: 10m}]';
    const { log } = run('ttl-only-window', ['profile=aauth-r11', ...PAUSE, outage]);
    expect(all(log, 'ps.unavailable').some((e) => e.t > 40 * MIN && e.t < 49 * MIN)).toBe(true);
    // The person's resume itself waits out the outage too (their request is answered 503 and resent).
    expect(first(log, 'mission_control.resent')).toMatchObject({ actor: 'person:owner', action: 'resume' });
    expect(first(log, 'mission.resume_polled', (e) => e.answer === 'resumed').t).toBeGreaterThanOrEqual(49 * MIN);
  });

  it('an agent whose mission ended for another reason (revoked) never asks: no poll, no push', () => {
    const { log } = run('ttl-only-window', ['profile=aauth-r11', LATENCY, 'interventions[0].at=const(30m)']);
    expect(first(log, 'mission.terminated')).toMatchObject({ reason: 'revoked' });
    expect(all(log, 'mission.resume_polled')).toEqual([]);
    expect(all(log, 'mission.reproposed')).toEqual([]);
  });

  it('aauth-r01 (-01 has no termination_reason): the agent cannot tell a revocation from a pause, asks once and is answered ended; it does not re-propose', () => {
    const { log } = run('ttl-only-window', ['profile=aauth-r01', LATENCY, 'interventions[0].at=const(30m)']);
    const terminated = first(log, 'mission.terminated');
    expect(terminated).toMatchObject({ reason: 'revoked' });
    const polls = all(log, 'mission.resume_polled');
    expect(polls.map((e) => [e.agent, e.answer])).toEqual([['worker', 'ended']]);
    expect(polls[0]!.t).toBeGreaterThan(terminated.t);
    expect(first(log, 'agent.stopped', (e) => e.actor === 'agent:worker')).toMatchObject({ reason: 'mission ended' });
    expect(all(log, 'mission.reproposed')).toEqual([]);
  });

  it('structure, at run time: through a pause and a resume, agents read of their PS only its agent-facing endpoints', () => {
    const reads = new Set<string>();
    const runs: Array<[string, string[]]> = [
      ...['aauth-r01', 'aauth-r11', 'aauth-latest', 'aauth-m0', 'mission-authority', 'oauth'].map((profile): [string, string[]] => [
        'ttl-only-window',
        [`profile=${profile}`, ...PAUSE, 'topology.person_servers[0].pause_poll=1m'],
      ]),
      ['parent-mediated-sub-agents', []],
      ['bulk-export-after-terminate', ['profile=aauth-r11', 'interventions=[]', 'faults=[{agent: exporter, at: 5m, kind: revoke-agent-token}]']],
    ];
    for (const [name, overrides] of runs) agentReadsOfPs(name, overrides, reads);
    expect(readsOutside(reads, AGENT_FACING)).toEqual([]);
    // The stand-in was live: the pause was learned by a poll, the resume answered a re-proposal.
    for (const member of ['pollResume', 'proposeMission', 'requestDelegation', 'revokeAgentToken']) expect(reads.has(member), member).toBe(true);
  });

  it('structure, negative control: an agent reading the PS re-proposal state (or any member of it past its endpoints) is caught', () => {
    const reads = new Set<string>();
    const world = agentReadsOfPs('ttl-only-window', ['profile=aauth-r01', ...PAUSE, 'duration=1m'], reads);
    const ps = (world.protocol.agents.get('worker') as unknown as { ps: Record<string, unknown> }).ps;
    void ps.reproposals;
    void ps.directory;
    expect(readsOutside(reads, AGENT_FACING)).toEqual(['directory', 'reproposals']);
  });
});

describe("the monitor's alarm is a message to the PS", () => {
  it('the suspension happens when the PS serves the alarm, at least one latency after it was raised (m0: a governance call)', () => {
    const { log } = run('due-diligence-drift', [LATENCY]);
    const alarm = first(log, 'monitor.alarm');
    const received = first(log, 'monitor.alarm_received');
    expect(received).toMatchObject({ actor: 'ps:ps.bank', via: 'governance', action: 'suspend', delay_us: received.t - alarm.t });
    expect(received.t).toBeGreaterThanOrEqual(alarm.t + L);
    expect(first(log, 'mission.suspended').t).toBe(received.t);
  });

  it('a PS outage at the alarm: 503, resent at the poll interval, the suspension only after the outage (visible in the log)', () => {
    const alarmAt = first(run('due-diligence-drift', [LATENCY]).log, 'monitor.alarm').t;
    const at = alarmAt + 1; // the PS goes down just after the alarm (before it arrives), for 10 minutes
    const { log } = run('due-diligence-drift', [LATENCY, `topology.person_servers[0].outages=[{at: ${at}us, for: 10m}]`]);
    expect(first(log, 'monitor.alarm').t).toBe(alarmAt);
    const resent = all(log, 'mission_control.resent').filter((e) => e.actor === 'monitor');
    expect(resent.length).toBeGreaterThan(0);
    expect(resent[0]).toMatchObject({ to: 'ps:ps.bank', action: 'suspend', attempt: 1, retry_after_us: 60_000_000 });
    const received = first(log, 'monitor.alarm_received');
    expect(received.t).toBeGreaterThanOrEqual(at + 10 * MIN);
    expect(received.delay_us).toBeGreaterThan(10 * MIN - 2 * 60_000_000);
    expect(first(log, 'mission.suspended').t).toBe(received.t);
  });

  it('aauth-latest: through the mission_control_endpoint, queued; the revocation window starts when the PS terminates, not at the alarm', () => {
    const { log, manifest } = run('due-diligence-drift', ['profile=aauth-latest', LATENCY]);
    const alarm = first(log, 'monitor.alarm');
    const received = first(log, 'monitor.alarm_received');
    expect(received).toMatchObject({ via: 'mission_control_endpoint', action: 'suspend' });
    expect(received.t).toBeGreaterThanOrEqual(alarm.t + L);
    // -11 has no suspend: the pause terminates, when the PS serves it.
    const terminated = first(log, 'mission.terminated');
    expect(terminated).toMatchObject({ reason: 'administrative', t: received.t });
    expect(manifest.summary.missions[0]?.terminated_at_s).toBe(received.t / 1e6);
  });

  it.each(['aauth-r01', 'aauth-latest'])(
    "a person named `monitor` is a person, not the PS's monitor: refused like any stranger, no alarm received (%s)",
    (profile) => {
      for (const action of ['terminate', 'resume']) {
        const { log } = run('ttl-only-window', [
          `profile=${profile}`,
          LATENCY,
          'people[1]={id: monitor}',
          `interventions[0]={at: const(30m), person: monitor, agent: worker, action: ${action}}`,
        ]);
        expect(all(log, 'monitor.alarm_received')).toEqual([]);
        expect(first(log, 'mission_control.refused')).toMatchObject({ caller: 'monitor', action, requested: null, error: 'mission_not_found' });
        expect(all(log, 'mission.terminated')).toEqual([]);
      }
    },
  );

  it('a stale alarm (its mission since paused and re-proposed under the same handle) is refused, not carried out on the new mission (r01)', () => {
    const { spec } = loadScenario(join(SCENARIOS, 'ttl-only-window.yaml'), [
      'profile=aauth-r01',
      ...PAUSE,
      'topology.person_servers[0].pause_poll=1m',
      'duration=70m',
    ]);
    const sim = new Simulation();
    const audit = new RecordingSink();
    const world = new World(new WorldContext(sim, 1, audit), spec);
    const ps = world.protocol.personServers.get('ps') as PersonServer;
    const answers: ControlAnswer[] = [];
    // The alarm as the monitor sent it about the first mission, served only after the re-proposal was approved.
    sim.schedule(60 * MIN, () => {
      const stale = audit.ofType('mission.approved')[0]?.mission ?? null;
      ps.control({ from: { kind: 'monitor' }, s256: stale, handle: 'worker', action: 'terminate-policy', alarmAt: 35 * MIN }, (answer) => answers.push(answer));
    });
    sim.run(70 * MIN);
    const approvals = audit.ofType('mission.approved');
    expect(approvals).toHaveLength(2);
    expect(approvals[1]!.t).toBeLessThan(60 * MIN);
    expect(answers).toEqual(['refused']);
    expect(audit.ofType('mission_control.refused').at(-1)?.fields).toMatchObject({ caller: 'monitor', requested: approvals[0]!.mission, cause: 'not_found' });
    expect(audit.ofType('mission.terminated').filter((e) => e.mission === approvals[1]!.mission)).toEqual([]);
  });

  it('structure, at run time: the monitor reads of the PS only its directory and its control desk; it never suspends or terminates itself', () => {
    const reads = new Set<string>();
    for (const overrides of [[LATENCY], ['profile=aauth-latest', LATENCY], [LATENCY, 'monitor.action=terminate']]) {
      const audit = monitorReadsOfPs(overrides, reads);
      expect(audit.ofType('monitor.alarm_received').length, overrides.join(' ')).toBeGreaterThan(0);
    }
    expect(readsOutside(reads, MONITOR_MAY_READ)).toEqual([]);
    // The alarm went through the desk: sent as a message (control), never carried out by the monitor's own hand.
    for (const member of ['control', 'handleOf']) expect(reads.has(member), member).toBe(true);
  });

  it('structure, negative control: a monitor calling the PS to suspend is caught', () => {
    const reads = new Set<string>();
    const world = new World(new WorldContext(new Simulation(), 1, new RecordingSink()), loadScenario(join(SCENARIOS, 'due-diligence-drift.yaml'), []).spec);
    const ps = recordingReads(world.protocol.personServers.get('ps.bank') as PersonServer, reads) as unknown as Record<string, unknown>;
    void ps.suspend;
    void ps.terminateForPolicy;
    void ps.rootOf;
    expect(readsOutside(reads, MONITOR_MAY_READ)).toEqual(['suspend', 'terminateForPolicy']);
  });
});

describe("a person's intervention names the mission by what the person received", () => {
  it('their request reaches the PS one latency after they act, and names the s256 the PS told them at approval', () => {
    const { log } = run('ttl-only-window', [LATENCY, 'interventions[0].at=const(30m)']);
    const approved = first(log, 'mission.approved');
    const acted = first(log, 'person.terminate');
    expect(acted).toMatchObject({ mission: approved.mission, t: 30 * MIN });
    expect(first(log, 'mission.terminated').t).toBeGreaterThanOrEqual(30 * MIN + L);
  });

  it.each(['aauth-r01', 'aauth-r11', 'aauth-latest'])(
    'a person who never approved it names none: mission_not_found, as for a foreign mission; the mission goes on (%s)',
    (profile) => {
      const { log } = run('ttl-only-window', [
        `profile=${profile}`,
        LATENCY,
        'people[1]={id: mallory}',
        'interventions[0]={at: const(30m), person: mallory, agent: worker, action: terminate}',
      ]);
      expect(first(log, 'person.terminate')).toMatchObject({ actor: 'person:mallory', mission: null });
      expect(first(log, 'mission_control.refused')).toMatchObject({ caller: 'mallory', requested: null, status: 404, error: 'mission_not_found' });
      expect(first(log, 'mission_control.refused').t).toBeGreaterThanOrEqual(30 * MIN + L);
      expect(all(log, 'mission.terminated')).toEqual([]);
    },
  );

  it('after a re-proposal the person names the new mission (the PS told them its s256 when they approved it again)', () => {
    const again = [...PAUSE, 'interventions[2]={at: const(60m), person: owner, agent: worker, action: terminate}'];
    const { log } = run('ttl-only-window', ['profile=aauth-r01', ...again, 'topology.person_servers[0].pause_poll=1m']);
    const approvals = all(log, 'mission.approved');
    expect(approvals).toHaveLength(2);
    expect(first(log, 'person.terminate')).toMatchObject({ mission: approvals[1]!.mission });
    expect(all(log, 'mission.terminated').at(-1)).toMatchObject({ mission: approvals[1]!.mission, reason: 'revoked' });
  });

  it("aauth-latest: the mission_control_endpoint is queued like the PS's other endpoints, and answers 503 in its outages", () => {
    const outage = 'topology.person_servers[0].outages=[{at: 29m, for: 5m}]';
    const { log } = run('ttl-only-window', ['profile=aauth-latest', LATENCY, 'interventions[0].at=const(30m)', outage]);
    const resent = all(log, 'mission_control.resent');
    expect(resent.length).toBeGreaterThan(0);
    expect(resent[0]).toMatchObject({ actor: 'person:owner', to: 'ps:ps', action: 'terminate', attempt: 1 });
    expect(all(log, 'ps.unavailable').some((e) => e.t === 30 * MIN + L)).toBe(true);
    const terminated = first(log, 'mission.terminated');
    expect(terminated.t).toBeGreaterThanOrEqual(34 * MIN + L);
    expect(terminated.t - resent.at(-1)!.t).toBeGreaterThanOrEqual(L);
  });

  it("structure, at run time: a person's intervention reads of the PS only its control desk, and names the mission from what the person was told", () => {
    // aauth-r01 has no suspend: a pause terminates the mission (administrative).
    for (const [action, reason] of [
      ['terminate', 'revoked'],
      ['suspend', 'administrative'],
    ] as const) {
      const { spec } = loadScenario(join(SCENARIOS, 'ttl-only-window.yaml'), [LATENCY, 'interventions=[]']);
      const sim = new Simulation();
      const audit = new RecordingSink();
      const ctx = new WorldContext(sim, 1, audit);
      const world = new World(ctx, spec);
      sim.run(30 * MIN);
      const reads = new Set<string>();
      const desk = recordingReads(world.protocol.personServers.get('ps') as PersonServer, reads);
      const network = new Network(ctx, parseDistribution(`const(${L}us)`, 'duration'));
      const intervention: InterventionDef = { at: 'const(30m)', person: 'owner', agent: 'worker', action };
      applyIntervention(ctx, network, desk, world.protocol.people.get('owner') as Person, intervention);
      sim.run(40 * MIN);
      expect(readsOutside(reads, ['actor', 'control']), action).toEqual([]);
      expect(reads.has('control'), action).toBe(true);
      const approved = audit.ofType('mission.approved')[0]?.mission;
      // Carried out when the PS serves the request, at least one latency after the person acted, on the mission the person was told.
      const done = audit.ofType('mission.terminated');
      expect(
        done.map((e) => [e.mission, e.fields?.reason]),
        action,
      ).toEqual([[approved, reason]]);
      expect(done[0]?.t, action).toBeGreaterThanOrEqual(30 * MIN + L);
    }
    // Negative control: reading the PS's own records through the desk is caught.
    const reads = new Set<string>();
    const world = new World(new WorldContext(new Simulation(), 1, new RecordingSink()), loadScenario(join(SCENARIOS, 'ttl-only-window.yaml'), []).spec);
    const desk = recordingReads(world.protocol.personServers.get('ps') as PersonServer, reads) as unknown as Record<string, unknown>;
    void desk.handleOf;
    void desk.terminate;
    expect(readsOutside(reads, ['actor', 'control'])).toEqual(['handleOf', 'terminate']);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Agent } from '../../../sim/protocol/agent.ts';
import { runScenario } from '../../../sim/run.ts';
import { loadScenario } from '../../../sim/scenario/load.ts';
import { tempDir, writeScenario } from '../../helpers.ts';

/**
 * An agent makes the first call of a step whose auth token it holds from
 * its runtime's own generator (Agent.runtimeBody), not through `perform`,
 * which handles every other attempt (sim/protocol/agent.ts). Both paths
 * must make the same call at the same time: a run where every step goes
 * through `perform` gives the same log and oracle, byte for byte, over
 * generated protocol scenarios (profiles, token lifetimes, loss and
 * retries, pauses and terminations, crashes and revoked agent tokens).
 *
 * Not generated here (the committed scenarios' fingerprints cover them):
 * a shared token cache, `acts_under`, attacks, drift, governance steps,
 * -11 sub-agents, plans that do not repeat, `at:` steps, PS outages,
 * recalled or blocked answers. The attempt count after a refused held
 * token is held by a fixed run that exhausts its attempts, and the fast
 * path's `endedByEvent` check by a fixed run where an events-inbox
 * termination overtakes an auth token on its way (both below).
 */

const OPS = ['crm/read', 'crm/write', 'mail/send'];

const scenarioArbitrary = fc.record({
  profile: fc.constantFrom('aauth-r01', 'aauth-r11', 'aauth-latest', 'aauth-m0', 'mission-authority'),
  authTtl: fc.constantFrom('1m', '3m', '10m'),
  refreshBefore: fc.constantFrom(undefined, '0s', '30s'),
  loss: fc.constantFrom(0, 0, 0.1),
  plans: fc.array(fc.array(fc.constantFrom(...OPS), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
  intervention: fc.option(fc.record({ atMinute: fc.integer({ min: 1, max: 12 }), action: fc.constantFrom('suspend', 'terminate') }), { nil: undefined }),
  fault: fc.option(fc.record({ atMinute: fc.integer({ min: 1, max: 12 }), kind: fc.constantFrom('crash', 'revoke-agent-token') }), { nil: undefined }),
  seed: fc.nat(1_000_000),
});

type Generated = typeof scenarioArbitrary extends fc.Arbitrary<infer T> ? T : never;

function scenario(generated: Generated): object {
  const { intervention, fault } = generated;
  return {
    name: 'held-step',
    description: 'generated',
    duration: '15m',
    seed: generated.seed,
    profile: generated.profile,
    tokens: { auth_ttl: generated.authTtl, ...(generated.refreshBefore === undefined ? {} : { refresh_before: generated.refreshBefore }) },
    network: { loss: generated.loss },
    topology: {
      person_servers: [{ id: 'ps', queue: { servers: 2, service: 'exp(5ms)' } }],
      resources: [
        { id: 'crm', queue: { servers: 2, service: 'exp(200ms)' }, operations: [{ name: 'read' }, { name: 'write' }] },
        { id: 'mail', queue: { servers: 1, service: 'exp(100ms)' }, operations: [{ name: 'send' }] },
      ],
    },
    people: [{ id: 'owner' }],
    agents: generated.plans.map((plan, i) => ({
      id: `agent-${i}`,
      person: 'owner',
      ps: 'ps',
      start: `${i * 7}s`,
      mission: { description: `task ${i}`, scope: OPS },
      plan: plan.map((op) => ({ op, after: 'exp(20s)' })),
      repeat: true,
    })),
    ...(intervention === undefined
      ? {}
      : {
          interventions: [
            { at: `const(${intervention.atMinute}m)`, person: 'owner', agent: 'agent-0', action: intervention.action },
            ...(intervention.action === 'suspend' ? [{ at: `const(${intervention.atMinute + 2}m)`, person: 'owner', agent: 'agent-0', action: 'resume' }] : []),
          ],
        }),
    ...(fault === undefined ? {} : { faults: [{ agent: 'agent-0', at: `${fault.atMinute}m`, kind: fault.kind }] }),
  };
}

function run(file: string, overrides: string[] = [], seed?: number): { events: Buffer; truth: Buffer } {
  const out = join(tempDir(), 'run');
  runScenario(loadScenario(file, overrides as never), { outDir: out, ...(seed === undefined ? {} : { seed }) });
  return { events: readFileSync(join(out, 'events.jsonl')), truth: readFileSync(join(out, 'truth.jsonl')) };
}

describe('a step whose token is held: called from runtimeBody or through perform', () => {
  afterEach(() => vi.restoreAllMocks());

  it('gives the same log and oracle, byte for byte (generated scenarios)', () => {
    let executed = 0;
    let heldCalls = 0;
    fc.assert(
      fc.property(scenarioArbitrary, (generated) => {
        const file = writeScenario(JSON.stringify(scenario(generated)));
        const watched = vi.spyOn(Agent.prototype as unknown as { tokenForFirstCall(): unknown }, 'tokenForFirstCall');
        const held = run(file);
        heldCalls += watched.mock.results.filter((result) => result.value !== undefined).length;
        watched.mockRestore();
        const spy = vi.spyOn(Agent.prototype as unknown as { tokenForFirstCall(): undefined }, 'tokenForFirstCall').mockReturnValue(undefined);
        const performed = run(file);
        spy.mockRestore();
        expect(performed.events.equals(held.events)).toBe(true);
        expect(performed.truth.equals(held.truth)).toBe(true);
        executed += held.events.toString().split('"op.executed"').length - 1;
      }),
      { numRuns: 15 },
    );
    // The property was not vacuous: the runs executed operations, and steps were called with held tokens.
    expect(executed).toBeGreaterThan(100);
    expect(heldCalls).toBeGreaterThan(20);
  });

  it('counts the attempts after a refused held token as perform does (a run that exhausts them)', () => {
    // Tokens outlive no lost request: each new token expires while lost requests wait out 30 s timeouts, so steps use up all
    // their attempts. A fast path that restarted perform's count (or skipped one attempt) changes this run's log.
    const file = join(import.meta.dirname, '../../../scenarios/token-lifetime-sizing.yaml');
    const overrides = ['profile=mission-authority', 'tokens.auth_ttl=45s', 'tokens.refresh_before=0s', 'network.loss=0.15'];
    const held = run(file, overrides, 111);
    const spy = vi.spyOn(Agent.prototype as unknown as { tokenForFirstCall(): undefined }, 'tokenForFirstCall').mockReturnValue(undefined);
    const performed = run(file, overrides, 111);
    spy.mockRestore();
    expect(performed.events.equals(held.events)).toBe(true);
    expect(performed.truth.equals(held.truth)).toBe(true);
  });

  it('sends nothing under a mission an inbox event ended, even with a token granted for it after the event', () => {
    // aauth-latest: the PS grants an auth token (47.10 s), the person's termination reaches the PS (47.26 s) and its
    // mission.terminated push reaches the agent's provider (47.28 s) before the grant does. The inbox empties the
    // tokens, then the grant fills the step's slot again. perform must not call with it (it did until 2026-12-06: one
    // op executed after the agent was told its mission ended): it stops (agent.stopped). With no call made, the fast
    // path's own endedByEvent check (tokenForFirstCall) is not reached here; it stays as the guard for a token that
    // is held and live when an event ends the mission.
    const spec = {
      name: 'inbox-overtakes-grant',
      description: 'an events-inbox termination overtakes an auth token on its way',
      duration: '5m',
      seed: 1,
      profile: 'aauth-latest',
      tokens: { auth_ttl: '5s', refresh_before: '0s' },
      network: { latency: 'exp(300ms)' },
      topology: {
        person_servers: [{ id: 'ps', queue: { servers: 2, service: 'exp(5ms)' } }],
        resources: [{ id: 'crm', revocation: { mode: 'none' }, queue: { servers: 2, service: 'exp(50ms)' }, operations: [{ name: 'read' }] }],
      },
      people: [{ id: 'owner', approval_latency: 'const(1s)' }],
      agents: [
        {
          id: 'agent-0',
          person: 'owner',
          ps: 'ps',
          start: '0s',
          mission: { description: 'reads', scope: ['crm/read'] },
          plan: [{ op: 'crm/read', after: 'exp(1s)' }],
          repeat: true,
        },
      ],
      interventions: [{ at: 'const(46440ms)', person: 'owner', agent: 'agent-0', action: 'terminate' }],
    };
    const file = writeScenario(JSON.stringify(spec));
    const afterTheEvent = (events: Buffer) => {
      const lines = events
        .toString()
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { t: number; type: string; event?: string; jti?: string; reason?: string });
      const ended = lines.findIndex((line) => line.type === 'event.received' && line.event === 'mission.terminated');
      const granted = lines.slice(0, ended).filter((line) => line.type === 'token.auth_granted');
      const later = lines.slice(ended + 1);
      return {
        ended,
        grantedJti: granted[granted.length - 1]?.jti,
        calls: later.filter((line) => line.type === 'op.queued').map((line) => line.jti),
        stopped: later.find((line) => line.type === 'agent.stopped')?.reason,
      };
    };
    const real = afterTheEvent(run(file).events);
    expect(real.ended).toBeGreaterThan(0);
    // The token granted before the event, and no call after it: the agent stops.
    expect(real.grantedJti).toBeDefined();
    expect(real.calls).toEqual([]);
    expect(real.stopped).toBe('mission ended');
  });
});

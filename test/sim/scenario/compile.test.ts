import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../../sim/engine/duration.ts';
import { compileAgent, compileDrift, compileScenario } from '../../../sim/scenario/compile.ts';
import { AgentSpec, type AgentDef, DriftSpec, type DriftDef } from '../../../sim/scenario/schema.ts';
import { loadScenario } from '../../../sim/scenario/load.ts';
import { scenarioJsonSchema } from '../../../sim/scenario/validate.ts';
import { SCENARIOS, writeScenario } from '../../helpers.ts';

const MINIMAL = `
name: minimal
description: one of everything the compiler handles, with nothing optional written
duration: 1h
people: [{id: p}]
topology:
  person_servers: [{id: ps}]
  access_servers: [{id: as}]
  resources:
    - {id: r, queue: {servers: 1, service: exp(1s)}, access_server: as, operations: [{name: read}, {name: write, service: const(2s)}]}
    - {id: s, queue: {servers: 1, service: exp(1s)}, revocation: {mode: push, latency: const(3s), retries: 1}}
`;

describe('compileScenario', () => {
  it("parses durations to microseconds and distributions once, with the schema's defaults", () => {
    const compiled = compileScenario(loadScenario(writeScenario(MINIMAL)).spec);
    expect(compiled.network.latency.text).toBe('exp(20ms)');
    expect(compiled.network).toMatchObject({ timeoutUs: 30_000_000, retries: 3 });
    expect(compiled.people.get('p')?.approvalLatency.text).toBe('lognormal(1m, 1)');
    expect(compiled.personServers.get('ps')).toMatchObject({ pollIntervalUs: 5_000_000, outages: [] });
    expect(compiled.accessServers.get('as')?.clarifyLatency.text).toBe('lognormal(10m, 0.5)');
    const r = compiled.resources.get('r');
    expect(r?.revocation).toEqual({
      mode: undefined,
      latency: undefined,
      loss: 0,
      retries: 3,
      retryIntervalUs: 5_000_000,
      retryAfterUs: 1_000_000,
      cacheTtlUs: 300_000_000,
      outages: [],
    });
    expect(r?.operationService.get('read')).toBeUndefined();
    expect(r?.operationService.get('write')?.mean).toBe(2_000_000);
    const s = compiled.resources.get('s')?.revocation;
    expect(s).toMatchObject({ mode: 'push', retries: 1, retryIntervalUs: 5_000_000 });
    expect(s?.latency?.text).toBe('const(3s)');
  });

  it("compiles agents: start, plan steps' times, drift, the mission as proposed (no intent, lifetime in µs); faults and interventions", () => {
    const spec = loadScenario(
      writeScenario(`${MINIMAL}
agents:
  - id: a
    person: p
    ps: ps
    mission: {description: d, scope: [r/read], expires_in: 2h, intent: {grants: [{class: r, actions: [read]}]}}
    plan: [{op: r/read, at: 1m}, {op: r/read, after: exp(5s)}, {op: r/read}]
    drift: {model: gradual, toward: [r/write]}
faults: [{agent: a, at: 10m}]
interventions: [{at: const(30m), person: p, agent: a, action: terminate}]
`),
    ).spec;
    const compiled = compileScenario(spec);
    const agent = compiled.agents.get('a');
    expect(agent?.startUs).toBe(0);
    expect(agent?.plan.map((step) => [step.atUs, step.after?.text])).toEqual([
      [60_000_000, undefined],
      [undefined, 'exp(5s)'],
      [undefined, undefined],
    ]);
    expect(agent?.drift).toMatchObject({ fromUs: 0, atUs: Infinity, rate: 0.1, max: 0.8 });
    expect(agent?.mission).toEqual({ description: 'd', scope: ['r/read'], expiresInUs: 7_200_000_000 });
    expect(compiled.faults[0]).toMatchObject({ atUs: 600_000_000 });
    expect(compiled.faults[0]?.restart.text).toBe('const(10s)');
    expect(compiled.interventions[0]?.at.text).toBe('const(30m)');
  });

  it("compiles queues (a server's default queue from the schema), the workload and token lifetimes", () => {
    const spec = loadScenario(
      writeScenario(`${MINIMAL}
workload: [{id: w, resource: r, interarrival: exp(10s)}]
tokens: {auth_ttl: 10m, refresh_before: 0s}
`),
    ).spec;
    const compiled = compileScenario(spec);
    expect(compiled.personServers.get('ps')?.queue).toMatchObject({ servers: 4, capacity: undefined });
    expect(compiled.personServers.get('ps')?.queue.service.text).toBe('exp(2ms)');
    expect(compiled.accessServers.get('as')?.queue.service.text).toBe('exp(2ms)');
    expect(compiled.resources.get('r')?.queue).toMatchObject({ servers: 1 });
    expect(compiled.workload[0]).toMatchObject({ startUs: 0 });
    expect(compiled.workload[0]?.interarrival.text).toBe('exp(10s)');
    expect(compiled.tokens).toEqual({ agentTtlUs: undefined, resourceTtlUs: undefined, authTtlUs: 600_000_000, personTtlUs: undefined, refreshBeforeUs: 0 });
  });

  it("compiles the orchestration section: start, GEC latency, sub-goals' deadlines, work and fault times, Plan B work, attacks", () => {
    const compiled = compileScenario(
      loadScenario(join(SCENARIOS, 'myauberge-travel.yaml'), [
        'orchestration.sub_goals[accommodation].fault={after: const(1m), kind: failure, reason: no_availability}',
      ]).spec,
    );
    const orchestration = compiled.orchestration;
    expect(orchestration?.startUs).toBeGreaterThanOrEqual(0);
    expect(orchestration?.gecLatency.kind).toBe('duration');
    const accommodation = orchestration?.subGoals.get('accommodation');
    expect(accommodation?.faultAfter?.text).toBe('const(1m)');
    expect(accommodation?.duration.mean).toBeGreaterThan(0);
    for (const duration of orchestration?.planBDurations.values() ?? []) expect(duration.kind).toBe('duration');
    expect(compileScenario(loadScenario(join(SCENARIOS, 'travel-booking.yaml')).spec).orchestration).toBeUndefined();
  });

  it('leaves the document as written and freezes what it built', () => {
    const spec = loadScenario(writeScenario(MINIMAL)).spec;
    const before = JSON.stringify(spec);
    const compiled = compileScenario(spec);
    expect(JSON.stringify(spec)).toBe(before);
    expect(Object.isFrozen(compiled)).toBe(true);
    expect(Object.isFrozen(compiled.network)).toBe(true);
    expect(Object.isFrozen(compiled.resources.get('r')?.revocation)).toBe(true);
  });

  it('takes every default from the schema: the JSON Schema shows the default the simulator applies', () => {
    const schema = JSON.stringify(scenarioJsonSchema());
    for (const value of ['exp(20ms)', '30s', 'lognormal(1m, 1)', 'lognormal(10m, 0.5)', '5s', '1s', '5m']) expect(schema).toContain(`"default":"${value}"`);
  });

  it('compiles every shipped scenario', () => {
    for (const name of ['travel-booking', 'law-firm-cross-domain', 'after-hours-concierge', 'bulk-export-after-terminate']) {
      expect(() => compileScenario(loadScenario(join(SCENARIOS, `${name}.yaml`)).spec)).not.toThrow();
    }
  });

  it('domain code of the compiled areas parses no duration or distribution', () => {
    const root = new URL('../../../', import.meta.url).pathname;
    const compiledAreas = [
      'sim/protocol/person.ts',
      'sim/protocol/person-server.ts',
      'sim/protocol/service-door.ts',
      'sim/protocol/resource.ts',
      'sim/protocol/access-server.ts',
      'sim/protocol/agent.ts',
      'sim/protocol/agent-failover.ts',
      'sim/protocol/agent-tokens.ts',
      'sim/protocol/agent-delegation.ts',
      'sim/protocol/drift.ts',
      'sim/protocol/governance-step.ts',
      'sim/lifecycle/faults.ts',
      'sim/world/protocol-world.ts',
      'sim/protocol/profiles.ts',
      'sim/world/context.ts',
      'sim/world/arrivals.ts',
      'sim/world/queued-resource.ts',
      ...readdirSync(join(root, 'sim/aop')).map((file) => `sim/aop/${file}`),
    ];
    const parsing = compiledAreas.filter((file) => /parse(Duration|Distribution)\(|\?\? '\d/.test(readFileSync(join(root, file), 'utf8')));
    expect(parsing).toEqual([]);
  });
});

describe("an agent's and its drift's defaults, read per property", () => {
  // compileAgent and compileDrift read each default from the schema's property instead of filling a copy of the
  // whole section (withDefaults): the values must be the ones that filling gives.
  const filled = <T>(schema: TSchema, value: T): T => Value.Default(schema, structuredClone(value)) as T;
  const duration = fc.option(fc.constantFrom('0s', '90s', '2m', '1h'), { nil: undefined });
  const share = fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined });

  it('gives the drift the from, rate and max that the schema fills in', () => {
    fc.assert(
      fc.property(fc.constantFrom('none', 'gradual', 'injection', 'plausible'), duration, duration, share, share, (model, from, at, rate, max) => {
        const def = {
          model,
          toward: ['x'],
          ...(from === undefined ? {} : { from }),
          ...(at === undefined ? {} : { at }),
          ...(rate === undefined ? {} : { rate }),
          ...(max === undefined ? {} : { max }),
        } as DriftDef;
        const reference = filled(DriftSpec, def);
        const drift = compileDrift(def);
        expect([drift.fromUs, drift.atUs, drift.rate, drift.max]).toEqual([
          parseDuration(reference.from as string),
          reference.at === undefined ? Infinity : parseDuration(reference.at),
          reference.rate,
          reference.max,
        ]);
      }),
    );
    expect(compileDrift(undefined)).toMatchObject({ fromUs: 0, atUs: Infinity, rate: 0.1, max: 0.8 });
  });

  it('gives the agent the start the schema fills in', () => {
    fc.assert(
      fc.property(duration, (start) => {
        const def = { id: 'a', person: 'p', person_server: 'ps', plan: [], ...(start === undefined ? {} : { start }) } as unknown as AgentDef;
        expect(compileAgent(def).startUs).toBe(parseDuration(filled(AgentSpec, def).start as string));
      }),
    );
  });
});

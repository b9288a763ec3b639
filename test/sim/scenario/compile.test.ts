import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileScenario } from '../../../sim/scenario/compile.ts';
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
  it('parses durations to microseconds and distributions once, with the schema\'s defaults', () => {
    const compiled = compileScenario(loadScenario(writeScenario(MINIMAL)).spec);
    expect(compiled.network.latency.text).toBe('exp(20ms)');
    expect(compiled.network).toMatchObject({ timeoutUs: 30_000_000, retries: 3 });
    expect(compiled.people.get('p')?.approvalLatency.text).toBe('lognormal(1m, 1)');
    expect(compiled.personServers.get('ps')).toMatchObject({ pollIntervalUs: 5_000_000, outages: [] });
    expect(compiled.accessServers.get('as')?.clarifyLatency.text).toBe('lognormal(10m, 0.5)');
    const r = compiled.resources.get('r');
    expect(r?.revocation).toEqual({ mode: undefined, latency: undefined, loss: 0, retries: 3, retryIntervalUs: 5_000_000, retryAfterUs: 1_000_000, cacheTtlUs: 300_000_000 });
    expect(r?.operationService.get('read')).toBeUndefined();
    expect(r?.operationService.get('write')?.mean).toBe(2_000_000);
    const s = compiled.resources.get('s')?.revocation;
    expect(s).toMatchObject({ mode: 'push', retries: 1, retryIntervalUs: 5_000_000 });
    expect(s?.latency?.text).toBe('const(3s)');
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
    const compiledAreas = ['sim/protocol/person.ts', 'sim/protocol/person-server.ts', 'sim/protocol/service-door.ts', 'sim/protocol/resource.ts', 'sim/protocol/access-server.ts', 'sim/world/protocol-world.ts'];
    const root = new URL('../../../', import.meta.url).pathname;
    const parsing = compiledAreas.filter((file) => /parse(Duration|Distribution)\(/.test(readFileSync(join(root, file), 'utf8')));
    // person-server.ts still parses a mission's expires_in, protocol-world.ts an intervention's time: the missions and interventions are not compiled yet.
    expect(parsing).toEqual(['sim/protocol/person-server.ts', 'sim/world/protocol-world.ts']);
  });
});

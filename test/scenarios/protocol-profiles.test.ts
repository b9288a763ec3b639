import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { profileSource, resolveProfile } from '../../sim/protocol/profiles.ts';
import { runScenario } from '../../sim/run.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import { PROFILES } from '../../sim/scenario/schema.ts';
import { readLines, SCENARIOS, scenarioProblems, tempDir } from '../helpers.ts';

type Event = Record<string, unknown> & { type: string };

function run(name: string, overrides: string[]): Event[] {
  const dir = join(tempDir(), 'run');
  runScenario(loadScenario(join(SCENARIOS, `${name}.yaml`), overrides), { outDir: dir });
  return readLines(join(dir, 'events.jsonl')).map((line) => JSON.parse(line) as Event);
}
const approvedBlob = (events: Event[]) => (events.find((e) => e.type === 'mission.approved') as Event).blob as Record<string, unknown>;

describe('profiles say which text they model', () => {
  it('every profile names its source text', () => {
    for (const name of PROFILES) expect(profileSource(name), name).toMatch(/\S/);
    expect(profileSource('aauth-r11')).toMatch(/draft-hardt-aauth-protocol-11/);
    expect(profileSource('aauth-r01')).toMatch(/draft-hardt-aauth-protocol-01/);
  });

  it('aauth-r11 blob: approver kept, capabilities out, approved_resources and expires_at in', () => {
    const events = run('after-hours-concierge', ['profile=aauth-r11', 'agents[concierge].mission.expires_in=2h']);
    const blob = approvedBlob(events);
    expect(blob.approver).toMatch(/^https:\/\//);
    expect(blob).not.toHaveProperty('capabilities');
    expect(blob.approved_resources).toEqual(expect.arrayContaining(['flights.example']));
    expect(typeof blob.expires_at).toBe('string');
  });

  it('aauth-r01 blob: approver and capabilities, no approved_resources', () => {
    const blob = approvedBlob(run('after-hours-concierge', ['profile=aauth-r01']));
    expect(blob.approver).toMatch(/^https:\/\//);
    expect(blob.capabilities).toEqual(['web-browsing', 'payments-hold']);
    expect(blob).not.toHaveProperty('approved_resources');
  });

  it('PS-issued tokens carry mission_s256 under aauth-r11 and aauth-latest; r01 relays the AAuth-Mission header as the mission object {approver, s256}', () => {
    for (const profile of ['aauth-r11', 'aauth-latest']) {
      const events = run('after-hours-concierge', [`profile=${profile}`]);
      const grants = events.filter((e) => e.type === 'token.auth_granted');
      expect(grants.length, profile).toBeGreaterThan(0);
      for (const grant of grants) {
        expect(grant.mission_s256, profile).toBe(grant.mission);
        expect(grant, profile).not.toHaveProperty('aauth_mission');
      }
    }
    const r01 = run('after-hours-concierge', ['profile=aauth-r01']).filter((e) => e.type === 'token.auth_granted');
    expect(r01.length).toBeGreaterThan(0);
    for (const grant of r01) {
      expect(grant.aauth_mission).toEqual({ approver: 'https://ps.example', s256: grant.mission });
      expect(grant).not.toHaveProperty('mission_s256');
    }
  });

  it('aauth-latest keeps -11 mechanics it has not changed (person tokens, {jti, exp} revocation with cascade)', () => {
    const latest = resolveProfile('aauth-latest', {
      agentTtlUs: undefined,
      resourceTtlUs: undefined,
      authTtlUs: undefined,
      personTtlUs: undefined,
      refreshBeforeUs: undefined,
    });
    expect(latest).toMatchObject({
      missionBinding: 'claim',
      approverInBlob: true,
      capabilitiesInBlob: false,
      resourcesInBlob: true,
      personTokens: true,
      revocationCarriesExp: true,
      revocationCascade: true,
    });
  });

  it('aauth-r11 (and latest) refuse two-level sub-agents at validate, with the reason; aauth-r01 runs them', () => {
    const text = readFileSync(join(SCENARIOS, 'vendor-onboarding-chain.yaml'), 'utf8');
    for (const profile of ['aauth-r11', 'aauth-latest']) {
      const problems = scenarioProblems(text, [`profile=${profile}`]);
      expect(problems.length, profile).toBeGreaterThan(0);
      expect(problems[0]?.expected, profile).toMatch(/one level deep, parent-mediated/);
      expect(problems[0]?.found, profile).toMatch(/itself a sub-agent of/);
    }
    expect(() => loadScenario(join(SCENARIOS, 'vendor-onboarding-chain.yaml'))).not.toThrow();
    expect(text).toMatch(/^profile: aauth-r01$/m);
  });
});

describe('aauth-latest revocation outcomes', () => {
  // after-hours-concierge: the hotel reserves through payments (a chained call); the mission is terminated.
  const NO_ENDPOINT = 'topology.resources[payments.example].revocation.mode=none';

  it('a downstream resource without a revocation endpoint answers revocation_unsupported, logged with how long the token stays usable', () => {
    const events = run('after-hours-concierge', ['profile=aauth-latest', NO_ENDPOINT]);
    const unsupported = events.filter((e) => e.type === 'revocation.unsupported');
    expect(unsupported.length).toBeGreaterThan(0);
    const chained = events.find((e) => e.type === 'token.auth_granted' && e.jti === unsupported[0]?.downstream_jti);
    expect(unsupported[0]).toMatchObject({ to: 'payments.example', error: 'revocation_unsupported', exposed_until: chained?.exp });
  });

  it('under aauth-r11 the same cascade counts that resource done silently', () => {
    const events = run('after-hours-concierge', ['profile=aauth-r11', NO_ENDPOINT]);
    expect(events.some((e) => e.type === 'revocation.cascaded' || e.type === 'revocation.answered')).toBe(true);
    expect(events.filter((e) => e.type === 'revocation.unsupported')).toEqual([]);
  });
});

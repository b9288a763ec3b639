import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentKeyThumbprint } from '../../sim/protocol/agent-keys.ts';
import { runScenario } from '../../sim/run.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import { SCENARIOS, tempDir } from '../helpers.ts';

/**
 * Issue 17 item 3: the attacks that separate the revisions, each run under
 * aauth-r01, aauth-r11 and aauth-latest. Every assertion says who refused
 * (which party, which event, which reason) or that nobody did, and whether
 * the log shows it or only the oracle (truth.jsonl) does.
 */
type Line = Record<string, any>;

function run(scenario: string, profile: string): { events: Line[]; truth: Line[] } {
  const outDir = join(tempDir(), 'run');
  runScenario(loadScenario(join(SCENARIOS, `${scenario}.yaml`), [`profile=${profile}`]), { seed: 1, outDir });
  const read = (file: string) =>
    readFileSync(join(outDir, file), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Line);
  return { events: read('events.jsonl'), truth: read('truth.jsonl') };
}

const of = (events: Line[], type: string, match: Line = {}) =>
  events.filter((e) => e.type === type && Object.entries(match).every(([key, value]) => e[key] === value));

/** The s256 of the mission whose blob names `agent` (the n-th such mission). */
function missionOf(events: Line[], agent: string, nth = 0): string {
  const approved = events.filter((e) => e.type === 'mission.approved' && e.blob.agent === agent);
  return approved[nth]?.mission as string;
}

const LATER = ['aauth-r11', 'aauth-latest'] as const;

describe('(a) an agent asserts a mission that is not its own (wire-forged-mission)', () => {
  it("aauth-r01: the intern's AAuth-Mission header names the treasurer's mission; nobody refuses, the transfer executes, and only truth.jsonl calls it unintended", () => {
    const { events, truth } = run('wire-forged-mission', 'aauth-r01');
    const treasurers = missionOf(events, 'treasurer');
    // The resource copied the asserted header into its resource token: an agent assertion, unchecked.
    expect(of(events, 'token.resource_issued', { actor: 'resource:payments', agent: 'intern' })[0]?.aauth_mission).toEqual({
      approver: 'https://ps.bank',
      s256: treasurers,
    });
    const granted = of(events, 'token.auth_granted', { agent: 'intern', resource: 'payments' });
    expect(granted).toHaveLength(1);
    expect(granted[0]?.mission).toBe(treasurers);
    expect(of(events, 'op.executed', { actor: 'resource:payments', agent: 'intern', op: 'transfer' })).toHaveLength(1);
    expect(of(events, 'token.auth_denied', { agent: 'intern' })).toEqual([]);
    // The oracle knows (the intern told it, write-only): its decisions were not intended.
    const decisions = truth.filter((r) => r.kind === 'decision' && r.agent === 'intern');
    expect(decisions.map((r) => [r.op, r.allow, r.intended])).toEqual([
      ['read', true, false],
      ['transfer', true, false],
    ]);
  });

  it('aauth-r01: an s256 no PS approved is refused by the PS at the auth-token endpoint (token.auth_denied mission_not_found)', () => {
    const { events } = run('wire-forged-mission', 'aauth-r01');
    const denied = of(events, 'token.auth_denied', { agent: 'ghost' });
    expect(denied.map((e) => [e.actor, e.reason])).toEqual([['ps:ps.bank', 'mission_not_found']]);
    expect(of(events, 'op.executed', { agent: 'ghost' })).toEqual([]);
  });

  for (const profile of LATER) {
    it(`${profile}: the PS refuses the intern's person token naming the treasurer's mission (token.person_denied mission_not_found); nothing of the intern executes`, () => {
      const { events } = run('wire-forged-mission', profile);
      expect(of(events, 'token.person_denied', { agent: 'intern' }).map((e) => [e.actor, e.resource, e.reason])).toEqual([
        ['ps:ps.bank', 'reports', 'mission_not_found'],
      ]);
      expect(of(events, 'token.person_denied', { agent: 'ghost' }).map((e) => e.reason)).toEqual(['mission_not_found']);
      expect(of(events, 'token.auth_granted', { agent: 'intern' })).toEqual([]);
      expect(of(events, 'op.executed', { agent: 'intern' })).toEqual([]);
      // The honest treasurer is untouched.
      expect(of(events, 'op.executed', { agent: 'treasurer', op: 'transfer' })).toHaveLength(1);
    });
  }
});

describe('(b) a request with its mission stripped (wire-stripped-mission)', () => {
  it('aauth-r01: the PS refuses a resource token without a mission (mission_required) and cannot tell it was stripped', () => {
    const { events } = run('wire-stripped-mission', 'aauth-r01');
    const issued = of(events, 'token.resource_issued', { actor: 'resource:ledger' });
    expect(issued[0]).not.toHaveProperty('aauth_mission');
    expect(issued[0]?.mission).toBeNull();
    expect(of(events, 'token.auth_denied', { resource: 'ledger' }).map((e) => [e.actor, e.reason])).toEqual([['ps:ps.firm', 'mission_required']]);
    expect(of(events, 'op.executed', { actor: 'resource:ledger' })).toEqual([]);
    // The honest resource's token carried the mission.
    expect(of(events, 'token.resource_issued', { actor: 'resource:notes' })[0]?.aauth_mission?.s256).toBe(missionOf(events, 'clerk'));
  });

  for (const profile of LATER) {
    it(`${profile}: presented_jti still names the person token, so the PS refuses the stripped token as tampering`, () => {
      const { events } = run('wire-stripped-mission', profile);
      const issued = of(events, 'token.resource_issued', { actor: 'resource:ledger' })[0] as Line;
      expect(issued).not.toHaveProperty('mission_s256');
      const person = of(events, 'token.person_issued', { agent: 'clerk', resource: 'ledger' })[0] as Line;
      expect(issued.presented_jti).toBe(person.jti);
      expect(person.mission_s256).toBe(missionOf(events, 'clerk'));
      expect(of(events, 'token.auth_denied', { resource: 'ledger' }).map((e) => [e.actor, e.reason])).toEqual([
        ['ps:ps.firm', 'invalid_resource_token: mission_s256 does not match the presented person token'],
      ]);
      expect(of(events, 'op.executed', { actor: 'resource:ledger' })).toEqual([]);
    });
  }
});

describe('(c) mission confusion between two concurrent missions of one agent (wire-mission-confusion)', () => {
  it('one agent holds two missions at once: the PS approves both for it and judges each request under the mission it names', () => {
    const { events } = run('wire-mission-confusion', 'aauth-r11');
    const groceries = missionOf(events, 'helper', 0);
    const prescriptions = missionOf(events, 'helper', 1);
    expect(groceries).toBeDefined();
    expect(prescriptions).toBeDefined();
    expect(groceries).not.toBe(prescriptions);
    expect(of(events, 'token.auth_granted', { agent: 'helper', resource: 'grocer' })[0]?.mission).toBe(groceries);
    expect(of(events, 'token.auth_granted', { agent: 'helper', resource: 'pharmacy' })[0]?.mission).toBe(prescriptions);
  });

  it("aauth-r01: the courier writes the groceries mission into the prescriptions delivery's resource token; the PS grants it under the wrong mission, and nothing in the log or truth.jsonl shows it", () => {
    const { events, truth } = run('wire-mission-confusion', 'aauth-r01');
    const groceries = missionOf(events, 'helper', 0);
    const deliveries = of(events, 'token.auth_granted', { agent: 'helper', resource: 'courier' });
    expect(deliveries.map((e) => e.mission)).toEqual([groceries, groceries]);
    expect(of(events, 'op.executed', { agent: 'helper', op: 'deliver' })).toHaveLength(2);
    expect(of(events, 'token.auth_denied', { agent: 'helper' })).toEqual([]);
    // The oracle judges intent per agent, not per mission: the misattribution is only in the scenario (the plan says `under: concurrent`).
    expect(truth.filter((r) => r.kind === 'decision' && r.agent === 'helper').every((r) => r.intended === true)).toBe(true);
  });

  for (const profile of LATER) {
    it(`${profile}: the PS refuses the delivery whose mission_s256 differs from its presented person token's (invalid_resource_token)`, () => {
      const { events } = run('wire-mission-confusion', profile);
      const prescriptions = missionOf(events, 'helper', 1);
      const person = of(events, 'token.person_issued', { agent: 'helper', resource: 'courier' });
      expect(person.map((e) => e.mission_s256)).toEqual([missionOf(events, 'helper', 0), prescriptions]);
      const refused = of(events, 'token.auth_denied', { agent: 'helper', resource: 'courier' });
      expect(refused.map((e) => [e.actor, e.reason])).toEqual([
        ['ps:ps.home', 'invalid_resource_token: mission_s256 does not match the presented person token'],
      ]);
      expect(of(events, 'op.executed', { agent: 'helper', op: 'deliver' })).toHaveLength(1);
    });
  }

  for (const profile of ['aauth-r01', ...LATER]) {
    it(`${profile}: an agent that presents its own other mission is not refused by any party; the delivery runs under the wrong mission and only truth.jsonl marks it`, () => {
      const { events, truth } = run('wire-mission-confusion', profile);
      const groceries = missionOf(events, 'mixer', 0);
      const delivery = of(events, 'token.auth_granted', { agent: 'mixer', resource: 'courier' });
      expect(delivery.map((e) => e.mission)).toEqual([groceries]);
      expect(of(events, 'op.executed', { agent: 'mixer', op: 'deliver' })).toHaveLength(1);
      // Where the wrong mission does not cover the step, the PS refuses it, but for scope, not for confusion.
      expect(of(events, 'token.auth_denied', { agent: 'mixer' }).map((e) => e.reason)).toEqual(['outside mission scope', 'outside mission scope']);
      const deliver = truth.find((r) => r.kind === 'decision' && r.agent === 'mixer' && r.op === 'deliver');
      expect(deliver?.intended).toBe(false);
    });
  }
});

describe('(d) a replayed resource token (wire-replayed-resource-token)', () => {
  for (const profile of ['aauth-r01', ...LATER]) {
    it(`${profile}: another agent's captured resource token is refused by the PS (key binding); the holder's own replay gets a second auth token, visible in the log`, () => {
      const { events } = run('wire-replayed-resource-token', profile);
      const archivists = of(events, 'token.resource_issued', { agent: 'archivist' })[0] as Line;
      const refused = of(events, 'token.auth_denied', { agent: 'thief' });
      expect(refused.map((e) => [e.actor, e.resource_token, e.reason])).toEqual([
        ['ps:ps.corp', archivists.jti, 'invalid_resource_token: bound to another agent key'],
      ]);
      expect(of(events, 'op.executed', { agent: 'thief', op: 'delete' })).toEqual([]);
      if (profile !== 'aauth-r01') {
        // -11: the captured token names no agent, only the archivist's key (agent_jkt); the PS refuses it because the thief's key signed.
        expect(archivists.agent_jkt).toBe(agentKeyThumbprint('archivist'));
        expect(archivists.agent_jkt).not.toBe(agentKeyThumbprint('thief'));
        const grants = of(events, 'token.auth_granted');
        expect(grants.length).toBeGreaterThan(0);
        for (const grant of grants) expect(grant.cnf).toBe(agentKeyThumbprint(String(grant.agent)));
      } else {
        expect(archivists.agent_jkt).toBeUndefined();
        for (const grant of of(events, 'token.auth_granted')) expect(grant.cnf).toBe(grant.agent);
      }
      // No revision requires replay detection on resource tokens: the same resource token earns two auth tokens.
      const echoes = of(events, 'token.auth_granted', { agent: 'echo' });
      expect(echoes).toHaveLength(2);
      expect(new Set(echoes.map((e) => e.resource_token)).size).toBe(1);
      expect(new Set(echoes.map((e) => e.jti)).size).toBe(2);
    });
  }
});

describe('the mission on the wire after a re-proposal', () => {
  it('aauth-r11: after a pause and resume the agent names its new mission in new person tokens (those of the old mission are dropped), so work goes on where revocation never reached the resource', () => {
    const outDir = join(tempDir(), 'run');
    const overrides = [
      'profile=aauth-r11',
      'interventions[0]={at: const(30m), person: owner, agent: worker, action: suspend}',
      'interventions[1]={at: const(31m), person: owner, agent: worker, action: resume}',
    ];
    runScenario(loadScenario(join(SCENARIOS, 'ttl-only-window.yaml'), overrides), { seed: 1, outDir });
    const events = readFileSync(join(outDir, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Line);
    const [first, second] = events.filter((e) => e.type === 'mission.approved').map((e) => e.mission as string);
    expect(second).toBeDefined();
    const after = events.filter((e) => e.t > 31 * 60e6);
    expect(of(after, 'token.person_issued').every((e) => e.mission_s256 === second)).toBe(true);
    expect(of(after, 'token.person_issued').length).toBeGreaterThan(0);
    expect(of(after, 'op.executed').length).toBeGreaterThan(0);
    expect(of(after, 'op.executed').every((e) => e.mission !== first)).toBe(true);
    expect(of(after, 'agent.stopped')).toEqual([]);
  });
});

describe('token claims as each revision defines them', () => {
  it("-11: a sub-agent's agent token names its parent (parent_agent); r01 has no such claim", () => {
    const agentTokens = (profile: string) => {
      const outDir = join(tempDir(), 'run');
      runScenario(loadScenario(join(SCENARIOS, 'travel-booking-payment.yaml'), [`profile=${profile}`]), { seed: 1, outDir });
      return readFileSync(join(outDir, 'events.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Line)
        .filter((e) => e.type === 'token.agent_issued');
    };
    const r11 = agentTokens('aauth-r11');
    expect(r11.find((e) => e.agent === 'flight-checkout')?.parent_agent).toBe('trip');
    expect(r11.find((e) => e.agent === 'trip')).not.toHaveProperty('parent_agent');
    expect(agentTokens('aauth-r01').some((e) => 'parent_agent' in e)).toBe(false);
  });
});

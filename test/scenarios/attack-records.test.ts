import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../sim/run.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import { SCENARIOS, tempDir } from '../helpers.ts';

/**
 * Issue 17 item 3: each attack's outcome as the oracle records it
 * (truth.jsonl `attack` records: docs/truth-records.md), per scenario and
 * profile: refused (by whom, with the logged event and reason) or took
 * effect (seen in the log, or only by the oracle). The atlas counts these
 * (test/cli/atlas-attacks.test.ts); here each attack is named.
 */
type Outcome = [attack: string, outcome: string, decider: string | null, reason: string, visible: string];

function attacks(scenario: string, profile: string): Outcome[] {
  const outDir = join(tempDir(), 'run');
  runScenario(loadScenario(join(SCENARIOS, `${scenario}.yaml`), [`profile=${profile}`]), { seed: 1, outDir });
  const events = readFileSync(join(outDir, 'events.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return readFileSync(join(outDir, 'truth.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, any>)
    .filter((record) => record.kind === 'attack')
    .map((record) => {
      // The record points at the event of the answer it reports (truth.event_seq = events.seq).
      const event = events[record.event_seq] as Record<string, unknown>;
      expect(String(record.reason).startsWith(`${String(event.type)}:`) || record.reason === 'op.executed', `${record.attack} at ${event.type}`).toBe(true);
      return [record.attack, record.outcome, record.decider, record.reason, record.visible];
    });
}

const LATER = ['aauth-r11', 'aauth-latest'];
const TAMPERING = 'token.auth_denied: invalid_resource_token: mission_s256 does not match the presented person token';

describe('attack records in truth.jsonl', () => {
  it('(a) r01: the intern asserting the treasurer’s mission takes effect, visible in the log; the ghost is refused by the PS', () => {
    expect(attacks('wire-forged-mission', 'aauth-r01')).toEqual([
      ['intern: asserts the mission of treasurer', 'took_effect', null, 'token.auth_granted: accepted', 'log'],
      ['ghost: asserts a mission no PS approved', 'refused', 'ps:ps.bank', 'token.auth_denied: mission_not_found', 'log'],
    ]);
  });

  for (const profile of LATER)
    it(`(a) ${profile}: the PS refuses both at the person-token endpoint`, () => {
      expect(attacks('wire-forged-mission', profile)).toEqual([
        ['intern: asserts the mission of treasurer', 'refused', 'ps:ps.bank', 'token.person_denied: mission_not_found', 'log'],
        ['ghost: asserts a mission no PS approved', 'refused', 'ps:ps.bank', 'token.person_denied: mission_not_found', 'log'],
      ]);
    });

  it('(b) the stripping resource is refused by the PS: for a missing mission under r01, as tampering under -11 and latest', () => {
    const strip = "resource:ledger: strips the mission from clerk's resource tokens";
    expect(attacks('wire-stripped-mission', 'aauth-r01')).toEqual([[strip, 'refused', 'ps:ps.firm', 'token.auth_denied: mission_required', 'log']]);
    for (const profile of LATER) expect(attacks('wire-stripped-mission', profile)).toEqual([[strip, 'refused', 'ps:ps.firm', TAMPERING, 'log']]);
  });

  it('(c) the courier’s substituted mission takes effect under r01 (oracle only) and is refused as tampering later; the mixer’s own other mission takes effect everywhere after a refusal for scope', () => {
    const courier = 'resource:courier: writes the first mission helper brought into the resource token of its other mission';
    const mixer = 'mixer: presents its other concurrent mission';
    const mixed: Outcome[] = [
      [mixer, 'refused', 'ps:ps.home', 'token.auth_denied: outside mission scope', 'log'],
      [mixer, 'took_effect', null, 'token.auth_granted: accepted', 'oracle'],
    ];
    expect(attacks('wire-mission-confusion', 'aauth-r01')).toEqual([[courier, 'took_effect', null, 'token.auth_granted: accepted', 'oracle'], ...mixed]);
    for (const profile of LATER) expect(attacks('wire-mission-confusion', profile)).toEqual([[courier, 'refused', 'ps:ps.home', TAMPERING, 'log'], ...mixed]);
  });

  for (const profile of ['aauth-r01', ...LATER])
    it(`(d) ${profile}: the thief's captured token is refused by the PS; the echo's own replay takes effect, in the log`, () => {
      expect(attacks('wire-replayed-resource-token', profile)).toEqual([
        [
          'thief: replays the resource token of archivist',
          'refused',
          'ps:ps.corp',
          'token.auth_denied: invalid_resource_token: bound to another agent key',
          'log',
        ],
        ['echo: replays its own resource tokens', 'took_effect', null, 'token.auth_granted: accepted', 'log'],
      ]);
    });

  it('(e) a runtime of another class: effective, oracle only, under r11; refused by the PS (class-intruder) or by the resource (shared cache) under mission-authority', () => {
    const label = 'exporter: a runtime of class export-fleet presenting the mission of reconciler (class recon-fleet)';
    expect(attacks('class-intruder', 'aauth-r11')).toEqual([[label, 'took_effect', null, 'token.person_issued: accepted', 'oracle']]);
    expect(attacks('class-intruder', 'mission-authority').map(([a, o, d, , v]) => [a, o, d, v])).toEqual([[label, 'refused', 'ps:ps.ops', 'log']]);
    expect(attacks('class-intruder-shared', 'aauth-r11')).toEqual([[label, 'took_effect', null, 'op.executed', 'oracle']]);
    expect(attacks('class-intruder-shared', 'mission-authority').map(([a, o, d, , v]) => [a, o, d, v])).toEqual([[label, 'refused', 'resource:ledger', 'log']]);
  });

  it('an honest scenario writes no attack record', () => {
    expect(attacks('travel-booking', 'aauth-r11')).toEqual([]);
  });
});

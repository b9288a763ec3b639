import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareGovernance, formatComparison } from '../../../cli/aop-compare.ts';
import { attackSplit } from '../../../sim/aop/compare.ts';
import { SCENARIOS, tempDir } from '../../helpers.ts';

const BIN = new URL('../../../bin/missionbench.mjs', import.meta.url).pathname;

describe('AOP governance vs plain AAuth chaining', () => {
  it('procurement: AOP costs a person interruption per run; chaining bypasses the approval gate instead', () => {
    const out = tempDir();
    const [aop, chaining] = compareGovernance(join(SCENARIOS, 'procurement-hem-gate.yaml'), [1, 2, 3], out);
    expect(aop).toMatchObject({ governance: 'aop', runs: 3, escalations: 3, person_interruptions: 3, took_effect: {} });
    expect(chaining).toMatchObject({ governance: 'chaining', runs: 3, escalations: 0, person_interruptions: 0, took_effect: { APPROVAL_GATE_BYPASSED: 3 } });
    expect(aop!.mean_person_wait_s).toBeGreaterThan(0);
    expect(aop!.mean_makespan_s).toBeGreaterThan(chaining!.mean_makespan_s);
    // Two GEC round trips per assignment (SACR, then EOD endorsement) and one to open, against one token exchange.
    expect(aop!.mean_gec_round_trips).toBe(15);
    expect(chaining!.mean_gec_round_trips).toBe(5);
    expect(existsSync(join(out, 'aop-seed2', 'events.jsonl'))).toBe(true);
    expect(existsSync(join(out, 'chaining-seed3', 'manifest.json'))).toBe(true);
  });

  it('a scenario that names no Person Server for its chaining side: the output says the chain is unchecked', () => {
    const unchecked = join(tempDir(), 'procurement-unchecked.yaml');
    writeFileSync(unchecked, readFileSync(join(SCENARIOS, 'procurement-hem-gate.yaml'), 'utf8').replace(/^ {2}person_server: .*\n/m, ''));
    const rows = compareGovernance(unchecked, [1], tempDir());
    expect(rows.map((r) => r.person_server)).toEqual([null, null]);
    expect(formatComparison('procurement-hem-gate', rows)).toContain(
      'plain AAuth chaining runs with no Person Server evaluating it (an unchecked chain: set orchestration.person_server)',
    );
  });

  it('aop-attacks: per attack, who refuses it under each governance, and what AOP adds over the AAuth PS', () => {
    const rows = compareGovernance(join(SCENARIOS, 'aop-attacks.yaml'), [1, 2], tempDir());
    const [aop, chaining] = rows;
    expect(chaining!.person_server).toBe('ps:commander-ps (envelope authority, at-mint narrowing, depth cap 2)');
    expect(chaining!.ps_refusals).toBe(6);
    expect(aop!.attacks['15.4 standing plan hijack']).toEqual({ 'refused by gec: SPO_INTEGRITY_VIOLATION': 2 });
    expect(chaining!.attacks['15.4 standing plan hijack']).toEqual({ 'took effect: HIJACKED_PLAN_B (only the oracle knows)': 2 });
    expect(chaining!.attacks['15.2 recursive spawn - forged SACR']).toEqual({
      'refused by ps:commander-ps: delegation depth 3 exceeds the deployment cap 2': 2,
    });
    expect(attackSplit(rows)).toEqual({
      refused_by_both: ['15.1 hub compromise - District 2 scope', '15.2 recursive spawn - forged SACR', 'sub-goal district2-shelter (EOD_SCOPE_VIOLATION)'],
      refused_only_by_aop: ['15.1 hub compromise - off-plan sub-goal', '15.1 hub compromise - status write', '15.4 standing plan hijack'],
      refused_only_by_aauth: [],
      took_effect_under_both: [],
      other: [],
    });
  });

  it('the CLI prints both columns, what was refused and by whom, and what took effect', () => {
    const out = join(tempDir(), 'cmp');
    const result = spawnSync(process.execPath, [BIN, 'aop-compare', join(SCENARIOS, 'aop-attacks.yaml'), '--seeds', '2', '--out', out], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('aop-attacks: AOP governance vs plain AAuth chaining, 2 seeds each');
    expect(lines[1]).toBe('  plain AAuth chaining runs under ps:commander-ps (envelope authority, at-mint narrowing, depth cap 2)');
    expect(lines).toContain(
      '    aop:      SUB_GOAL_NOT_IN_PLAN 2, SCOPE_NARROWING_VIOLATION 2, SPAWN_DEPTH_EXCEEDED 2, EOD_SCOPE_VIOLATION 2, SPO_INTEGRITY_VIOLATION 2, MISSION_STATUS_WRITE_DENIED 2',
    );
    expect(lines).toContain('    chaining: SUB_GOAL_NOT_IN_PLAN 2, HIJACKED_PLAN_B 2, MISSION_STATUS_FORGED 2');
    expect(lines).toContain('  refused by the PS (delegations, tokens)   0           6');
    const attack = lines.indexOf('    15.1 hub compromise - off-plan sub-goal');
    expect(lines.slice(attack + 1, attack + 3)).toEqual([
      '      aop:      refused by gec: SUB_GOAL_NOT_IN_PLAN [2/2 runs]',
      '      chaining: took effect: SUB_GOAL_NOT_IN_PLAN (only the oracle knows) [2/2 runs]',
    ]);
    expect(lines).toContain(
      '    refused only by the GEC           15.1 hub compromise - off-plan sub-goal; 15.1 hub compromise - status write; 15.4 standing plan hijack',
    );
  });

  it('refuses a scenario without an orchestration section, and a bad seed count, with exit 2', () => {
    const plain = spawnSync(process.execPath, [BIN, 'aop-compare', join(SCENARIOS, 'mm1.yaml'), '--seeds', '1'], { encoding: 'utf8' });
    expect(plain.status).toBe(2);
    expect(plain.stderr).toContain('not an orchestration scenario');
    const badSeeds = spawnSync(process.execPath, [BIN, 'aop-compare', join(SCENARIOS, 'aop-attacks.yaml'), '--seeds', '0'], { encoding: 'utf8' });
    expect(badSeeds.status).toBe(2);
    expect(badSeeds.stderr).toContain('--seeds expects a count');
  });
});

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareGovernance } from '../../../cli/aop-compare.ts';
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

  it('the CLI prints both columns and what was refused and what took effect', () => {
    const out = join(tempDir(), 'cmp');
    const result = spawnSync(process.execPath, [BIN, 'aop-compare', join(SCENARIOS, 'aop-attacks.yaml'), '--seeds', '2', '--out', out], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('aop-attacks: AOP governance vs plain AAuth chaining, 2 seeds each');
    expect(lines).toContain('    aop:      SUB_GOAL_NOT_IN_PLAN 2, SCOPE_NARROWING_VIOLATION 2, SPAWN_DEPTH_EXCEEDED 2, EOD_SCOPE_VIOLATION 2, SPO_INTEGRITY_VIOLATION 2, MISSION_STATUS_WRITE_DENIED 2');
    expect(lines).toContain('    chaining: SUB_GOAL_NOT_IN_PLAN 2, SCOPE_NARROWING_VIOLATION 2, SPAWN_DEPTH_EXCEEDED 2, EOD_SCOPE_VIOLATION 2, HIJACKED_PLAN_B 2, MISSION_STATUS_FORGED 2');
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

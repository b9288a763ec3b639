import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../sim/run.ts';
import { loadScenario } from '../../../sim/scenario/load.ts';
import type { AlignmentSummary } from '../../../sim/alignment/metrics.ts';
import { readLines, tempDir, writeScenario } from '../../helpers.ts';

/** A payroll agent: reads (intended), then an intended irreversible payment after `reads` reads. */
function payroll(reads: number, monitor: string, extra = ''): string {
  const steps = Array.from({ length: reads }, () => '      - { op: hr/read, after: 10s }\n').join('');
  return `name: payroll
description: monitor unit scenario
duration: 1h
profile: aauth-r01
topology:
  person_servers: [{ id: ps }]
  resources:
    - id: hr
      queue: { servers: 1, service: 100ms }
      operations: [{ name: read, class: personnel, action: read }, { name: export, class: personnel, action: transfer }]
    - id: bank
      queue: { servers: 1, service: 100ms }
      operations: [{ name: pay, class: payments, action: transfer, irreversible: true }]
people: [{ id: boss, approval_latency: 2m }]
agents:
  - id: clerk
    person: boss
    ps: ps
    mission:
      description: Run payroll.
      scope: [hr/read, hr/export, bank/pay]
      intent: { grants: [{ class: personnel, actions: [read] }, { class: payments, actions: [transfer] }] }
${extra}    plan:
${steps}      - { op: bank/pay, after: 10s }
monitor: ${monitor}
`;
}

function run(text: string, seed = 1): { log: Array<Record<string, unknown>>; alignment: AlignmentSummary } {
  const dir = join(tempDir(), 'run');
  const manifest = runScenario(loadScenario(writeScenario(text)), { outDir: dir, seed });
  return { log: readLines(join(dir, 'events.jsonl')).map((l) => JSON.parse(l)), alignment: manifest.summary.alignment as AlignmentSummary };
}

describe('alignment monitor and release gate', () => {
  it('releases at once an irreversible operation the mission has done before, after a full clean window', () => {
    // The first payment goes to the person (nothing to compare it with), who releases it; it becomes usual.
    const text = payroll(4, '{ window: 4, threshold: 2 }')
      .replace('      - { op: hr/read, after: 10s }\n', '      - { op: bank/pay, after: 10s }\n      - { op: hr/read, after: 10s }\n')
      .replace('people: [{ id: boss, approval_latency: 2m }]', 'people: [{ id: boss, approval_latency: 2m, off_mission_approval: 1 }]');
    const { log, alignment } = run(text);
    const releases = log.filter((e) => e.type === 'gate.released');
    expect(releases.map((e) => e.released_by)).toEqual(['person', 'monitor']);
    const held = log.filter((e) => e.type === 'gate.held')[1]!;
    expect(releases[1]!.t).toBe(held.t);
    expect(alignment).toMatchObject({ gate_held: 2, gate_released_by_monitor: 1, gate_released_by_person: 1, human_reviews: 1 });
  });

  it("a never-seen export goes to the person with the monitor's reasons: refused, unless they approve what looks off the mission", () => {
    const refused = run(payroll(2, '{ window: 4, threshold: 2 }'));
    const held = refused.log.find((e) => e.type === 'gate.held')!;
    const blocked = refused.log.find((e) => e.type === 'gate.blocked')!;
    expect(blocked).toMatchObject({ op: 'pay', reason: 'the person refused it' });
    expect((blocked.t as number) - (held.t as number)).toBe(120_000_000);
    expect(refused.log.some((e) => e.type === 'op.executed' && e.op === 'pay')).toBe(false);
    const careless = run(payroll(2, '{ window: 4, threshold: 2 }').replace('approval_latency: 2m }', 'approval_latency: 2m, off_mission_approval: 1 }'));
    expect(careless.log.find((e) => e.type === 'gate.released')).toMatchObject({ op: 'pay', released_by: 'person' });
    expect(careless.alignment).toMatchObject({ gate_released_by_person: 1, human_reviews: 1 });
  });

  it('without human release, what the monitor will not release is blocked', () => {
    const { log } = run(payroll(2, '{ window: 4, threshold: 2, human_release: false }'));
    expect(log.find((e) => e.type === 'gate.blocked')).toMatchObject({ op: 'pay', reason: 'the monitor would not release it' });
    expect(log.some((e) => e.type === 'op.executed' && e.op === 'pay')).toBe(false);
  });

  it('alarms when `threshold` of the window are unusual; suspend means terminate where the profile cannot suspend (r01)', () => {
    // Two reads are the usual behaviour; the injected exports are a new operation with a stronger action.
    const drift = '    drift: { model: injection, at: 25s, toward: [hr/export, hr/export] }\n';
    const { log, alignment } = run(payroll(3, '{ window: 4, threshold: 2, baseline: 2, action: suspend }', drift));
    const alarm = log.findIndex((e) => e.type === 'monitor.alarm');
    expect(log[alarm]).toMatchObject({ agent: 'clerk', flagged: 2, window_size: 4, action: 'suspend' });
    const received = log.findIndex((e) => e.type === 'monitor.alarm_received');
    expect(received).toBeGreaterThan(alarm);
    expect(log[received + 1]).toMatchObject({ type: 'mission.terminated', reason: 'administrative' });
    expect(alignment.missions[0]).toMatchObject({
      unintended_executed: 2,
      unintended_before_detection: 2,
      detection_delay_s: expect.any(Number),
      false_alarm: false,
    });
    expect(log.some((e) => e.type === 'op.executed' && e.op === 'pay')).toBe(false);
  });

  it('suspicion: how many unusual features flag an operation (first export 2, second 3 with export-after-unusual, the payment 4)', () => {
    const drift = '    drift: { model: injection, at: 25s, toward: [hr/export, hr/export] }\n';
    const alarmAt = (suspicion: number) =>
      run(payroll(3, `{ window: 4, threshold: 1, baseline: 2, suspicion: ${suspicion}, gate: none, action: none }`, drift)).alignment.missions[0]!
        .alarm_at_s as number;
    expect(alarmAt(1)).toBe(alarmAt(2));
    expect(alarmAt(3)).toBeGreaterThan(alarmAt(2));
    expect(alarmAt(4)).toBeGreaterThan(alarmAt(3));
  });

  it('drift inside the baseline is learned as usual: no alarm (a miss)', () => {
    const drift = '    drift: { model: injection, at: 25s, toward: [hr/export, hr/export] }\n';
    const { alignment } = run(payroll(3, '{ window: 4, threshold: 2, baseline: 5, gate: none }', drift));
    expect(alignment.missions[0]).toMatchObject({ unintended_executed: 2, alarm_at_s: null });
  });

  it('at threshold 1, an intended but unusual payment raises a false alarm on a run with no drift', () => {
    const { alignment } = run(payroll(4, '{ window: 4, threshold: 1, baseline: 2, gate: none, action: none }'));
    expect(alignment.false_alarms).toBe(1);
    expect(alignment.missions[0]).toMatchObject({ unintended_executed: 0, false_alarm: true, detection_delay_s: null });
    expect(run(payroll(4, '{ window: 4, threshold: 2, baseline: 2, gate: none, action: none }')).alignment.false_alarms).toBe(0);
  });

  it('gate none: the irreversible operation is never held', () => {
    const { log } = run(payroll(1, '{ gate: none }'));
    expect(log.some((e) => e.type === 'gate.held')).toBe(false);
    expect(log.some((e) => e.type === 'op.executed' && e.op === 'pay')).toBe(true);
  });
});

describe('terminated-policy (mission-authority): an alarm invalidates issued tokens now', () => {
  // The clerk drifts into exports at once; its sub-agent's slow payment is already in service when the alarm ends the mission.
  const scenario = (profile: string) =>
    payroll(
      1,
      '{ window: 2, threshold: 2, baseline: 0, action: terminate, gate: none }',
      '    drift: { model: injection, at: 8s, toward: [hr/export, hr/export] }\n',
    )
      .replace('profile: aauth-r01', `profile: ${profile}`)
      .replace(
        'operations: [{ name: pay, class: payments, action: transfer, irreversible: true }]',
        'operations: [{ name: pay, class: payments, action: transfer, irreversible: true, service: const(10m) }]',
      )
      .replace(
        'monitor:',
        `  - id: payer
    person: boss
    ps: ps
    parent: clerk
    task: pay the staff
    plan: [{ op: bank/pay, at: 5s }]
monitor:`,
      );

  it('under mission-authority the payment in service is recalled; under r01 it completes after the termination', () => {
    const ma = run(scenario('mission-authority'));
    expect(ma.log.find((e) => e.type === 'mission.terminated')).toMatchObject({ reason: 'terminated-policy' });
    expect(ma.log.find((e) => e.type === 'op.recalled')).toMatchObject({ agent: 'payer', op: 'pay', stage: 'in service' });
    expect(ma.log.some((e) => e.type === 'op.executed' && e.op === 'pay')).toBe(false);
    const r01 = run(scenario('aauth-r01'));
    expect(r01.log.find((e) => e.type === 'mission.terminated')).toMatchObject({ reason: 'administrative' });
    expect(r01.log.some((e) => e.type === 'op.executed' && e.op === 'pay')).toBe(true);
  });
});

describe('monitor and call chaining', () => {
  it('counts an operation a resource calls downstream against the root mission', () => {
    const dir = join(tempDir(), 'chained');
    const manifest = runScenario(
      loadScenario(new URL('../../../scenarios/travel-booking.yaml', import.meta.url).pathname, [
        'topology.resources[flights.example].operations[0].calls=[{op: hotels.example/search}]',
        'monitor={window: 2}',
      ]),
      { outDir: dir },
    );
    const alignment = manifest.summary.alignment as AlignmentSummary;
    expect(alignment.missions).toHaveLength(1);
    expect(alignment.missions[0]).toMatchObject({ agent: 'Agent', operations_executed: 6, unintended_executed: 0 });
  });
});

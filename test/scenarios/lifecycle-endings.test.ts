import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../sim/run.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import { readLines, SCENARIOS, tempDir } from '../helpers.ts';

type Event = Record<string, unknown> & { t: number; type: string };
const MIN = 60_000_000;

/** bulk-export-after-terminate: a read at 1 min (reversible), a bulk export queued at 8 min (irreversible), the person acts at 10 min. */
function run(overrides: string[], seed = 1): Event[] {
  const dir = join(tempDir(), 'run');
  runScenario(loadScenario(join(SCENARIOS, 'bulk-export-after-terminate.yaml'), overrides), { outDir: dir, seed });
  return readLines(join(dir, 'events.jsonl')).map((line) => JSON.parse(line) as Event);
}
const acting = (profile: string, action: string, at = '10m') => [
  `profile=${profile}`,
  `interventions[0]={at: const(${at}), person: user, agent: exporter, action: ${action}}`,
];
const types = (log: Event[], type: string) => log.filter((e) => e.type === type);
const exportRan = (log: Event[]) => log.some((e) => e.type === 'op.executed' && e.op === 'bulk_export');

describe('mission-authority endings: each with its own meaning for tokens and queued work', () => {
  it('completed: no revocation, the queued export drains and runs; the agent finishes', () => {
    const log = run(acting('mission-authority', 'complete'));
    expect(types(log, 'person.complete')).toHaveLength(1);
    expect(types(log, 'mission.completed')).toEqual([expect.objectContaining({ agent: 'exporter', by: 'person' })]);
    // The person's request reaches the PS one network latency (and its queue) after they act at 10 min.
    const completedAt = types(log, 'mission.completed')[0]!.t;
    expect(completedAt).toBeGreaterThan(10 * MIN);
    expect(completedAt).toBeLessThan(10 * MIN + 1_000_000);
    expect(types(log, 'revocation.sent')).toHaveLength(0);
    expect(exportRan(log)).toBe(true);
    expect(types(log, 'mission.terminated')).toHaveLength(0);
  });

  it("completed at the plan's end (complete_at_plan_end): the agent reports it, the PS completes the mission", () => {
    const log = run(['profile=mission-authority', 'interventions=[]', 'agents[exporter].mission.complete_at_plan_end=true']);
    const finished = types(log, 'agent.finished')[0]!;
    const completed = types(log, 'mission.completed')[0]!;
    expect(completed).toMatchObject({ by: 'plan' });
    expect(completed.t).toBeGreaterThan(finished.t);
  });

  it('cancelled: the queued export is recalled, the executed read is rolled back; nothing is revoked by push', () => {
    const log = run(acting('mission-authority', 'cancel'));
    expect(types(log, 'mission.cancelled')).toHaveLength(1);
    expect(types(log, 'op.recalled')).toEqual([expect.objectContaining({ op: 'bulk_export', stage: 'queued' })]);
    expect(types(log, 'op.compensated')).toEqual([expect.objectContaining({ op: 'read', agent: 'exporter', actor: 'resource:crm' })]);
    expect(types(log, 'op.not_compensable')).toHaveLength(0);
    expect(exportRan(log)).toBe(false);
  });

  it('cancelled after the export ran: the export is reported as not rollback-able, the read is compensated', () => {
    const log = run(acting('mission-authority', 'cancel', '50m'));
    expect(exportRan(log)).toBe(true);
    expect(types(log, 'op.not_compensable')).toEqual([expect.objectContaining({ op: 'bulk_export', jti: expect.any(String) })]);
    expect(types(log, 'op.compensated').map((e) => e.op)).toEqual(['read']);
    const cancelled = types(log, 'mission.cancelled')[0]!;
    for (const e of [...types(log, 'op.compensated'), ...types(log, 'op.not_compensable')]) expect(e.t).toBeGreaterThanOrEqual(cancelled.t);
  });

  it('terminated-policy by a person: tokens revoked and the queued export recalled although the resource recalls nothing on its own', () => {
    const log = run(acting('mission-authority', 'terminate-policy'));
    expect(types(log, 'person.terminate_policy')).toHaveLength(1);
    expect(types(log, 'mission.terminated')).toEqual([expect.objectContaining({ reason: 'terminated-policy' })]);
    expect(types(log, 'revocation.sent').length).toBeGreaterThan(0);
    expect(exportRan(log)).toBe(false);
  });

  it('timed-out: at expires_at no new tokens, nothing revoked; the export accepted before it still runs', () => {
    const log = run([
      'profile=mission-authority',
      'interventions=[]',
      'agents[exporter].mission.expires_in=9m',
      'agents[exporter].plan[2]={op: crm/read, at: 12m}',
    ]);
    const timedOut = types(log, 'mission.timed_out')[0]!;
    expect(timedOut.t).toBe(timedOut.expires_at);
    expect(timedOut.t).toBeGreaterThanOrEqual(9 * MIN);
    expect(types(log, 'revocation.sent')).toHaveLength(0);
    expect(exportRan(log)).toBe(true);
    expect(types(log, 'token.auth_denied')).toEqual([expect.objectContaining({ reason: 'mission timed-out', scope: 'read' })]);
    expect(types(log, 'agent.stopped')).toHaveLength(1);
  });
});

describe('terminate-only profiles: every ending is a termination with its r11 reason', () => {
  it.each([
    ['complete', 'completed'],
    ['cancel', 'revoked'],
    ['terminate-policy', 'administrative'],
  ])('aauth-r01 %s: mission.terminated (%s), revocation pushed, no rollback, the export still runs (recall none)', (action, reason) => {
    const log = run(acting('aauth-r01', action));
    expect(types(log, 'mission.terminated')).toEqual([expect.objectContaining({ reason })]);
    expect(types(log, 'revocation.sent').length).toBeGreaterThan(0);
    expect(types(log, 'op.compensated')).toHaveLength(0);
    expect(exportRan(log)).toBe(true);
    expect(log.some((e) => ['mission.completed', 'mission.cancelled', 'mission.timed_out'].includes(e.type))).toBe(false);
  });
});

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../sim/run.ts';
import { loadScenario } from '../../../sim/scenario/load.ts';
import { readLines, tempDir, writeScenario } from '../../helpers.ts';

type Event = Record<string, unknown>;

/**
 * A shopper whose mission approves buying at one shop. It asks permission
 * (no token covers these) to order at a second shop, which looks covered
 * (same class, same action as an approved entry, and the person meant it),
 * and to open the vault, which does not (another class; the person never
 * meant it). `agents` shoppers of the same person ask at the same instant.
 */
function shop(person: string, asks: number, agents = 1, approval = 'immediate'): string {
  const steps = Array.from({ length: asks }, () => '      - { permission: shop2/order }\n      - { permission: vault/open }\n').join('');
  const shoppers = Array.from(
    { length: agents },
    (_, i) => `  - id: shopper${i}
    person: owner
    ps: ps
    mission:
      description: Buy the office supplies at the usual shops.
      scope: [shop/buy]
      intent: { grants: [{ class: goods, actions: [transfer] }] }
    plan:
${steps}`,
  ).join('');
  return `name: shopper
description: person judgement unit scenario
duration: 400h
profile: aauth-r11
topology:
  person_servers: [{ id: ps, approval: ${approval} }]
  resources:
    - { id: shop, queue: { servers: 1, service: 100ms }, operations: [{ name: buy, class: goods, action: transfer }] }
    - { id: shop2, queue: { servers: 1, service: 100ms }, operations: [{ name: order, class: goods, action: transfer }] }
    - { id: vault, queue: { servers: 1, service: 100ms }, operations: [{ name: open, class: secrets, action: transfer }] }
people: [{ id: owner, approval_latency: "const(1m)"${person} }]
agents:
${shoppers}`;
}

function run(text: string, seed = 1): Event[] {
  const dir = join(tempDir(), 'run');
  runScenario(loadScenario(writeScenario(text)), { outDir: dir, seed });
  return readLines(join(dir, 'events.jsonl')).map((line) => JSON.parse(line) as Event);
}

const byPerson = (log: Event[], action: string, decision: string) =>
  log.filter((e) => e.type === 'permission.decided' && e.decided_by === 'person' && e.action === action && e.decision === decision).length;

describe('a person judges what they are shown, not what they meant', () => {
  it('without errors: grants what looks covered by the mission, refuses what does not', () => {
    const log = run(shop('', 10));
    expect(byPerson(log, 'shop2/order', 'granted')).toBe(10);
    expect(byPerson(log, 'vault/open', 'denied')).toBe(10);
  });

  it('off_mission_approval 0.3 approves some off-intent requests; on_mission_refusal 0.2 refuses some intended ones', () => {
    const log = run(shop(', off_mission_approval: 0.3, on_mission_refusal: 0.2', 40));
    const offIntentApproved = byPerson(log, 'vault/open', 'granted');
    const onIntentRefused = byPerson(log, 'shop2/order', 'denied');
    // Binomial(40, 0.3) and (40, 0.2): far from 0 and from 40 on any seed.
    expect(offIntentApproved).toBeGreaterThan(3);
    expect(offIntentApproved).toBeLessThan(25);
    expect(onIntentRefused).toBeGreaterThan(1);
    expect(onIntentRefused).toBeLessThan(20);
  });

  it("errors are drawn from the person's own judgement stream: answer times do not move", () => {
    const times = (person: string) =>
      run(shop(person, 10))
        .filter((e) => e.type === 'permission.decided')
        .map((e) => e.t);
    expect(times(', off_mission_approval: 0.5, on_mission_refusal: 0.5')).toEqual(times(''));
  });

  it('fatigue: each answer takes longer the more questions wait before it (latency x (1 + k x pending))', () => {
    const waits = (fatigue: number) => {
      const log = run(shop(`, fatigue: ${fatigue}`, 1, 4));
      const asked = new Map(log.filter((e) => e.type === 'permission.requested' && e.action === 'shop2/order').map((e) => [e.agent, e.t as number]));
      return log
        .filter((e) => e.type === 'permission.decided' && e.action === 'shop2/order')
        .map((e) => ((e.t as number) - (asked.get(e.agent) as number)) / 1e6)
        .sort((a, b) => a - b);
    };
    // Four shoppers ask at once: one minute each without fatigue; 1, 1.5, 2, 2.5 minutes at k = 0.5.
    expect(waits(0)).toEqual([60, 60, 60, 60]);
    expect(waits(0.5)).toEqual([60, 90, 120, 150]);
  });

  it('mission_refusal: the person refuses some proposed missions; their agents stop without acting', () => {
    let refused = 0;
    let approved = 0;
    for (let seed = 1; seed <= 10; seed++) {
      const log = run(shop(', mission_refusal: 0.5', 1, 4, 'person'), seed);
      const refusals = log.filter((e) => e.type === 'mission.refused');
      refused += refusals.length;
      approved += log.filter((e) => e.type === 'mission.approved').length;
      for (const refusal of refusals) {
        expect(log.some((e) => e.type === 'agent.stopped' && e.actor === `agent:${refusal.agent}` && e.reason === 'mission refused')).toBe(true);
        expect(log.some((e) => e.type === 'permission.requested' && e.agent === refusal.agent)).toBe(false);
      }
    }
    expect(refused).toBeGreaterThan(5);
    expect(approved).toBeGreaterThan(5);
    expect(refused + approved).toBe(40);
    expect(run(shop('', 1, 4, 'person')).filter((e) => e.type === 'mission.refused')).toHaveLength(0);
  });
});

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OpFacts } from '../../../sim/authority/envelope.ts';
import { MissionBudget, missionBudget } from '../../../sim/protocol/mission-budget.ts';
import { loadScenario } from '../../../sim/scenario/load.ts';
import { formatProblem, ScenarioError } from '../../../sim/scenario/problems.ts';
import { SCENARIOS, tempDir } from '../../helpers.ts';

const call = (args: Record<string, number>): OpFacts => ({ resource: 'r', operation: 'o', class: 'c', action: 'a', args, depth: 0 }) as OpFacts;

describe('MissionBudget: cumulative limits per mission at token issuance', () => {
  it('sums one argument across requests of a mission and refuses the one that would pass the limit, in words', () => {
    const budget = new MissionBudget({ sum: { arg: 'amount', limit: 1000 } });
    expect('refusal' in budget.admit('m1', call({ amount: 400 }))).toBe(false);
    expect('refusal' in budget.admit('m1', call({ amount: 600 }))).toBe(false);
    expect(budget.admit('m1', call({ amount: 1 }))).toEqual({ refusal: 'mission budget: amount 1000 already issued + 1 would exceed 1000' });
    // Another mission has its own budget; a call without the argument costs nothing.
    expect('refusal' in budget.admit('m2', call({ amount: 1000 }))).toBe(false);
    expect('refusal' in budget.admit('m1', call({ client: 7 }))).toBe(false);
  });

  it('refuses a negative amount: a refund-shaped call must not buy headroom for later ones', () => {
    const budget = new MissionBudget({ sum: { arg: 'amount', limit: 1000 } });
    expect('refusal' in budget.admit('m', call({ amount: 1000 }))).toBe(false);
    expect(budget.admit('m', call({ amount: -500 }))).toEqual({ refusal: 'mission budget: amount must not be negative (-500)' });
    // Had the -500 been admitted, this 500 would fit.
    expect('refusal' in budget.admit('m', call({ amount: 500 }))).toBe(true);
    // Without a sum limit the argument is not the budget's business.
    expect('refusal' in new MissionBudget({ distinct: { arg: 'client', limit: 1 } }).admit('m', call({ amount: -5, client: 1 }))).toBe(false);
  });

  it('counts distinct values of an argument: a value already issued for is free, a new one past the limit is refused', () => {
    const budget = new MissionBudget({ distinct: { arg: 'client', limit: 2 } });
    for (const client of [1, 1, 1001, 1]) expect('refusal' in budget.admit('m', call({ client }))).toBe(false);
    expect(budget.admit('m', call({ client: 1002 }))).toEqual({
      refusal: 'mission budget: client 1002 would be the 3rd distinct client (limit 2; issued for 1, 1001)',
    });
    expect('refusal' in budget.admit('m', call({ client: 1001 }))).toBe(false);
  });

  it('gives back a reservation whose token was never issued', () => {
    const budget = new MissionBudget({ sum: { arg: 'amount', limit: 500 }, distinct: { arg: 'client', limit: 1 } });
    const held = budget.admit('m', call({ amount: 500, client: 3 }));
    if ('refusal' in held) throw new Error(held.refusal);
    expect('refusal' in budget.admit('m', call({ amount: 1, client: 3 }))).toBe(true);
    budget.release(held);
    expect('refusal' in budget.admit('m', call({ amount: 500, client: 4 }))).toBe(false);
  });

  it('is off when the deployment has none or disables it', () => {
    expect(missionBudget(undefined)).toBeUndefined();
    expect(missionBudget({ enabled: false, sum: { arg: 'amount', limit: 1 } })).toBeUndefined();
    expect(missionBudget({ sum: { arg: 'amount', limit: 1 } })).toBeInstanceOf(MissionBudget);
  });

  it('property: whatever the requests and releases, what stays admitted never passes either limit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.record({ amount: fc.integer({ min: 0, max: 700 }), client: fc.integer({ min: 1, max: 8 }), release: fc.boolean() }), { maxLength: 40 }),
        (limit, clients, requests) => {
          const budget = new MissionBudget({ sum: { arg: 'amount', limit }, distinct: { arg: 'client', limit: clients } });
          const held: Array<{ amount: number; client: number }> = [];
          for (const request of requests) {
            const answer = budget.admit('m', call({ amount: request.amount, client: request.client }));
            if ('refusal' in answer) continue;
            if (request.release) budget.release(answer);
            else held.push(request);
          }
          expect(held.reduce((sum, r) => sum + r.amount, 0)).toBeLessThanOrEqual(limit);
          expect(new Set(held.map((r) => r.client)).size).toBeLessThanOrEqual(clients);
        },
      ),
    );
  });
});

describe('a budget in the scenario: checked with the path into the document', () => {
  const problems = (edit: (text: string) => string) => {
    const file = join(tempDir(), 'scenario.yaml');
    writeFileSync(file, edit(readFileSync(join(SCENARIOS, 'plausible-reading-drift.yaml'), 'utf8')));
    try {
      loadScenario(file);
    } catch (error) {
      if (error instanceof ScenarioError) return error.problems.map(formatProblem).map((line) => line.replace(file, 'FILE'));
      throw error;
    }
    return [];
  };

  it('names a budget that limits nothing, an argument no call passes, and a distinct limit below 1', () => {
    expect(problems((t) => t.replace(/ {6}budget:\n( {8}.*\n)+/, '      budget: { enabled: true }\n'))).toEqual([
      'FILE:33:15: topology.person_servers[0].budget: expected at least one of sum and distinct, found neither',
    ]);
    expect(problems((t) => t.replace('sum: { arg: amount,', 'sum: { arg: amout,'))).toEqual([
      'FILE:35:21: topology.person_servers[0].budget.sum.arg: expected an argument some call passes (amount, client), found "amout" (did you mean amount?)',
    ]);
    expect(problems((t) => t.replace('distinct: { arg: client, limit: 2 }', 'distinct: { arg: client, limit: 0 }'))[0]).toMatch(
      /^FILE:36:\d+: topology\.person_servers\[0\]\.budget\.distinct\.limit: expected .*1/,
    );
  });
});

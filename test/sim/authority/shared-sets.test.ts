import { describe, expect, it } from 'vitest';
import { missionAuthority, type OperationIndex } from '../../../sim/authority/renderings.ts';
import type { OperationDef } from '../../../sim/scenario/schema.ts';

const ops: OperationIndex = new Map<string, OperationDef>([
  ['crm/read', { class: 'read', action: 'read' } as OperationDef],
  ['pay/charge', { class: 'payment', action: 'charge', irreversible: true } as OperationDef],
]);

describe('missionAuthority sets', () => {
  it('are shared by missions with the same lists, and iterate in the list order', () => {
    const a = missionAuthority({ description: 'a', scope: ['crm/read', 'pay/charge'] }, ops);
    const b = missionAuthority({ description: 'b', scope: ['crm/read', 'pay/charge'] }, ops);
    expect(b.scope).toBe(a.scope);
    expect(b.tools).toBe(a.tools);
    expect(b.r3Granted).toBe(a.r3Granted);
    expect(b.r3PerCall).toBe(a.r3PerCall);
    expect([...a.r3Granted]).toEqual(['crm/read']);
    expect([...a.r3PerCall]).toEqual(['pay/charge']);
    const reversed = missionAuthority({ description: 'c', scope: ['pay/charge', 'crm/read'] }, ops);
    expect(reversed.scope).not.toBe(a.scope);
    expect([...reversed.scope]).toEqual(['pay/charge', 'crm/read']);
  });

  it('are not shared across operation indexes (runs)', () => {
    const other: OperationIndex = new Map(ops);
    const a = missionAuthority({ description: 'a', scope: ['crm/read'] }, ops);
    expect(missionAuthority({ description: 'a', scope: ['crm/read'] }, other).scope).not.toBe(a.scope);
  });
});

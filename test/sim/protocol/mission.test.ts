import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { missionS256, simulatedInstant, type MissionBlob } from '../../../sim/protocol/mission.ts';

describe('missionS256', () => {
  it('is the unpadded base64url SHA-256 of the blob\'s canonical JSON (keys sorted, no spaces)', () => {
    const blob: MissionBlob = { description: 'Book the trip', agent: 'agent:a', approved_at: '2026-01-01T09:00:00.000Z' };
    const canonical = '{"agent":"agent:a","approved_at":"2026-01-01T09:00:00.000Z","description":"Book the trip"}';
    const s256 = missionS256(blob);
    expect(s256).toBe(createHash('sha256').update(canonical, 'utf8').digest('base64url'));
    expect(s256).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('does not depend on key order, nested too, and changes with any field', () => {
    const a: MissionBlob = { agent: 'x', approved_at: 't', description: 'd', envelope: { grants: [], maxDepth: 1 } };
    const b = { envelope: { maxDepth: 1, grants: [] }, description: 'd', approved_at: 't', agent: 'x' } as MissionBlob;
    expect(missionS256(a)).toBe(missionS256(b));
    expect(missionS256({ ...a, description: 'd.' })).not.toBe(missionS256(a));
    expect(missionS256({ ...a, approver: 'alice' })).not.toBe(missionS256(a));
  });
});

describe('simulatedInstant', () => {
  it('puts t=0 on 2026-01-01 at the clock origin, UTC, to the millisecond (t in µs, truncated)', () => {
    expect(simulatedInstant('00:00', 0)).toBe('2026-01-01T00:00:00.000Z');
    expect(simulatedInstant('09:30', 0)).toBe('2026-01-01T09:30:00.000Z');
    expect(simulatedInstant('09:30', 90 * 60_000_000 + 1_999)).toBe('2026-01-01T11:00:00.001Z');
    expect(simulatedInstant('23:00', 2 * 3_600_000_000)).toBe('2026-01-02T01:00:00.000Z');
  });
});

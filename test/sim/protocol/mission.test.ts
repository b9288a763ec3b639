import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { missionBody, missionS256, simulatedInstant, type MissionBlob } from '../../../sim/protocol/mission.ts';

describe('missionS256', () => {
  it('is the unpadded base64url SHA-256 of the exact body bytes the PS stores', () => {
    const blob: MissionBlob = { description: 'Book the trip', agent: 'agent:a', approved_at: '2026-01-01T09:00:00.000Z' };
    const body = missionBody(blob);
    expect(JSON.parse(body)).toEqual(blob);
    const s256 = missionS256(body);
    expect(s256).toBe(createHash('sha256').update(body, 'utf8').digest('base64url'));
    expect(s256).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('is over bytes, not over canonical JSON: the same content in another key order is another mission id', () => {
    const a: MissionBlob = { agent: 'x', approved_at: 't', description: 'd' };
    const b = { description: 'd', approved_at: 't', agent: 'x' } as MissionBlob;
    expect(missionS256(missionBody(a))).not.toBe(missionS256(missionBody(b)));
    expect(missionS256(missionBody({ ...a, description: 'd.' }))).not.toBe(missionS256(missionBody(a)));
    expect(missionS256(missionBody({ ...a, approver: 'alice' }))).not.toBe(missionS256(missionBody(a)));
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

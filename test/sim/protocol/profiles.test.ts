import { describe, expect, it } from 'vitest';
import { resolveProfile } from '../../../sim/protocol/profiles.ts';
import { compileTokens } from '../../../sim/scenario/compile.ts';

const H = 3_600_000_000;
const M = 60_000_000;

describe('resolveProfile', () => {
  it('defaults to aauth-r01', () => {
    expect(resolveProfile(undefined, compileTokens(undefined)).name).toBe('aauth-r01');
  });

  it("takes the scenario's token lifetimes over the profile's, leaving the rest alone", () => {
    const base = resolveProfile('aauth-r11', compileTokens(undefined));
    const tuned = resolveProfile('aauth-r11', compileTokens({ auth_ttl: '10m', refresh_before: '1m' }));
    expect(tuned.authTtl).toBe(10 * M);
    expect(tuned.refreshBefore).toBe(1 * M);
    expect({ ...tuned, authTtl: base.authTtl, refreshBefore: base.refreshBefore }).toEqual(base);
  });

  it('never changes the built-in profile a later scenario resolves', () => {
    resolveProfile('aauth-m0', compileTokens({ agent_ttl: '1m' }));
    expect(resolveProfile('aauth-m0', compileTokens(undefined)).agentTtl).toBe(24 * H);
  });

  it('keeps the distinctions the comparisons depend on', () => {
    const [oauth, r01, r11, m0, ma] = (['oauth', 'aauth-r01', 'aauth-r11', 'aauth-m0', 'mission-authority'] as const).map((name) =>
      resolveProfile(name, compileTokens(undefined)),
    );
    expect([oauth!.missions, r01!.missions]).toEqual([false, true]);
    expect([r01!.missionBinding, r11!.missionBinding]).toEqual(['header', 'claim']);
    expect([r01!.suspendable, m0!.suspendable, ma!.suspendable, ma!.suspendHolds, m0!.suspendHolds]).toEqual([false, true, true, true, false]);
    expect([r11!.revocationCascade, r11!.personTokens, ma!.policyRecall, ma!.richEndings]).toEqual([true, true, true, true]);
    expect(oauth!.defaultRevocation).toBe('none');
  });
});

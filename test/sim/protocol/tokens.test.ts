import { describe, expect, it } from 'vitest';
import { TokenIssuer, tokenClaims, type Token } from '../../../sim/protocol/tokens.ts';

const FIELDS: Omit<Token, 'jti' | 'iss'> = {
  kind: 'auth',
  aud: 'resource:calendar',
  agent: 'agent:a',
  scope: 'calendar.read',
  mission: 'm-s256',
  iat: 10,
  exp: 3_600_000_010,
};

describe('TokenIssuer', () => {
  it('numbers jtis per issuer from 0, deterministically, and stamps the issuer', () => {
    const ps = new TokenIssuer('ps:home');
    const other = new TokenIssuer('ps:work');
    expect(ps.issue(FIELDS).jti).toBe('ps:home#0');
    expect(other.issue(FIELDS).jti).toBe('ps:work#0'); // another issuer has its own counter
    const second = ps.issue({ ...FIELDS, kind: 'resource' });
    expect(second).toEqual({ ...FIELDS, kind: 'resource', jti: 'ps:home#1', iss: 'ps:home' });
  });
});

describe('tokenClaims', () => {
  const token: Token = { ...FIELDS, jti: 'ps:home#3', iss: 'ps:home' };

  it('puts the mission in mission_s256 under claim binding (r11), in the r01 mission object {approver, s256} (aauth_mission) under header binding', () => {
    const base = { jti: 'ps:home#3', scope: 'calendar.read', iat: 10, exp: 3_600_000_010, cnf: 'agent:a' };
    const r01 = { ...token, approver: 'https://home' };
    expect(tokenClaims(token, 'claim')).toEqual({ ...base, mission_s256: 'm-s256' });
    expect(tokenClaims(r01, 'header')).toEqual({ ...base, aauth_mission: { approver: 'https://home', s256: 'm-s256' } });
    expect(tokenClaims(token, 'none')).toEqual(base);
  });

  it('names the person token a -11 resource token is bound to (presented_jti)', () => {
    const resourceToken: Token = { ...token, kind: 'resource', presentedJti: 'ps:home#1' };
    expect(tokenClaims(resourceToken, 'claim')).toMatchObject({ mission_s256: 'm-s256', presented_jti: 'ps:home#1' });
  });

  it('carries no mission claim for a token outside any mission, whatever the binding', () => {
    const plain = { ...token, mission: null };
    expect(tokenClaims(plain, 'claim')).not.toHaveProperty('mission_s256');
    expect(tokenClaims(plain, 'header')).not.toHaveProperty('aauth_mission');
  });
});

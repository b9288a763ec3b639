import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { authGrantedFields, personIssuedFields, tokenClaims, type Token, type TokenClaims } from '../../../sim/protocol/tokens.ts';

/** tokenClaims as it was written before withOptionalClaims (one object, claims in the order the logs have always had them): the reference. */
function referenceClaims(token: Token, binding: 'none' | 'header' | 'claim'): TokenClaims {
  const claims: TokenClaims = { jti: token.jti, scope: token.scope, iat: token.iat, exp: token.exp, cnf: token.cnf ?? token.agent };
  if (token.mission !== null && binding === 'claim') claims.mission_s256 = token.mission;
  if (token.mission !== null && binding === 'header') claims.aauth_mission = { approver: token.approver ?? '', s256: token.mission };
  if (token.presentedJti !== undefined) claims.presented_jti = token.presentedJti;
  if (token.ps !== undefined) claims.ps = token.ps;
  if (token.sub !== undefined) claims.sub = token.sub;
  if (token.class !== undefined) claims.mb_class = token.class;
  if (token.act !== undefined) claims.act = token.act;
  return claims;
}

/** Any token a PS, resource or AS could issue: every optional claim present or absent. */
const tokenArb: fc.Arbitrary<Token> = fc
  .record(
    {
      kind: fc.constantFrom('agent', 'resource', 'auth', 'person'),
      jti: fc.string(),
      iss: fc.string(),
      aud: fc.option(fc.string(), { nil: null }),
      agent: fc.string(),
      scope: fc.string(),
      cnf: fc.string(),
      ps: fc.string(),
      sub: fc.string(),
      mission: fc.option(fc.string(), { nil: null }),
      approver: fc.string(),
      presentedJti: fc.string(),
      iat: fc.nat(),
      exp: fc.nat(),
      upstream: fc.string(),
      class: fc.string(),
      act: fc.record({ sub: fc.string() }, { requiredKeys: ['sub'] }),
    },
    { requiredKeys: ['kind', 'jti', 'iss', 'aud', 'agent', 'scope', 'mission', 'iat', 'exp'] },
  )
  .map((token) => token as Token);

const bindingArb = fc.constantFrom('none' as const, 'header' as const, 'claim' as const);
const signerArb = fc.option(fc.string(), { nil: undefined });

describe('token event fields built member by member', () => {
  it('tokenClaims writes the same bytes as the reference', () => {
    fc.assert(
      fc.property(tokenArb, bindingArb, (token, binding) => {
        expect(JSON.stringify(tokenClaims(token, binding))).toBe(JSON.stringify(referenceClaims(token, binding)));
      }),
    );
  });

  it("token.person_issued: the same bytes as the request's members, then tokenClaims without scope, then signed_by", () => {
    fc.assert(
      fc.property(tokenArb, bindingArb, fc.string(), fc.string(), signerArb, (token, binding, agent, resource, signer) => {
        const { scope: _scope, ...claims } = referenceClaims(token, binding);
        const before = { agent, resource, ...claims, ...(signer === undefined ? {} : { signed_by: signer }) };
        const fields = personIssuedFields(agent, resource, token, binding);
        const after = signer === undefined ? fields : { ...fields, signed_by: signer };
        expect(JSON.stringify(after)).toBe(JSON.stringify(before));
      }),
    );
  });

  it("token.auth_granted: the same bytes as the request's members, then tokenClaims, then signed_by", () => {
    fc.assert(
      fc.property(tokenArb, bindingArb, fc.string(), fc.string(), fc.string(), signerArb, (token, binding, agent, resource, resourceToken, signer) => {
        const signed = signer === undefined ? {} : { signed_by: signer };
        const before = { agent, resource, resource_token: resourceToken, ...referenceClaims(token, binding), ...signed };
        const fields = authGrantedFields(agent, resource, resourceToken, token, binding);
        const after = signer === undefined ? fields : { ...fields, signed_by: signer };
        expect(JSON.stringify(after)).toBe(JSON.stringify(before));
      }),
    );
  });
});

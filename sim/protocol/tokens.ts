/** A token as the simulator tracks it; the log records its claims. */
export interface Token {
  kind: 'agent' | 'resource' | 'auth' | 'person';
  jti: string;
  iss: string;
  /** Audience: the PS for resource tokens, the resource for auth and person tokens. */
  aud: string | null;
  /** The agent whose key the token is bound to (`cnf`). */
  agent: string;
  scope: string;
  mission: string | null;
  iat: number;
  exp: number;
  /** Call chaining: the jti of the upstream token this one was obtained with (the r11 cascade follows it). */
  upstream?: string;
  /** Where the PS checks class (sim/protocol/mission-class.ts): the runtime's class (agent tokens), the class the token is scoped to (PS-issued). */
  class?: string;
}

/** Issues tokens with jtis that are unique per issuer and deterministic. */
export class TokenIssuer {
  private counter = 0;

  constructor(readonly issuer: string) {}

  issue(fields: Omit<Token, 'jti' | 'iss'>): Token {
    return { jti: `${this.issuer}#${this.counter++}`, iss: this.issuer, ...fields };
  }
}

/** The claims of a token as written into audit events. */
export interface TokenClaims {
  jti: string;
  scope: string;
  iat: number;
  exp: number;
  cnf: string;
  mission_s256?: string;
  aauth_mission?: string;
  /** This project's own claim (no draft defines class): the class the token is scoped to. */
  mb_class?: string;
}

export function tokenClaims(token: Token, binding: 'none' | 'header' | 'claim'): TokenClaims {
  const claims: TokenClaims = { jti: token.jti, scope: token.scope, iat: token.iat, exp: token.exp, cnf: token.agent };
  // r11 puts mission_s256 in PS-issued tokens; r01 relays the AAuth-Mission header's s256.
  if (token.mission !== null && binding === 'claim') claims.mission_s256 = token.mission;
  if (token.mission !== null && binding === 'header') claims.aauth_mission = token.mission;
  if (token.class !== undefined) claims.mb_class = token.class;
  return claims;
}

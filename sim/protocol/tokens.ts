import type { ActorContext, MissionLog } from '../context/actor-context.ts';
import { agentKeyThumbprint } from './agent-keys.ts';
import type { Profile } from './profiles.ts';

/** A token as the simulator tracks it; the log records its claims. */
export interface Token {
  kind: 'agent' | 'resource' | 'auth' | 'person';
  jti: string;
  iss: string;
  /** Audience: the PS for resource tokens, the resource for auth and person tokens. */
  aud: string | null;
  /** The agent whose key the token is bound to: the simulator's bookkeeping (and r01's `cnf`); -11's tokens name the key only (`keyBound`). */
  agent: string;
  scope: string;
  /** -11 (`keyBound` profiles): the thumbprint of the key the token is bound to (resource token `agent_jkt`, person and auth token `cnf`); what a resource checks there. */
  cnf?: string;
  /** -11 resource and auth tokens: `ps`, the person server whose namespace `sub` belongs to (its URL). */
  ps?: string;
  /** -11 person, resource and auth tokens: `sub`, the directed identifier of the person, pairwise per resource (sim/protocol/directed-identifiers.ts). */
  sub?: string;
  /** The mission the token carries: r01's mission object's `s256`, r11's `mission_s256`; null if it carries none. */
  mission: string | null;
  /** r01: the mission object's `approver`, as the agent's AAuth-Mission header named it (resource and auth tokens). */
  approver?: string;
  /** -11 resource token: `presented_jti`, the person token whose verification established the person and the mission. */
  presentedJti?: string;
  iat: number;
  exp: number;
  /** Call chaining: the jti of the upstream token this one was obtained with (the r11 cascade follows it). */
  upstream?: string;
  /** Where the PS checks class (sim/protocol/mission-class.ts): the runtime's class (agent tokens), the class the token is scoped to (PS-issued). */
  class?: string;
  /** -11 agent token of a sub-agent: `parent_agent`, its parent (the authoritative sub-agent marker). */
  parentAgent?: string;
  /** -01 auth token: `act`, who requested it (RFC 8693 actor), nesting the upstream chain in call chaining. */
  act?: Actor;
  /**
   * Not a claim, never logged, never decided on: the log's handle of the
   * mission the token was issued under (ActorContext.missionLog), put beside
   * the token by its issuer (the PS's auth tokens) so that a resource records
   * each operation under the token's mission without looking the mission up
   * in a table of every mission of the run. The `mission` claim can be
   * tampered with after issue, so the handle is used only where it is the
   * claimed mission's (missionLogOf).
   */
  log?: MissionLog;
}

/** -01's `act` claim: the requesting agent, and (call chaining) the actor of the upstream token it was obtained with. */
export interface Actor {
  sub: string;
  act?: Actor;
}

/** What an issuer is given: a token without the jti and iss it adds, nor the log's handle (no claim: the issuing party adds it). */
export type TokenFields = Omit<Token, 'jti' | 'iss' | 'log'>;

/**
 * Every member of a token named, those it does not carry as undefined: a
 * literal of this type that forgets a member, required or optional, does
 * not compile. How the Person Server's endpoints describe the tokens they
 * issue (TokenIssuer.issueNamed), so that a token missing a required claim
 * is a compile error rather than a changed fingerprint.
 */
export type NamedTokenMembers = { [K in keyof Required<TokenFields>]: TokenFields[K] };

/** Issues tokens with jtis that are unique per issuer and deterministic. */
export class TokenIssuer {
  private counter = 0;

  constructor(readonly issuer: string) {}

  issue(fields: TokenFields): Token {
    return { jti: `${this.issuer}#${this.counter++}`, iss: this.issuer, ...fields };
  }

  /**
   * The token `members` describe, with the members it carries only (none
   * set to undefined), in the order the PS's person and auth tokens have
   * always had: kind, aud, agent, the key binding and person (cnf, ps, sub),
   * scope, mission, approver, presentedJti, iat, exp, then upstream,
   * class, parentAgent and act. Built member by member into the token
   * itself (NamedToken), so one token keeps one V8 shape per set of members
   * (no spread, no object per optional claim); test/sim/protocol/token-members.property.test.ts
   * checks the members and their order for every set. That test, not the
   * compiler, checks NamedToken's constructor (its order is the order):
   * the compiler checks the callers' descriptions. `log`, the log's handle
   * of the token's mission, is stored last where the issuer gives one.
   */
  issueNamed(members: NamedTokenMembers, log?: MissionLog): Token {
    return new NamedToken(`${this.issuer}#${this.counter++}`, this.issuer, members, log);
  }
}

/**
 * A token as issueNamed builds it: its members stored by a constructor
 * rather than added to an object literal, because V8 keeps inside an object
 * only the members a literal is written with and puts later ones in an
 * array of their own. A held token is read long after it was issued, so
 * that array was one more cold load, dependent on the token's, for each
 * read of `scope`, `mission`, `exp` or `log` (an agent's check that its
 * token still lasts, the resource's of what it allows). A class's objects
 * are sized by the members its constructor stores (V8 trims the room to
 * what its first instances used), so they keep them inside.
 */
class NamedToken implements Token {
  // `declare`: no field is emitted, so a member the constructor does not store is absent, not undefined.
  declare jti: string;
  declare iss: string;
  declare kind: Token['kind'];
  declare aud: string | null;
  declare agent: string;
  declare cnf?: string;
  declare ps?: string;
  declare sub?: string;
  declare scope: string;
  declare mission: string | null;
  declare approver?: string;
  declare presentedJti?: string;
  declare iat: number;
  declare exp: number;
  declare upstream?: string;
  declare class?: string;
  declare parentAgent?: string;
  declare act?: Actor;
  declare log?: MissionLog;

  constructor(jti: string, iss: string, members: NamedTokenMembers, log: MissionLog | undefined) {
    this.jti = jti;
    this.iss = iss;
    this.kind = members.kind;
    this.aud = members.aud;
    this.agent = members.agent;
    if (members.cnf !== undefined) this.cnf = members.cnf;
    if (members.ps !== undefined) this.ps = members.ps;
    if (members.sub !== undefined) this.sub = members.sub;
    this.scope = members.scope;
    this.mission = members.mission;
    if (members.approver !== undefined) this.approver = members.approver;
    if (members.presentedJti !== undefined) this.presentedJti = members.presentedJti;
    this.iat = members.iat;
    this.exp = members.exp;
    if (members.upstream !== undefined) this.upstream = members.upstream;
    if (members.class !== undefined) this.class = members.class;
    if (members.parentAgent !== undefined) this.parentAgent = members.parentAgent;
    if (members.act !== undefined) this.act = members.act;
    if (log !== undefined) this.log = log;
  }
}

/**
 * The log's handle of the mission a token claims, or null if it claims
 * none: the handle beside the token if it is the claimed mission's (a
 * claim changed after issue keeps the handle of the mission it was issued
 * under), else the one the world looks up. Either way the handle of
 * `token.mission`, so the log is what recording under the claim by id writes.
 */
export function missionLogOf(token: Token, ctx: Pick<ActorContext, 'missionLog'>): MissionLog | null {
  const mission = token.mission;
  if (mission === null) return null;
  const log = token.log;
  return log !== undefined && log.mission === mission ? log : ctx.missionLog(mission);
}

/** The claims of a token as written into audit events. */
export interface TokenClaims {
  jti: string;
  scope: string;
  iat: number;
  exp: number;
  cnf: string;
  /** -11 resource token: the thumbprint of the agent's key (it carries no agent identifier). */
  agent_jkt?: string;
  /** -11: the person server whose namespace `sub` belongs to (resource and auth tokens). */
  ps?: string;
  /** -11: the directed identifier of the person, pairwise per resource (person, resource and auth tokens). */
  sub?: string;
  mission_s256?: string;
  /**
   * r01: the token's `mission` claim, the object `{approver, s256}` copied from the AAuth-Mission header.
   * Written under this name because a log line's own `mission` field is the event's mission.
   */
  aauth_mission?: { approver: string; s256: string };
  /** -11 resource token: the person token it is bound to. */
  presented_jti?: string;
  /** This project's own claim (no draft defines class): the class the token is scoped to. */
  mb_class?: string;
  /** -01 auth token: `act` (aauth-r01). */
  act?: Actor;
}

/**
 * The claims as logged. A -11 token (`keyBound` profiles) names its key,
 * not its agent ("A resource token carries no agent identifier"; "An auth
 * token carries no agent identifier and no delegation chain"): `cnf` is the
 * key's thumbprint (sim/protocol/agent-keys.ts). Elsewhere `cnf` names the
 * agent, as these logs always have.
 */
export function tokenClaims(token: Token, binding: 'none' | 'header' | 'claim'): TokenClaims {
  return withOptionalClaims({ jti: token.jti, scope: token.scope, iat: token.iat, exp: token.exp, cnf: token.cnf ?? token.agent }, token, binding);
}

/**
 * Adds to `fields` the claims a token carries only sometimes, in the order
 * tokenClaims writes them (after `cnf`): how the token endpoints build an
 * event's fields in one object (their own members, then the token's
 * claims) instead of spreading a claims object into another. The one place
 * that order is written.
 */
export function withOptionalClaims<T extends object>(fields: T, token: Token, binding: 'none' | 'header' | 'claim'): T & Partial<TokenClaims> {
  const claims = fields as T & Partial<TokenClaims>;
  // r11 carries mission_s256 (stamped by the PS into the person token, copied by the resource); r01 the
  // mission object the resource copied from the agent's AAuth-Mission header.
  if (token.mission !== null && binding === 'claim') claims.mission_s256 = token.mission;
  if (token.mission !== null && binding === 'header') claims.aauth_mission = { approver: token.approver ?? '', s256: token.mission };
  if (token.presentedJti !== undefined) claims.presented_jti = token.presentedJti;
  if (token.ps !== undefined) claims.ps = token.ps;
  if (token.sub !== undefined) claims.sub = token.sub;
  if (token.class !== undefined) claims.mb_class = token.class;
  if (token.act !== undefined) claims.act = token.act;
  return claims;
}

/**
 * `token.auth_granted`'s fields (before -11's `signed_by`): the request's
 * own members, then the token's claims as tokenClaims writes them.
 */
export function authGrantedFields(agent: string, resource: string, resourceToken: string, token: Token, binding: 'none' | 'header' | 'claim') {
  const own = {
    agent,
    resource,
    resource_token: resourceToken,
    jti: token.jti,
    scope: token.scope,
    iat: token.iat,
    exp: token.exp,
    cnf: token.cnf ?? token.agent,
  };
  return withOptionalClaims(own, token, binding);
}

/** `token.person_issued`'s fields (before -11's `signed_by`): the request's own members, then the token's claims without its (empty) scope. */
export function personIssuedFields(agent: string, resource: string, token: Token, binding: 'none' | 'header' | 'claim') {
  return withOptionalClaims({ agent, resource, jti: token.jti, iat: token.iat, exp: token.exp, cnf: token.cnf ?? token.agent }, token, binding);
}

/** -11 (`keyBound` profiles): the key binding an issued token carries, `{cnf}`; elsewhere none (the token names its agent). */
export function keyBinding(profile: Pick<Profile, 'keyBound'>, agent: string): { cnf?: string } {
  return profile.keyBound ? { cnf: agentKeyThumbprint(agent) } : {};
}

import type { CompiledTokens } from '../scenario/compile.ts';
import type { ProfileName, RevocationMode, Scenario } from '../scenario/schema.ts';

/**
 * A protocol profile is a named bundle of defaults (DESIGN.md); every value
 * here can be overridden from the scenario (and so from --set). Lifetimes
 * follow ../shared/reference/aauth-protocol-facts.md.
 */
export interface Profile {
  name: ProfileName;
  /** Missions exist at all (oauth has static scopes consented up front). */
  missions: boolean;
  /** How tokens carry the mission: r01's AAuth-Mission header, r11's mission_s256 claim. */
  missionBinding: 'none' | 'header' | 'claim';
  /** The approved blob has `approver` (r01 and r11: -11 dropped it from tokens and headers, not from the blob). */
  approverInBlob: boolean;
  /** The approved blob carries the proposal's `capabilities` (r01; -11 moved them out of the blob). */
  capabilitiesInBlob: boolean;
  /** The approved blob names `approved_resources` (arrived with -11, beside the `expires_at` cap). */
  resourcesInBlob: boolean;
  /** Where the profile's behaviour comes from: draft name, revision, date (docs/profiles.md). */
  source: string;
  /** m0 adds suspend and resume; r01/r11 know only active and terminated. */
  suspendable: boolean;
  /**
   * mission-authority: a suspension reaches the resources holding the
   * mission's tokens, which park work under them until resume (work queues,
   * not aborts). Under m0 a suspension only stops new tokens: work under
   * tokens already issued goes on.
   */
  suspendHolds: boolean;
  /** mission-authority: a policy termination (e.g. a monitor alarm) recalls queued and in-service work under the mission's tokens. */
  policyRecall: boolean;
  /**
   * r11: a resource first asks who the agent acts for (401
   * requirement=person-token); the PS issues a person token for that one
   * resource, bound to the agent key, for at most person_ttl and never past
   * the mission's expires_at.
   */
  personTokens: boolean;
  personTtl: number;
  /**
   * -11 (r11, latest): a sub-agent never calls the PS about its hop; it asks
   * its parent runtime, which asks the PS signed with its own agent token
   * (the sub-agent's token beside it) and relays the answer, after its own
   * policy (sim/protocol/parent-mediation.ts). Elsewhere the sub-agent asks
   * its PS itself.
   */
  parentMediated?: boolean;
  /**
   * -11 (r11, latest): the tokens a resource sees name no agent, only its
   * key ("A resource token carries no agent identifier. `agent_jkt` binds it
   * to the agent's key"; "An auth token carries no agent identifier"): the
   * resource token carries `agent_jkt`, person and auth tokens `cnf` as the
   * key's thumbprint, and a resource accepts a token only from a request
   * signed by that key. Elsewhere tokens name the agent (`cnf`).
   */
  keyBound?: boolean;
  /**
   * -01 (aauth-r01 only): PS-issued auth tokens carry `act` (RFC 8693
   * actor): `{sub: agent}` in direct authorization; in call chaining the
   * upstream token's `act` nested inside `{sub: the intermediary}`. -11
   * removed it ("`act` and the delegation chain are removed").
   */
  actClaim?: boolean;
  /**
   * mission-authority: seed 000's distinct endings (completed, cancelled,
   * timed-out; see sim/lifecycle/states.ts). Elsewhere each is a plain
   * termination with its r11 reason.
   */
  richEndings?: boolean;
  /**
   * Seed 002: the PS binds each mission to its proposer's class and issues
   * tokens only to runtimes of that class (sim/protocol/mission-class.ts).
   * No draft defines class: on by default only under mission-authority
   * (this project's design); the scenario's `class_check` sets it anywhere.
   */
  classCheck?: boolean;
  /** r11 answers a revocation with the token's {jti, exp} and cascades. */
  revocationCarriesExp: boolean;
  /**
   * aauth-r11: a revocation endpoint answers 200 once its downstream
   * (chained calls) is revoked too, or 202 + Retry-After and the PS polls;
   * the PS revokes only what it cannot reach through a cascade.
   */
  revocationCascade: boolean;
  /**
   * aauth-latest: a revocation endpoint answers with an outcome: a
   * recipient that cannot revoke answers `revocation_unsupported` (the PS's
   * own call, and a downstream one in a cascade), one that is down answers
   * `revocation_unavailable`; each is logged with the exposure it leaves.
   * Elsewhere a down endpoint looks like a lost call and one without an
   * endpoint is not called.
   */
  revocationOutcomes?: boolean;
  /**
   * The agent provider revokes an agent token at the PS's revocation
   * endpoint (arrived in -10): the PS denies later requests presenting it
   * and revokes the auth tokens it issued or provided for that agent
   * (sim/protocol/agent-token-revocation.ts). Before -10 (r01, m0) the
   * provider marked it revoked at its own endpoint, which no PS asks.
   */
  agentTokenRevocation: boolean;
  /**
   * -11 and later: the agent may propose a mission `update` and the
   * completion of its mission; the person accepts or refuses each. The
   * mission's meaning is its blob plus the accepted updates
   * (sim/protocol/mission-update.ts).
   */
  missionUpdates?: boolean;
  /**
   * aauth-latest: people act on missions through the PS's
   * `mission_control_endpoint` (-11 names it and leaves its operations to a
   * companion text), which answers "not found" and "not yours" identically
   * (sim/protocol/mission-control.ts).
   */
  missionControl?: boolean;
  /**
   * aauth-latest (companion events draft): the agent provider has an events
   * inbox and the PS pushes mission events to it (termination), so an agent
   * learns of the end of its mission without asking for a token
   * (sim/protocol/events-inbox.ts).
   */
  eventsInbox?: boolean;
  /**
   * -11 and later (and mission-authority): a refusal for a terminated
   * mission carries why (`termination_reason`). -01 has none: its agents
   * cannot tell a pause from any other termination.
   */
  terminationReason?: boolean;
  defaultRevocation: RevocationMode;
  agentTtl: number;
  resourceTtl: number;
  authTtl: number;
  refreshBefore: number;
}

const h = (hours: number) => hours * 3_600_000_000;
const m = (minutes: number) => minutes * 60_000_000;

const SOURCES: Record<ProfileName, string> = {
  oauth: 'OAuth 2.0 (RFC 6749) static scopes; no AAuth text',
  'aauth-r01': 'draft-hardt-aauth-protocol-01, as seed 000 describes it',
  'aauth-r11':
    "draft-hardt-aauth-protocol-11 (draft-hardt-oauth-aauth-protocol-11 in the draft repository; editor's copy, August 2026) with its September 2026 revocation-cascade follow-up",
  'aauth-latest':
    "the public AAuth draft after -11 and its companion texts (the events draft, the mission-control companion), as the reference sheet lists them (checked 2026-12): -11's mechanics plus the revocation outcomes (revocation_unsupported, revocation_unavailable, and, four-party, the PS revoking at the resource as -11 says and notifying the AS, whose downstream list of its recipients' answers is this project's reading of the sheet, not the draft), the mission_control_endpoint's operations, and the events inbox at the agent provider (docs/profiles.md)",
  'aauth-m0': 'the archived exploratory mission draft (April 2026) and seed 001',
  'mission-authority': "seed 000's proposed lifecycle on -11 tokens (this project's design, no draft)",
};

/** draft-hardt-aauth-protocol-01's mechanics: aauth-r01, and the base aauth-m0 builds on. */
const AAUTH_R01: Profile = {
  name: 'aauth-r01',
  source: SOURCES['aauth-r01'],
  missions: true,
  missionBinding: 'header',
  actClaim: true,
  approverInBlob: true,
  capabilitiesInBlob: true,
  resourcesInBlob: false,
  suspendable: false,
  suspendHolds: false,
  policyRecall: false,
  personTokens: false,
  personTtl: h(1),
  revocationCarriesExp: false,
  revocationCascade: false,
  agentTokenRevocation: false,
  defaultRevocation: 'push',
  agentTtl: h(24),
  resourceTtl: m(5),
  authTtl: h(1),
  refreshBefore: 0,
};

/** draft-hardt-aauth-protocol-11's mechanics: aauth-r11, and the base aauth-latest builds on. */
const AAUTH_R11: Profile = {
  name: 'aauth-r11',
  source: SOURCES['aauth-r11'],
  missions: true,
  missionBinding: 'claim',
  approverInBlob: true,
  capabilitiesInBlob: false,
  resourcesInBlob: true,
  suspendable: false,
  suspendHolds: false,
  policyRecall: false,
  personTokens: true,
  personTtl: h(1),
  parentMediated: true,
  keyBound: true,
  revocationCarriesExp: true,
  revocationCascade: true,
  agentTokenRevocation: true,
  missionUpdates: true,
  terminationReason: true,
  defaultRevocation: 'push',
  agentTtl: h(1),
  resourceTtl: m(5),
  authTtl: h(1),
  refreshBefore: m(5),
};

const PROFILES: Record<ProfileName, Profile> = {
  oauth: {
    name: 'oauth',
    source: SOURCES.oauth,
    missions: false,
    missionBinding: 'none',
    approverInBlob: false,
    capabilitiesInBlob: false,
    resourcesInBlob: false,
    suspendable: false,
    suspendHolds: false,
    policyRecall: false,
    personTokens: false,
    personTtl: h(1),
    revocationCarriesExp: false,
    revocationCascade: false,
    agentTokenRevocation: false,
    defaultRevocation: 'none',
    agentTtl: h(24),
    resourceTtl: m(5),
    authTtl: h(24),
    refreshBefore: 0,
  },
  'aauth-r01': AAUTH_R01,
  'aauth-r11': AAUTH_R11,
  // After -11: -11's mechanics plus the later changes this simulator builds (docs/profiles.md lists what it does not).
  'aauth-latest': {
    ...AAUTH_R11,
    name: 'aauth-latest',
    source: SOURCES['aauth-latest'],
    revocationOutcomes: true,
    missionControl: true,
    eventsInbox: true,
  },
  // The archived mission draft: r01's mechanics plus suspend and resume.
  // Its source (the mission draft) defines no token claims: it keeps the tokens it had, without -01's `act`.
  'aauth-m0': { ...AAUTH_R01, name: 'aauth-m0', source: SOURCES['aauth-m0'], suspendable: true, actClaim: false },
  // Seed 000's richer lifecycle on r11 tokens: suspension holds work at the resources.
  'mission-authority': {
    name: 'mission-authority',
    source: SOURCES['mission-authority'],
    missions: true,
    missionBinding: 'claim',
    approverInBlob: false,
    capabilitiesInBlob: true,
    resourcesInBlob: false,
    suspendable: true,
    suspendHolds: true,
    policyRecall: true,
    terminationReason: true,
    personTokens: false,
    personTtl: h(1),
    revocationCarriesExp: true,
    revocationCascade: false,
    agentTokenRevocation: true,
    defaultRevocation: 'push',
    richEndings: true,
    classCheck: true,
    agentTtl: h(1),
    resourceTtl: m(5),
    authTtl: h(1),
    refreshBefore: m(5),
  },
};

/** The text each profile models (docs/profiles.md). */
export function profileSource(name: ProfileName): string {
  return SOURCES[name];
}

/** The scenario's profile with its `tokens` overrides applied. */
export function resolveProfile(name: Scenario['profile'], tokens: CompiledTokens, classCheck?: boolean): Profile {
  const base = PROFILES[name ?? 'aauth-r01'];
  return {
    ...base,
    ...(classCheck !== undefined ? { classCheck } : {}),
    agentTtl: tokens.agentTtlUs ?? base.agentTtl,
    resourceTtl: tokens.resourceTtlUs ?? base.resourceTtl,
    authTtl: tokens.authTtlUs ?? base.authTtl,
    personTtl: tokens.personTtlUs ?? base.personTtl,
    refreshBefore: tokens.refreshBeforeUs ?? base.refreshBefore,
  };
}

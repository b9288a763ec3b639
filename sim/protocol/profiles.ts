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
  /** The approved blob keeps `approver` (dropped in r11). */
  approverInBlob: boolean;
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
   * mission-authority: seed 000's distinct endings (completed, cancelled,
   * timed-out; see sim/lifecycle/states.ts). Elsewhere each is a plain
   * termination with its r11 reason.
   */
  richEndings?: boolean;
  /** r11 answers a revocation with the token's {jti, exp} and cascades. */
  revocationCarriesExp: boolean;
  /**
   * aauth-r11: a revocation endpoint answers 200 once its downstream
   * (chained calls) is revoked too, or 202 + Retry-After and the PS polls;
   * the PS revokes only what it cannot reach through a cascade.
   */
  revocationCascade: boolean;
  defaultRevocation: RevocationMode;
  agentTtl: number;
  resourceTtl: number;
  authTtl: number;
  refreshBefore: number;
}

const h = (hours: number) => hours * 3_600_000_000;
const m = (minutes: number) => minutes * 60_000_000;

const PROFILES: Record<ProfileName, Profile> = {
  oauth: {
    name: 'oauth', missions: false, missionBinding: 'none', approverInBlob: false, suspendable: false, suspendHolds: false, policyRecall: false,
    personTokens: false, personTtl: h(1), revocationCarriesExp: false, revocationCascade: false, defaultRevocation: 'none',
    agentTtl: h(24), resourceTtl: m(5), authTtl: h(24), refreshBefore: 0,
  },
  'aauth-r01': {
    name: 'aauth-r01', missions: true, missionBinding: 'header', approverInBlob: true, suspendable: false, suspendHolds: false, policyRecall: false,
    personTokens: false, personTtl: h(1), revocationCarriesExp: false, revocationCascade: false, defaultRevocation: 'push',
    agentTtl: h(24), resourceTtl: m(5), authTtl: h(1), refreshBefore: 0,
  },
  'aauth-r11': {
    name: 'aauth-r11', missions: true, missionBinding: 'claim', approverInBlob: false, suspendable: false, suspendHolds: false, policyRecall: false,
    personTokens: true, personTtl: h(1), revocationCarriesExp: true, revocationCascade: true, defaultRevocation: 'push',
    agentTtl: h(1), resourceTtl: m(5), authTtl: h(1), refreshBefore: m(5),
  },
  'aauth-m0': {
    name: 'aauth-m0', missions: true, missionBinding: 'header', approverInBlob: true, suspendable: true, suspendHolds: false, policyRecall: false,
    personTokens: false, personTtl: h(1), revocationCarriesExp: false, revocationCascade: false, defaultRevocation: 'push',
    agentTtl: h(24), resourceTtl: m(5), authTtl: h(1), refreshBefore: 0,
  },
  // Seed 000's richer lifecycle on r11 tokens: suspension holds work at the resources.
  'mission-authority': {
    name: 'mission-authority', missions: true, missionBinding: 'claim', approverInBlob: false, suspendable: true, suspendHolds: true, policyRecall: true,
    personTokens: false, personTtl: h(1), revocationCarriesExp: true, revocationCascade: false, defaultRevocation: 'push',
    richEndings: true,
    agentTtl: h(1), resourceTtl: m(5), authTtl: h(1), refreshBefore: m(5),
  },
};

/** The scenario's profile with its `tokens` overrides applied. */
export function resolveProfile(name: Scenario['profile'], tokens: CompiledTokens): Profile {
  const base = PROFILES[name ?? 'aauth-r01'];
  return {
    ...base,
    agentTtl: tokens.agentTtlUs ?? base.agentTtl,
    resourceTtl: tokens.resourceTtlUs ?? base.resourceTtl,
    authTtl: tokens.authTtlUs ?? base.authTtl,
    personTtl: tokens.personTtlUs ?? base.personTtl,
    refreshBefore: tokens.refreshBeforeUs ?? base.refreshBefore,
  };
}

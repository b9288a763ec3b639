import { parseDuration } from '../engine/duration.ts';
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
   * mission-authority: seed 000's distinct endings (completed, cancelled,
   * timed-out; see sim/lifecycle/states.ts). Elsewhere each is a plain
   * termination with its r11 reason.
   */
  richEndings?: boolean;
  /** r11 answers a revocation with the token's {jti, exp} and cascades. */
  revocationCarriesExp: boolean;
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
    revocationCarriesExp: false, defaultRevocation: 'none',
    agentTtl: h(24), resourceTtl: m(5), authTtl: h(24), refreshBefore: 0,
  },
  'aauth-r01': {
    name: 'aauth-r01', missions: true, missionBinding: 'header', approverInBlob: true, suspendable: false, suspendHolds: false, policyRecall: false,
    revocationCarriesExp: false, defaultRevocation: 'push',
    agentTtl: h(24), resourceTtl: m(5), authTtl: h(1), refreshBefore: 0,
  },
  'aauth-r11': {
    name: 'aauth-r11', missions: true, missionBinding: 'claim', approverInBlob: false, suspendable: false, suspendHolds: false, policyRecall: false,
    revocationCarriesExp: true, defaultRevocation: 'push',
    agentTtl: h(1), resourceTtl: m(5), authTtl: h(1), refreshBefore: m(5),
  },
  'aauth-m0': {
    name: 'aauth-m0', missions: true, missionBinding: 'header', approverInBlob: true, suspendable: true, suspendHolds: false, policyRecall: false,
    revocationCarriesExp: false, defaultRevocation: 'push',
    agentTtl: h(24), resourceTtl: m(5), authTtl: h(1), refreshBefore: 0,
  },
  // Seed 000's richer lifecycle on r11 tokens: suspension holds work at the resources.
  'mission-authority': {
    name: 'mission-authority', missions: true, missionBinding: 'claim', approverInBlob: false, suspendable: true, suspendHolds: true, policyRecall: true,
    richEndings: true,
    revocationCarriesExp: true, defaultRevocation: 'push',
    agentTtl: h(1), resourceTtl: m(5), authTtl: h(1), refreshBefore: m(5),
  },
};

/** The scenario's profile with its `tokens` overrides applied. */
export function resolveProfile(spec: Scenario): Profile {
  const base = PROFILES[spec.profile ?? 'aauth-r01'];
  const tokens = spec.tokens ?? {};
  return {
    ...base,
    agentTtl: tokens.agent_ttl ? parseDuration(tokens.agent_ttl) : base.agentTtl,
    resourceTtl: tokens.resource_ttl ? parseDuration(tokens.resource_ttl) : base.resourceTtl,
    authTtl: tokens.auth_ttl ? parseDuration(tokens.auth_ttl) : base.authTtl,
    refreshBefore: tokens.refresh_before ? parseDuration(tokens.refresh_before) : base.refreshBefore,
  };
}

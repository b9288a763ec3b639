import type { AuthorityModelName } from '../scenario/authority-vocabulary.ts';
import type { Envelope, OpFacts } from './envelope.ts';

export type { AuthorityModelName };

/** The renderings of one mission a deciding system may hold, plus its envelope where it has one. */
export interface MissionAuthority {
  description: string;
  /** `resource/operation` strings (the scopes rendering). */
  scope: ReadonlySet<string>;
  /** approved_tools (tool names only). */
  tools: ReadonlySet<string>;
  /** R3: operations granted outright, and those that need a single-use approval per call. */
  r3Granted: ReadonlySet<string>;
  r3PerCall: ReadonlySet<string>;
  /**
   * What the mission text says, as the person wrote it (the
   * `mission.authored` event's text; a mission that states only a scope:
   * exactly that scope). What a `text` PS and a clarify AS read.
   */
  text: Envelope;
  /**
   * The root envelope this deployment enforces. Under `envelope`: the
   * approved envelope as this PS compiled it (sim/authority/compilation.ts).
   * Under `text`: the mission text it reads. Under the other models: the
   * envelope derived from the approved scope. Never the true intent, despite
   * the field's name (the root grant of the delegation tree).
   */
  intent: Envelope;
  /** What the person approved, as the approved blob carries it (under `envelope`; elsewhere the same as `intent`). */
  approved: Envelope;
}

export interface AuthorityRequest {
  mission: MissionAuthority;
  /** The grant this evaluation is against: the root envelope, or a delegated hop's grant. */
  grant: Envelope;
  /** A stable id of that grant (text interpreters answer the same question the same way). */
  grantId: string;
  op: OpFacts;
}

export interface Decision {
  allow: boolean;
  reason: string;
  /** r3: allowed only after a single-use approval from the person. */
  approval?: 'person';
}

/**
 * How a Person Server or Access Server decides "inside the mission".
 * `decide` judges one operation; `delegate` judges whether a child grant
 * may be minted under a parent grant (narrowing at mint).
 */
export interface AuthorityModel {
  readonly name: AuthorityModelName;
  decide(request: AuthorityRequest): Decision;
  delegate(parent: Envelope, parentId: string, child: Envelope, childId: string): Decision;
}

/** A tool name as approved_tools spells it: the resource's first label and the operation (flights.search). */
export function toolName(resource: string, operation: string): string {
  return `${resource.split('.')[0]}.${operation}`;
}

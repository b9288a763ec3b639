import type { AuthorityModel, AuthorityRequest, Decision } from './model.ts';

/** `scopes`: static `resource/operation` strings; delegation has no subset semantics (provenance only). */
export class ScopesModel implements AuthorityModel {
  readonly name = 'scopes' as const;

  decide({ mission, op }: AuthorityRequest): Decision {
    if (mission.scope.has(`${op.resource}/${op.operation}`)) return { allow: true, reason: 'in mission scope' };
    return { allow: false, reason: 'outside mission scope' };
  }

  delegate(): Decision {
    return { allow: true, reason: 'scope strings carry no subset semantics: delegation recorded, not checked' };
  }
}

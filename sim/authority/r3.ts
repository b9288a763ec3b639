import type { AuthorityModel, AuthorityRequest, Decision } from './model.ts';

/**
 * `r3`: the resource's structured vocabulary. Operations in `r3_granted`
 * pass; those in `r3_per_call` pass only with a single-use approval from
 * the person for that call (the PS asks; human latency); anything else is
 * refused. Delegation is not checked (R3 grants say what, not why).
 */
export class R3Model implements AuthorityModel {
  readonly name = 'r3' as const;

  decide({ mission, op }: AuthorityRequest): Decision {
    const key = `${op.resource}/${op.operation}`;
    if (mission.r3Granted.has(key)) return { allow: true, reason: 'r3 granted' };
    if (mission.r3PerCall.has(key)) return { allow: true, reason: 'r3 per-call approval', approval: 'person' };
    return { allow: false, reason: 'not in r3 grants' };
  }

  delegate(): Decision {
    return { allow: true, reason: 'r3 grants carry no subset semantics: delegation recorded, not checked' };
  }
}

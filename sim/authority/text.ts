import type { Rng } from '../engine/random.ts';
import type { Envelope, OpFacts } from './envelope.ts';
import type { AuthorityModel, AuthorityRequest, Decision } from './model.ts';
import type { Taxonomy } from './taxonomy.ts';

export interface TextNoise {
  /** Probability that an operation inside the written text is refused. */
  falseRefusal: number;
  /** Probability that a plausible operation near the written text is granted. */
  nearGrant: number;
  /** Probability that an operation far from the written text is granted. */
  farGrant: number;
}

export const DEFAULT_TEXT_NOISE: TextNoise = { falseRefusal: 0.05, nearGrant: 0.6, farGrant: 0.02 };

/**
 * `text`: the mission is prose and each deployment reads it its own way.
 * A seeded, per-deployment noisy judgement over the operation taxonomy,
 * around what the text says (the grant: the text the person wrote, never
 * the intent; docs/mission-authoring.md): operations it covers are
 * sometimes refused, plausible ones near it are sometimes granted. One deployment answers the
 * same question the same way every time (its reading is memoised); two
 * deployments draw from different streams and can disagree.
 */
export class TextModel implements AuthorityModel {
  readonly name = 'text' as const;
  private readonly readings = new Map<string, boolean>();

  constructor(
    /** The deployment's own stream (ctx.stream(deploymentId)). */
    private readonly rng: Rng,
    private readonly taxonomy: Taxonomy,
    private readonly noise: TextNoise,
  ) {}

  private judge(key: string, grant: Envelope, op: OpFacts): { allow: boolean; closeness: string } {
    const closeness = this.taxonomy.closeness(grant, op);
    let allow = this.readings.get(key);
    if (allow === undefined) {
      const draw = this.rng();
      allow = closeness === 'inside' ? draw >= this.noise.falseRefusal : draw < (closeness === 'near' ? this.noise.nearGrant : this.noise.farGrant);
      this.readings.set(key, allow);
    }
    return { allow, closeness };
  }

  decide({ grant, grantId, op }: AuthorityRequest): Decision {
    const key = `${grantId}|${op.resource}/${op.operation}|${op.class}/${op.action}|${JSON.stringify(op.args)}|${op.stage ?? ''}|${op.depth}`;
    const { allow } = this.judge(key, grant, op);
    // The reason is what such a system can say: a reading of the prose, nothing checkable.
    return allow ? { allow, reason: 'consistent with the mission description' } : { allow, reason: 'does not appear to match the mission description' };
  }

  delegate(parent: Envelope, parentId: string, child: Envelope, childId: string): Decision {
    for (const grant of child.grants) {
      for (const action of grant.actions) {
        const op: OpFacts = {
          resource: grant.resources?.[0] ?? grant.class,
          operation: action,
          class: grant.class,
          action,
          args: {},
          stage: grant.stages?.[0],
          depth: child.maxDepth,
        };
        if (!this.judge(`${parentId}>${childId}|${grant.class}/${action}`, parent, op).allow) {
          return { allow: false, reason: 'the sub-task does not appear to match the mission description' };
        }
      }
    }
    return { allow: true, reason: 'the sub-task appears consistent with the mission description' };
  }
}

import type { Rng } from '../engine/random.ts';
import type { AuthoritySettingsDef } from '../scenario/schema.ts';
import { misrender, type CompilationError, type CompilationErrorModel } from './compilation.ts';
import type { Envelope } from './envelope.ts';

/**
 * The step where intent becomes text: the person (or their organisation)
 * writes the mission they will approve from what they mean. The text's
 * meaning is modelled as an envelope; writing it can lose an exclusion
 * ("don't touch payroll" never written down), set a bound too high, drop a
 * stage, or name a class where one resource was meant ("the vendors" for
 * "vendor X"). Every party then decides from what was written, never from
 * what was meant. docs/mission-authoring.md states the defaults.
 */
export interface AuthoringErrorModel extends CompilationErrorModel {
  /** Each grant's resource restriction is lost (the text names the class, not the resource). */
  vagueResources: number;
}

/** Default: the text says exactly what was meant (an assumption, stated in docs/mission-authoring.md; the atlas varies it). */
export const DEFAULT_AUTHORING: AuthoringErrorModel = {
  omitExclusion: 0,
  overbroadBound: { p: 0, factor: 10 },
  missingStage: 0,
  vagueResources: 0,
};

export function authoringErrorModel(settings: AuthoritySettingsDef | undefined): AuthoringErrorModel {
  const a = settings?.authoring;
  return {
    omitExclusion: a?.omit_exclusion ?? DEFAULT_AUTHORING.omitExclusion,
    overbroadBound: {
      p: a?.overbroad_bound?.p ?? DEFAULT_AUTHORING.overbroadBound.p,
      factor: a?.overbroad_bound?.factor ?? DEFAULT_AUTHORING.overbroadBound.factor,
    },
    missingStage: a?.missing_stage ?? DEFAULT_AUTHORING.missingStage,
    vagueResources: a?.vague_resources ?? DEFAULT_AUTHORING.vagueResources,
  };
}

/**
 * Writes the mission text from the intent. One draw per place an error can
 * happen whatever the rates (common random numbers: raising a rate only
 * adds errors for a given seed). Draw order: exclusions, then per grant its
 * resources, stages and bounds.
 */
export function authorText(intent: Envelope, model: AuthoringErrorModel, rng: Rng): { text: Envelope; errors: CompilationError[] } {
  const { enforced, errors } = misrender(intent, model, rng);
  return { text: enforced, errors };
}

import type { Rng } from '../engine/random.ts';
import type { AuthoritySettingsDef } from '../scenario/schema.ts';
import type { Envelope } from './envelope.ts';

/**
 * The step between what a person approved and what a Person Server
 * enforces: the approved envelope (authored by the person or their
 * organisation) is compiled into the deployment's policy, and compilation
 * can be wrong. Each error is drawn from the PS's own stream, one draw per
 * place an error can happen whatever its probability (common random
 * numbers: raising a probability only adds errors, so a curve over it is
 * monotone per seed). docs/envelope-compilation.md justifies the defaults.
 */
export interface CompilationErrorModel {
  /** Each exclusion is lost. */
  omitExclusion: number;
  /** Each constraint `attr <= N` becomes `attr <= N x factor`. */
  overbroadBound: { p: number; factor: number };
  /** Each grant's stage restriction is lost (the grant applies in every stage). */
  missingStage: number;
}

/** Default: an error-free compilation (an assumption, stated in docs/envelope-compilation.md; the atlas varies it). */
export const DEFAULT_COMPILATION: CompilationErrorModel = { omitExclusion: 0, overbroadBound: { p: 0, factor: 10 }, missingStage: 0 };

export function compilationErrorModel(settings: AuthoritySettingsDef | undefined): CompilationErrorModel {
  const c = settings?.compilation;
  return {
    omitExclusion: c?.omit_exclusion ?? DEFAULT_COMPILATION.omitExclusion,
    overbroadBound: {
      p: c?.overbroad_bound?.p ?? DEFAULT_COMPILATION.overbroadBound.p,
      factor: c?.overbroad_bound?.factor ?? DEFAULT_COMPILATION.overbroadBound.factor,
    },
    missingStage: c?.missing_stage ?? DEFAULT_COMPILATION.missingStage,
  };
}

/** One error compilation (or authoring: sim/authority/authoring.ts) made, as the oracle records it (the party does not know it erred). */
export type CompilationError =
  | { error: 'omit_exclusion'; class: string; actions?: string[] }
  | { error: 'overbroad_bound'; class: string; attr: string; approved: number; compiled: number }
  | { error: 'missing_stage'; class: string; stages: string[] }
  | { error: 'vague_resources'; class: string; resources: string[] };

/** Compiles an approved envelope into the enforced one. Draw order: exclusions, then per grant its stages and its bounds. */
export function compileApproved(approved: Envelope, model: CompilationErrorModel, rng: Rng): { enforced: Envelope; errors: CompilationError[] } {
  return misrender(approved, model, rng);
}

/**
 * Renders an envelope with errors: what compilation and authoring share.
 * Draw order: exclusions, then per grant its resources (only when the model
 * has `vagueResources`: compilation has not, so its draws are as they
 * were), its stages and its bounds.
 */
export function misrender(
  approved: Envelope,
  model: CompilationErrorModel & { vagueResources?: number },
  rng: Rng,
): { enforced: Envelope; errors: CompilationError[] } {
  const errors: CompilationError[] = [];
  const exclusions = approved.exclusions.filter((exclusion) => {
    const lost = rng() < model.omitExclusion;
    if (lost) errors.push({ error: 'omit_exclusion', class: exclusion.class, ...(exclusion.actions ? { actions: [...exclusion.actions] } : {}) });
    return !lost;
  });
  const grants = approved.grants.map((given) => {
    let grant = given;
    if (model.vagueResources !== undefined && grant.resources !== undefined && rng() < model.vagueResources) {
      // "the vendors" written for "vendor X": the grant reaches every resource of its class.
      errors.push({ error: 'vague_resources', class: grant.class, resources: [...grant.resources] });
      const { resources: _resources, ...anyResource } = grant;
      grant = anyResource;
    }
    const stageLost = grant.stages !== undefined && rng() < model.missingStage;
    if (stageLost) errors.push({ error: 'missing_stage', class: grant.class, stages: [...(grant.stages as string[])] });
    const bounds = grant.bounds.map((bound) => {
      if (rng() >= model.overbroadBound.p) return bound;
      const compiled = Math.round(bound.max * model.overbroadBound.factor);
      errors.push({ error: 'overbroad_bound', class: grant.class, attr: bound.attr, approved: bound.max, compiled });
      return { attr: bound.attr, max: compiled };
    });
    const { stages: _stages, ...rest } = grant;
    return { ...(stageLost ? rest : grant), bounds };
  });
  return { enforced: { grants, exclusions, maxDepth: approved.maxDepth }, errors };
}

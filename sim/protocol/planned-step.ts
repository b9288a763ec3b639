import type { ActorContext } from '../context/actor-context.ts';
import type { Distribution } from '../engine/distribution.ts';
import type { CompiledAgent, CompiledPlanStep } from '../scenario/compile.ts';
import { Drift } from './drift.ts';
import type { ResourceEndpoint } from './resource-messages.ts';

/** A plan step as the agent follows it; read-only, so agents whose plans hold equal steps share one (sharedPlannedStep). */
export interface PlannedStep {
  readonly resource: ResourceEndpoint;
  readonly operation: string;
  readonly at: number | undefined;
  readonly after: Distribution | undefined;
  /** Frozen: the step's own copy, handed to the resource with every call (a resource that wrote to it would change the agent's plan). */
  readonly args: Readonly<Record<string, number>> | undefined;
  readonly stage: string | undefined;
  /** Tokens are kept per call shape (and mission): a token judged for one amount is not reused for another. */
  readonly key: string;
  /** Which of the agent's missions the step belongs to. */
  readonly under: 'mission' | 'concurrent';
  /** Person tokens are per resource and, carrying mission_s256, per mission: the key of the one this step presents. */
  readonly personKey: string;
  /** `[this step]`, made once: what Drift.steps returns for a step done as planned (read-only, like the step). */
  readonly alone: readonly PlannedStep[];
}

type StepSource = Pick<CompiledPlanStep, 'def' | 'atUs' | 'after'>;

export function plannedStep(compiled: StepSource, resources: ReadonlyMap<string, ResourceEndpoint>): PlannedStep {
  const step = compiled.def;
  // References were checked when the scenario was loaded.
  const op = step.op as string; // a step that is not a governance step calls a resource
  const [resourceId, operation] = op.split('/') as [string, string];
  const under = step.under ?? 'mission';
  const alone = new Array<PlannedStep>(1);
  const planned: PlannedStep = {
    resource: resources.get(resourceId) as ResourceEndpoint,
    operation,
    at: compiled.atUs,
    after: compiled.after,
    args: step.args === undefined ? undefined : Object.freeze({ ...step.args }),
    stage: step.stage,
    key: stepKey(compiled),
    under,
    personKey: `${resourceId}|${under}`,
    alone,
  };
  alone[0] = planned;
  return planned;
}

function stepKey({ def: step }: StepSource): string {
  const op = step.op as string;
  return `${step.args === undefined && step.stage === undefined ? op : `${op}|${JSON.stringify(step.args ?? {})}|${step.stage ?? ''}`}${step.under === 'concurrent' ? '|concurrent' : ''}`;
}

/**
 * The planned step for a step of an agent's plan, shared with every agent
 * of the same world whose plan holds an equal step (same call, fixed time
 * and think-time distribution): a world of thousands of agents following
 * one plan holds each step once (about 0.3 KB less per agent). Only the
 * steps fixed when the agent is built: drift's varied steps are made anew.
 */
export function sharedPlannedStep(compiled: StepSource, resources: ReadonlyMap<string, ResourceEndpoint>): PlannedStep {
  let byAfter = sharedSteps.get(resources);
  if (!byAfter) {
    byAfter = new Map();
    sharedSteps.set(resources, byAfter);
  }
  let byKey = byAfter.get(compiled.after);
  if (!byKey) {
    byKey = new Map();
    byAfter.set(compiled.after, byKey);
  }
  const key = `${stepKey(compiled)}@${compiled.atUs ?? ''}`;
  let planned = byKey.get(key);
  if (!planned) {
    planned = plannedStep(compiled, resources);
    byKey.set(key, planned);
  }
  return planned;
}

/** Planned steps by world (its resources), think time, then call and fixed time. */
const sharedSteps = new WeakMap<ReadonlyMap<string, ResourceEndpoint>, Map<Distribution | undefined, Map<string, PlannedStep>>>();

/**
 * How an agent departs from its plan (its `drift`), in steps it can
 * perform: its `toward` operations and, under plausible drift, a step
 * again with its `vary` argument set to a new value (the agent knows its
 * step's shape). Drift steps are performed at once in place of (or before)
 * a plan step: no timing of their own. Drift.none() for an agent without.
 */
export function plannedDrift(
  compiled: Pick<CompiledAgent, 'def' | 'drift'>,
  resources: ReadonlyMap<string, ResourceEndpoint>,
  ctx: Pick<ActorContext, 'stream'>,
  actor: string,
): Drift<PlannedStep> {
  const drift = compiled.def.drift;
  const step = (op: string, args: Record<string, number> | undefined) =>
    plannedStep({ def: { op, ...(args ? { args } : {}) }, atUs: undefined, after: undefined }, resources);
  const toward = (drift?.toward ?? []).map((op) => step(op, drift?.args));
  const vary = (planned: PlannedStep, value: number) =>
    drift?.vary === undefined ? planned : step(`${planned.resource.id}/${planned.operation}`, { ...planned.args, [drift.vary]: value });
  return compiled.drift.def ? new Drift(compiled.drift, toward, ctx.stream(`${actor}/drift`), vary) : Drift.none();
}

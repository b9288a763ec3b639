import { Type } from '@sinclair/typebox';

/**
 * The building blocks of scenario definitions, in a module of their own so
 * that every part of the scenario format (sim/scenario/schema.ts, and the
 * sections other parts define, such as orchestration-schema.ts) uses the same
 * definitions without importing each other in a cycle.
 */

export const DURATION_HELP = 'a duration: a number and a unit, us ms s m h d, also spelled sec min hr day (250ms, 30s, 5m, 2h, 3d)';
export const DISTRIBUTION_HELP =
  'a random duration: const(30s), uniform(1s, 5s), exp(2m), lognormal(30s, 1.5), ' +
  'normal(10s, 2s), choice(1s:3, 5s:1), empirical(1s, 2s, 9s), or a plain duration';

/** Format names checked by the real parsers in sim/engine (never by regex). */
export const DURATION_FORMAT = 'missionbench-duration';
export const DURATION_DISTRIBUTION_FORMAT = 'missionbench-duration-distribution';

// A default given here is the only one: the JSON Schema shows it, and sim/scenario/compile.ts applies it.
export const Duration = (description = DURATION_HELP, defaultValue?: string) =>
  Type.String({ format: DURATION_FORMAT, description, ...(defaultValue === undefined ? {} : { default: defaultValue }) });
export const DurationDistribution = (description = DISTRIBUTION_HELP, defaultValue?: string) =>
  Type.String({ format: DURATION_DISTRIBUTION_FORMAT, description, ...(defaultValue === undefined ? {} : { default: defaultValue }) });

export const Id = (description: string) => Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_.:-]*$', minLength: 1, maxLength: 128, description });

// A plain JSON Schema enum (not anyOf of consts), so a wrong value gets one clear error.
export const literals = <T extends readonly string[]>(values: T, description: string) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], description });

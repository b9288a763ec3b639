import seedrandom from 'seedrandom';

/** A uniform random source on [0, 1). */
export type Rng = () => number;

/**
 * One independent stream per entity, seeded from the run seed and the
 * entity's stable id (never its creation order), so that adding an entity
 * leaves every other entity's draws unchanged. Alea is seedrandom's fastest
 * generator with good statistical quality and is pure JavaScript arithmetic,
 * so its output is identical on every machine.
 */
export function randomStream(runSeed: number | string, entityId: string): Rng {
  return seedrandom.alea(`missionbench/${runSeed}/${entityId}`);
}

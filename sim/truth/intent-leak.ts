import type { Envelope } from '../authority/envelope.ts';

/**
 * The one door through which anyone but the oracle reads the scenario's
 * true intent. Since issue 16 it opens to no deciding party: only to the
 * world's authoring step (sim/world/authoring.ts), where the person who
 * meant the mission writes it, with errors, and the output is logged
 * (`mission.authored`). The import-graph test (test/architecture/imports.test.ts)
 * forbids every deciding module to import this file, and the intent-swap
 * test (test/sim/intent-boundary.test.ts) proves that every party's
 * decisions are a function of the logged authored mission. The designs
 * that used to hold it (PS model `text`, a mission without `scope`, AS
 * trust `clarify`) now read what was written: docs/mission-authoring.md.
 */
export interface DeclaredIntentReader {
  /** The true intent of a root agent's mission, and whether the scenario declared it or it was derived from the scope (undefined: no mission). */
  trueIntent(rootAgent: string): { intent: Envelope; source: 'declared' | 'derived' } | undefined;
}

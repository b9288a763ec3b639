/**
 * The build's step after bundling (scripts/build.mjs): writes each schema
 * validator's standalone code into dist/validators/ (sim/precompiled-validator.ts
 * says why), skipping a file already made from the same schema.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import '../sim/events.ts';
import { CALL_RECORD_VALIDATOR } from '../sim/log/aauth-call/read.ts';
import { EVENT_VALIDATOR } from '../sim/log/ingest.ts';
import { builtDigest, builtValidatorPath, standaloneValidatorSource, validatorDigest, type ValidatorSpec } from '../sim/precompiled-validator.ts';
import { SCENARIO_VALIDATOR } from '../sim/scenario/validate.ts';

/** Every validator the commands load (the event catalogue is complete: sim/events.ts is imported above). */
export const VALIDATORS: readonly ValidatorSpec[] = [SCENARIO_VALIDATOR, EVENT_VALIDATOR, CALL_RECORD_VALIDATOR];

/**
 * Writes the validators whose file is missing or from another schema; returns the names of the files under `dir`
 * that match their schema. A schema Ajv refuses is said on stderr and skipped, not a failed build: the commands
 * that need it compile it at start and report the same error there, and every other command still runs.
 */
export function writeValidators(dir: string, specs: readonly ValidatorSpec[] = VALIDATORS): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const spec of specs) {
    const path = builtValidatorPath(spec, dir);
    if (builtDigest(path) !== validatorDigest(spec)) {
      // Under a temporary name first: a command starting meanwhile never reads half a file.
      const temporary = `${path}.${process.pid}.tmp`;
      try {
        writeFileSync(temporary, standaloneValidatorSource(spec));
        renameSync(temporary, path);
      } catch (error) {
        rmSync(temporary, { force: true });
        process.stderr.write(
          `missionbench: the ${spec.name} validator was not generated (${error instanceof Error ? error.message : String(error)}); commands compile it at start\n`,
        );
        continue;
      }
    }
    written.push(basename(path));
  }
  return written;
}

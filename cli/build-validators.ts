/**
 * The build's step after bundling (scripts/build.mjs): writes each schema
 * validator's standalone code into dist/validators/ (sim/precompiled-validator.ts
 * says why), skipping a file already made from the same schema.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import '../sim/events.ts';
import { CALL_RECORD_VALIDATOR } from '../sim/log/aauth-call/read.ts';
import { EVENT_VALIDATOR } from '../sim/log/ingest.ts';
import { builtDigest, standaloneValidatorModule, validatorDigest, type ValidatorSpec } from '../sim/precompiled-validator.ts';
import { SCENARIO_VALIDATOR } from '../sim/scenario/validate.ts';

/** Every validator the commands load (the event catalogue is complete: sim/events.ts is imported above). */
export const VALIDATORS: readonly ValidatorSpec[] = [SCENARIO_VALIDATOR, EVENT_VALIDATOR, CALL_RECORD_VALIDATOR];

/** Writes the validators whose file is missing or from another schema; returns every file's name under `dir`. */
export function writeValidators(dir: string, specs: readonly ValidatorSpec[] = VALIDATORS): string[] {
  mkdirSync(dir, { recursive: true });
  return specs.map((spec) => {
    const name = `${spec.name}.cjs`;
    const path = join(dir, name);
    if (builtDigest(path) !== validatorDigest(spec)) {
      // Under a temporary name first: a command starting meanwhile never requires half a file.
      const temporary = `${path}.${process.pid}.tmp`;
      writeFileSync(temporary, standaloneValidatorModule(spec));
      renameSync(temporary, path);
    }
    return name;
  });
}

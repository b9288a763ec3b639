/**
 * The build's step after bundling (scripts/build.mjs): writes each schema
 * validator's standalone code into dist/validators/ (sim/precompiled-validator.ts
 * says why), skipping a file already made from the same schema, and V8's code
 * cache for it (sim/validator-code-cache.ts), skipping one this Node takes.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import '../sim/events.ts';
import { CALL_RECORD_VALIDATOR } from '../sim/log/aauth-call/read.ts';
import { EVENT_VALIDATOR } from '../sim/log/ingest.ts';
import {
  builtCodeCache,
  builtDigest,
  builtValidatorPath,
  codeCachePath,
  codeCacheTaken,
  standaloneValidatorSource,
  validatorDigest,
  type ValidatorSpec,
} from '../sim/precompiled-validator.ts';
import { SCENARIO_VALIDATOR } from '../sim/scenario/validate.ts';

/** Every validator the commands load (the event catalogue is complete: sim/events.ts is imported above). */
export const VALIDATORS: readonly ValidatorSpec[] = [SCENARIO_VALIDATOR, EVENT_VALIDATOR, CALL_RECORD_VALIDATOR];

/**
 * Writes the validators whose file is missing or from another schema, and the code caches that this Node would
 * not take (none, made from other text, damaged, from another Node or other V8 flags); returns the names of the
 * files under `dir` that match their schema and their caches. A schema Ajv refuses is said on stderr and skipped,
 * not a failed build: the commands that need it compile it at start and report the same error there, and every
 * other command still runs. A cache that could not be made is said and skipped too: the text is compiled instead.
 */
export function writeValidators(dir: string, specs: readonly ValidatorSpec[] = VALIDATORS): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const spec of specs) {
    const path = builtValidatorPath(spec, dir);
    if (builtDigest(path) !== validatorDigest(spec)) {
      try {
        writeWhole(path, () => standaloneValidatorSource(spec));
      } catch (error) {
        process.stderr.write(`missionbench: the ${spec.name} validator was not generated (${messageOf(error)}); commands compile it at start\n`);
        continue;
      }
    }
    written.push(basename(path));
    const cache = codeCachePath(spec, dir);
    if (!codeCacheTaken(spec, dir)) {
      try {
        writeWhole(cache, () => builtCodeCache(spec, dir));
      } catch (error) {
        process.stderr.write(`missionbench: the ${spec.name} validator's code cache was not made (${messageOf(error)}); commands compile its code\n`);
        continue;
      }
    }
    written.push(basename(cache));
  }
  return written;
}

/** Writes under a temporary name first: a command starting meanwhile never reads half a file. */
function writeWhole(path: string, contents: () => string | Buffer): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, contents());
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

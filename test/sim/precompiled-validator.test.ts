import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Format, ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { VALIDATORS, writeValidators } from '../../cli/build-validators.ts';
import { EVENT_VALIDATOR } from '../../sim/log/ingest.ts';
import {
  BUILT_VALIDATORS_SWITCH,
  type BuiltValidator,
  builtDigest,
  builtValidator,
  builtValidatorPath,
  codeCachePath,
  loadValidator,
  readBuiltValidator,
  validatorDigest,
  type ValidatorSpec,
} from '../../sim/precompiled-validator.ts';
import { runScenario } from '../../sim/run.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import { SCENARIO_VALIDATOR } from '../../sim/scenario/validate.ts';
import { SCENARIOS, tempDir } from '../helpers.ts';

/** The validator compiled in this process from the spec (a folder without generated files). */
const compiledNow = (spec: ValidatorSpec): ValidateFunction => loadValidator(spec, tempDir());

/**
 * The build's validator as a command evaluates it: `cache` from V8's code cache the build made (which must be taken),
 * else compiled from the text (a copy of the file alone). Copied under a new name either way: V8 hands back a script
 * this process compiled before from the same text and name without reading the cache.
 */
function builtNow(spec: ValidatorSpec, cache: boolean): ValidateFunction {
  const dir = tempDir();
  copyFileSync(builtValidatorPath(spec), builtValidatorPath(spec, dir));
  if (cache) copyFileSync(codeCachePath(spec), codeCachePath(spec, dir));
  const built = readBuiltValidator(spec, dir);
  expect(built?.codeCache).toBe(cache ? 'used' : 'none');
  return (built as BuiltValidator).validate;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = Array<string | number>;

/** Every path to a value in a document (the document itself is []). */
function pathsOf(value: Json, at: Path = []): Path[] {
  const here = [at];
  if (Array.isArray(value)) return here.concat(...value.map((item, i) => pathsOf(item, [...at, i])));
  if (value !== null && typeof value === 'object') return here.concat(...Object.entries(value).map(([key, item]) => pathsOf(item, [...at, key])));
  return here;
}

/** A copy of the document with the value at `path` replaced (or, `undefined`, removed). */
function edited(document: Json, path: Path, replacement: Json | undefined): Json {
  if (path.length === 0) return replacement ?? null;
  const copy = structuredClone(document) as Record<string | number, Json>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, Json>;
  const last = path[path.length - 1] as string | number;
  if (replacement !== undefined) parent[last] = replacement;
  else if (Array.isArray(parent)) parent.splice(last as number, 1);
  else delete parent[last];
  return copy;
}

/**
 * The built validators give the compiled one's verdict and errors (verbose: with the values and schemas they name),
 * as JSON: the schema objects a compiled validator names still carry TypeBox's symbol keys, which no message reads.
 */
function sameAnswers(built: readonly ValidateFunction[], compiled: ValidateFunction, document: Json): void {
  const verdict = compiled(document);
  const errors = JSON.parse(JSON.stringify(compiled.errors ?? null));
  for (const validate of built) {
    expect(validate(document)).toBe(verdict);
    expect(JSON.parse(JSON.stringify(validate.errors ?? null))).toEqual(errors);
  }
}

/** Edits that keep most of a document and break one spot: a value replaced, removed, or an unknown member added. */
const editsOf = (documents: Json[]) =>
  fc
    .integer({ min: 0, max: documents.length - 1 })
    .chain((index) => {
      const document = documents[index] as Json;
      const paths = pathsOf(document);
      return fc.record({
        document: fc.constant(document),
        path: fc.constantFrom(...paths),
        // Values of the kinds a schema tells apart, and durations, good and bad, for the custom formats.
        replacement: fc.option(fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('5m', '250ms', '5q', 'exp(30s)', 'exp(-1s)', '', -1, 0.5)), {
          nil: undefined,
        }),
        extra: fc.boolean(),
      });
    })
    .map(({ document, path, replacement, extra }) => {
      const changed = edited(document, path, replacement as Json | undefined);
      if (extra && changed !== null && typeof changed === 'object' && !Array.isArray(changed)) changed.not_in_the_schema = 1;
      return changed;
    });

/** sameAnswers on `runs` random edits of the documents; returns how many edits the validators refused. */
function sameAnswersOnEdits(built: readonly ValidateFunction[], compiled: ValidateFunction, documents: Json[], runs: number): number {
  let invalid = 0;
  fc.assert(
    fc.property(editsOf(documents), (document) => {
      if (!compiled(document)) invalid++;
      sameAnswers(built, compiled, document);
    }),
    { numRuns: runs },
  );
  return invalid;
}

describe('schema validators compiled by the build (sim/precompiled-validator.ts)', () => {
  it('every validator the commands load is in dist/validators/, made from the schema in the sources', () => {
    // The tests' global set-up builds dist/ when a source changed, as the CLI does: the files must match.
    for (const spec of VALIDATORS) expect(builtValidator(spec), spec.name).toBeTypeOf('function');
    expect(VALIDATORS.map((spec) => spec.name).sort()).toEqual(['aauth-call-record', 'event', 'scenario']);
  });

  it('uses the generated file unless MISSIONBENCH_BUILT_VALIDATORS=off, which compiles the schema at start', () => {
    // A validator Ajv compiled in this process keeps its schema environment; the generated code has none.
    expect('schemaEnv' in loadValidator(SCENARIO_VALIDATOR)).toBe(false);
    process.env[BUILT_VALIDATORS_SWITCH] = 'off';
    try {
      expect('schemaEnv' in loadValidator(SCENARIO_VALIDATOR)).toBe(true);
    } finally {
      delete process.env[BUILT_VALIDATORS_SWITCH];
    }
  });

  it("takes the build's code cache after Cedar was loaded and after a run (they set V8 flags, and the caches are made with them: sim/v8-flags.ts)", () => {
    const module = (path: string) => JSON.stringify(new URL(path, import.meta.url).pathname);
    const dir = JSON.stringify(tempDir());
    const code = `Promise.all([${['../../sim/authority/cedar.ts', '../../sim/run.ts', '../../sim/scenario/load.ts', '../../sim/precompiled-validator.ts', '../../sim/log/ingest.ts'].map((path) => `import(${module(path)})`).join(', ')}])
      .then(([, run, load, validators, ingest]) => {
        run.runScenario(load.loadScenario(${JSON.stringify(join(SCENARIOS, 'travel-booking.yaml'))}), { outDir: ${dir} });
        console.log(validators.readBuiltValidator(ingest.EVENT_VALIDATOR)?.codeCache);
      })`;
    // NODE_OPTIONS emptied: flags of the caller's own would make any cache refused.
    const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    expect(child.status, child.stderr).toBe(0);
    expect(child.stdout.trim()).toBe('used');
  });

  it('the built scenario validator, from its code cache or not, answers as the one compiled now: every shipped scenario, and edits of them', () => {
    const built = [builtNow(SCENARIO_VALIDATOR, true), builtNow(SCENARIO_VALIDATOR, false)];
    const compiled = compiledNow(SCENARIO_VALIDATOR);
    const documents = readdirSync(SCENARIOS)
      .filter((file) => file.endsWith('.yaml'))
      .map((file) => parse(readFileSync(join(SCENARIOS, file), 'utf8')) as Json);
    expect(documents.length).toBeGreaterThan(20);
    for (const document of documents) {
      for (const validate of built) expect(validate(document)).toBe(true);
      sameAnswers(built, compiled, document);
    }
    // The edits must reach the errors' side, not only documents both accept.
    expect(sameAnswersOnEdits(built, compiled, documents, 400)).toBeGreaterThan(100);
  });

  it('the built event validator, from its code cache or not, answers as the one compiled now, on the lines of a real log and edits of them', () => {
    const built = [builtNow(EVENT_VALIDATOR, true), builtNow(EVENT_VALIDATOR, false)];
    const dir = tempDir();
    runScenario(loadScenario(join(SCENARIOS, 'travel-booking.yaml')), { outDir: dir });
    const lines = readFileSync(join(dir, 'events.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Json);
    const compiled = compiledNow(EVENT_VALIDATOR);
    for (const line of lines) sameAnswers(built, compiled, line);
    expect(sameAnswersOnEdits(built, compiled, lines, 300)).toBeGreaterThan(50);
  });

  it('a generated file made from another schema is not used, and the build makes it again only then', () => {
    const dir = tempDir();
    const spec: ValidatorSpec = {
      name: 'small',
      options: { allErrors: true },
      formats: {},
      schema: () => ({ type: 'object', required: ['a'], properties: { a: { type: 'integer' } } }),
    };
    expect(writeValidators(dir, [spec])).toEqual(['small.js', 'small.cache']);
    const path = join(dir, 'small.js');
    expect(builtDigest(path)).toBe(validatorDigest(spec));
    expect((builtValidator(spec, dir) as ValidateFunction)({ a: 1 })).toBe(true);
    expect((builtValidator(spec, dir) as ValidateFunction)({ a: 'x' })).toBe(false);

    // Unchanged schema: the file is left as it is.
    const written = statSync(path).mtimeMs;
    writeValidators(dir, [spec]);
    expect(statSync(path).mtimeMs).toBe(written);

    // The schema changed in the sources (a is now a string): the old file must not answer.
    const changed: ValidatorSpec = { ...spec, schema: () => ({ type: 'object', required: ['a'], properties: { a: { type: 'string' } } }) };
    expect(builtValidator(changed, dir)).toBeUndefined();
    const fallback = loadValidator(changed, dir);
    expect(fallback({ a: 'x' })).toBe(true);
    expect(fallback({ a: 1 })).toBe(false);
    // Options count too (a validator built without allErrors stops at the first error).
    expect(builtValidator({ ...spec, options: {} }, dir)).toBeUndefined();

    // Rebuilt: the new file answers for the new schema, read afresh, also through a symbolic link to the folder
    // (a module cache keyed by the real path would hand back the old code there).
    const link = join(tempDir(), 'link');
    symlinkSync(dir, link);
    expect((builtValidator(spec, link) as ValidateFunction)({ a: 1 })).toBe(true);
    writeValidators(dir, [changed]);
    expect(builtDigest(path)).toBe(validatorDigest(changed));
    for (const folder of [dir, link]) {
      expect((builtValidator(changed, folder) as ValidateFunction)({ a: 'x' })).toBe(true);
      expect((builtValidator(changed, folder) as ValidateFunction)({ a: 1 })).toBe(false);
    }

    // A damaged file (its digest line intact, its code cut short) is not used: the schema is compiled instead.
    writeFileSync(path, readFileSync(path, 'utf8').slice(0, 400));
    expect(builtValidator(changed, dir)).toBeUndefined();
    expect(loadValidator(changed, dir)({ a: 'x' })).toBe(true);
  });

  it('a schema Ajv refuses is skipped with a line on stderr, not a failed build; the others are written', () => {
    const dir = tempDir();
    const good: ValidatorSpec = { name: 'good', options: {}, formats: {}, schema: () => ({ type: 'string' }) };
    const refused: ValidatorSpec = { name: 'refused', options: { strict: true }, formats: {}, schema: () => ({ type: 'string', unknownKeyword: 1 }) };
    const said: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((text: string) => said.push(text) > 0) as typeof process.stderr.write;
    try {
      expect(writeValidators(dir, [refused, good])).toEqual(['good.js', 'good.cache']);
    } finally {
      process.stderr.write = write;
    }
    expect(said.join('')).toMatch(/the refused validator was not generated \(.*unknownKeyword.*\); commands compile it at start/);
    expect(readdirSync(dir).sort()).toEqual(['good.cache', 'good.js']);
    expect(() => loadValidator(refused, dir)).toThrow(/unknownKeyword/);
  });

  it('a custom format counts as far as the generated code holds it: a RegExp, the kind of definition', () => {
    const dir = tempDir();
    const withFormat = (format: Format): ValidatorSpec => ({
      name: 'formatted',
      options: {},
      formats: { code: format },
      schema: () => ({ type: 'string', format: 'code' }),
    });
    const letters = withFormat(/^[a-z]+$/);
    writeValidators(dir, [letters]);
    expect((builtValidator(letters, dir) as ValidateFunction)('abc')).toBe(true);
    // The RegExp is written into the code: another one must not be answered by the old file.
    const digits = withFormat(/^[0-9]+$/);
    expect(builtValidator(digits, dir)).toBeUndefined();
    expect(loadValidator(digits, dir)('abc')).toBe(false);
    // A definition object instead of a RegExp: the code around the call differs.
    expect(builtValidator(withFormat({ type: 'string', validate: /^[a-z]+$/ }), dir)).toBeUndefined();
    expect(builtValidator(withFormat({ type: 'number', validate: () => true }), dir)).toBeUndefined();
    // A function is passed in at load, not written into the code: a new function needs no new file.
    const always = withFormat({ type: 'string', validate: () => true });
    writeValidators(dir, [always]);
    const never: ValidatorSpec = withFormat({ type: 'string', validate: () => false });
    expect(validatorDigest(never)).toBe(validatorDigest(always));
    expect((builtValidator(never, dir) as ValidateFunction)('abc')).toBe(false);
  });
});

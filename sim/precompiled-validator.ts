import { Ajv, _, type Format, type Options, type ValidateFunction } from 'ajv';
import standalone from 'ajv/dist/standalone/index.js';
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CodeCacheUse, makeCodeCache, readCodeCache, validatorScript } from './validator-code-cache.ts';

/**
 * A JSON Schema validator that the build compiles ahead of time.
 *
 * Compiling a schema with Ajv generates and evaluates its code: for the
 * scenario schema about 0.3 s, for the event catalogue's 0.6 s, paid by
 * every `run`, `sweep`, `validate` and `ingest` before it reads a line. The
 * build (scripts/build.mjs) writes that code once into
 * dist/validators/<name>.js (Ajv's standalone code), and loadValidator
 * evaluates it instead: about 75 ms and 190 ms, most of it V8 compiling
 * the code at the first call, which V8's code cache the build saves beside
 * it takes off too (sim/validator-code-cache.ts).
 *
 * The file is used only while it was generated from exactly this schema,
 * these options, this Ajv and these formats (its digest says so); otherwise
 * (sources edited since the build, no build at all, as under the tests'
 * own runs from the sources) the schema is compiled here as before. Both
 * paths are Ajv's code for the same schema and options: the same answers
 * and the same errors.
 */
export interface ValidatorSpec {
  /** The file's name under dist/validators/. */
  readonly name: string;
  /** Ajv's options (the build adds only those that make it emit the code). */
  readonly options: Options;
  /** Custom formats by name; the standalone code calls the same functions. */
  readonly formats: Readonly<Record<string, Format>>;
  readonly schema: () => Record<string, unknown>;
}

/** Where the build puts the generated validators: dist/validators/ of this checkout. */
export const BUILT_VALIDATORS = fileURLToPath(new URL('../dist/validators/', import.meta.url));

/** Resolves the Ajv runtime helpers the generated code asks for, as this module would. */
const requireHere = createRequire(import.meta.url);
const AJV_VERSION = (requireHere('ajv/package.json') as { version: string }).version;
/** The shape of the generated file (standaloneValidatorSource): raise it when that changes. */
const GENERATOR_VERSION = 2;

/**
 * What a generated file is made from: the schema, Ajv's options and version, this generator's version and each
 * custom format as far as the generated code holds it (a RegExp format is written into the code as a literal;
 * an object format's type and whether it is async decide the code around its call). A format's function is not
 * in the code: the sources' function is passed in at load, so a change to it needs no new file.
 */
export function validatorDigest(spec: ValidatorSpec, schema: Record<string, unknown> = spec.schema()): string {
  const formats = Object.keys(spec.formats)
    .sort()
    .map((name) => [name, formatShape(spec.formats[name] as Format)]);
  const made = JSON.stringify({ generator: GENERATOR_VERSION, ajv: AJV_VERSION, options: spec.options, formats, schema });
  return createHash('sha256').update(made).digest('hex');
}

function formatShape(format: Format): unknown {
  if (typeof format === 'string') return ['string', format];
  if (typeof format === 'function') return ['function'];
  if (format instanceof RegExp) return ['regexp', format.source, format.flags];
  if (format === true) return ['ignored'];
  const validate = format.validate;
  return ['object', format.type ?? null, format.async === true, validate instanceof RegExp ? [validate.source, validate.flags] : typeof validate];
}

/**
 * Set to `off`, every schema is compiled at start as before the build made them (the benchmark's "before";
 * a way to rule the generated code out when a validation looks wrong).
 */
export const BUILT_VALIDATORS_SWITCH = 'MISSIONBENCH_BUILT_VALIDATORS';

/** The spec's validator: the build's code when it matches the spec, else compiled now. */
export function loadValidator(spec: ValidatorSpec, dir: string = BUILT_VALIDATORS): ValidateFunction {
  const schema = spec.schema();
  const built = process.env[BUILT_VALIDATORS_SWITCH] === 'off' ? undefined : builtValidator(spec, dir, validatorDigest(spec, schema));
  return built ?? compiler(spec).compile(schema);
}

/** The generated file of a spec under `dir`. */
export function builtValidatorPath(spec: ValidatorSpec, dir: string = BUILT_VALIDATORS): string {
  return join(dir, `${spec.name}.js`);
}

/** A generated validator as a command evaluated it, and whether V8's code cache the build made for it was used. */
export interface BuiltValidator {
  readonly validate: ValidateFunction;
  /**
   * used: V8 did not refuse the cache (in a process that already compiled this file, V8 hands back that script
   * without reading the cache, and says so too); rejected: V8 refused it (another Node, other V8 flags); none: no
   * whole cache for this text.
   */
  readonly codeCache: CodeCacheUse;
}

/**
 * The generated file's validator, when `dir` holds one made from exactly this spec; else undefined. The file is
 * read once and the text whose digest was checked is the text evaluated (no require: its cache and a file
 * renamed in between could each hand back other code). V8's code cache beside it (sim/validator-code-cache.ts)
 * is used only when made from exactly that text; otherwise, or when V8 refuses it, the text is compiled.
 */
export function readBuiltValidator(spec: ValidatorSpec, dir: string = BUILT_VALIDATORS, digest = validatorDigest(spec)): BuiltValidator | undefined {
  const path = builtValidatorPath(spec, dir);
  const bytes = bytesOf(path);
  if (bytes === undefined || digestOf(bytes.toString('latin1', 0, 100)) !== digest) return undefined;
  const cachedData = readCodeCache(codeCachePath(spec, dir), bytes);
  try {
    // The file is the body of a function of (require, formats) returning the validator (standaloneValidatorSource).
    const script = validatorScript(bytes.toString('utf8'), path, cachedData);
    const validate = (script.runInThisContext() as (require: NodeJS.Require, formats: ValidatorSpec['formats']) => ValidateFunction)(requireHere, spec.formats);
    return { validate, codeCache: cachedData === undefined ? 'none' : script.cachedDataRejected === true ? 'rejected' : 'used' };
  } catch {
    // A damaged file (the build writes whole files, so not by the build): the schema is compiled instead.
    return undefined;
  }
}

/** readBuiltValidator's validator. */
export function builtValidator(spec: ValidatorSpec, dir: string = BUILT_VALIDATORS, digest = validatorDigest(spec)): ValidateFunction | undefined {
  return readBuiltValidator(spec, dir, digest)?.validate;
}

/** Where the build puts V8's code cache for a spec's generated file. */
export function codeCachePath(spec: ValidatorSpec, dir: string = BUILT_VALIDATORS): string {
  return join(dir, `${spec.name}.cache`);
}

/** Numbers the build's checks: each compiles under a name of its own. */
let cacheChecks = 0;

/**
 * Whether V8 takes the code cache beside the spec's generated file under `dir` (the build's check). Compiled under a
 * name of its own each time: under the file's name, V8 would hand back a script this process compiled before from
 * the same text and name without reading the cache at all.
 */
export function codeCacheTaken(spec: ValidatorSpec, dir: string = BUILT_VALIDATORS): boolean {
  const path = builtValidatorPath(spec, dir);
  const bytes = bytesOf(path);
  const cachedData = bytes === undefined ? undefined : readCodeCache(codeCachePath(spec, dir), bytes);
  if (bytes === undefined || cachedData === undefined) return false;
  try {
    return validatorScript(bytes.toString('utf8'), `${path} (code cache check ${++cacheChecks})`, cachedData).cachedDataRejected !== true;
  } catch {
    return false;
  }
}

/** The contents of the code cache file for the spec's generated file under `dir` (the build's, beside it). */
export function builtCodeCache(spec: ValidatorSpec, dir: string = BUILT_VALIDATORS): Buffer {
  const path = builtValidatorPath(spec, dir);
  return makeCodeCache(readFileSync(path), path, requireHere, spec.formats);
}

/** A generated file's bytes, or undefined when it cannot be read (no build yet). */
function bytesOf(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

const DIGEST_LINE = /^\/\/ digest ([0-9a-f]{64})\n/;

/** The digest a generated file's text names on its first line, or undefined. */
function digestOf(text: string): string | undefined {
  return DIGEST_LINE.exec(text.slice(0, 100))?.[1];
}

/** The digest a generated file names, or undefined (no such file): only its first line is read. */
export function builtDigest(path: string): string | undefined {
  let file: number;
  try {
    file = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const head = Buffer.alloc(100);
    return digestOf(head.toString('latin1', 0, readSync(file, head, 0, head.length, 0)));
  } finally {
    closeSync(file);
  }
}

function compiler(spec: ValidatorSpec, options: Options = {}): Ajv {
  const ajv = new Ajv({ ...spec.options, ...options });
  for (const [name, format] of Object.entries(spec.formats)) ajv.addFormat(name, format);
  return ajv;
}

/**
 * The generated file's text: the digest on its first line, then the body of a function of (require, formats)
 * returning the validator: Ajv's standalone code (which assigns module.exports and requires Ajv's runtime
 * helpers) with a module object of its own. The formats are the sources' own, passed in at load.
 */
export function standaloneValidatorSource(spec: ValidatorSpec): string {
  const schema = spec.schema();
  const digest = validatorDigest(spec, schema);
  const ajv = compiler(spec, { code: { source: true, formats: _`formats` } });
  // A CommonJS module: its default export is under .default, as under the sources' loaders and the build's.
  const code = standalone.default(ajv, ajv.compile(schema));
  return [
    `// digest ${digest}`,
    `// Generated by scripts/build.mjs from the ${spec.name} schema (sim/precompiled-validator.ts): do not edit.`,
    '"use strict";',
    'const module = { exports: {} };',
    code,
    'return module.exports;',
    '',
  ].join('\n');
}

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { setV8Flags } from './v8-flags.ts';

// V8 refuses a cache made under other flags: the build makes these caches, and commands read them, with the same flags.
setV8Flags();

/**
 * V8's code cache for a generated validator (sim/precompiled-validator.ts).
 *
 * Evaluating a generated file still cost a command about 75 ms (scenario)
 * and 190 ms (event catalogue), most of it V8 compiling the one large
 * validate function at its first call. The build runs each validator once
 * and saves what V8 compiled (`script.createCachedData()`) beside it; a
 * command hands that to V8, which then deserializes the bytecode instead of
 * parsing and compiling the text.
 *
 * V8 checks only that a cache comes from its own version and flags and from
 * a text of the same length: it would run a cache made from another text of
 * that length, and, in release builds, does not check the bytes (a flipped
 * byte can crash the process). So the file starts with a header naming the
 * SHA-256 of the validator's exact text followed by the cache's bytes, and a
 * cache is offered to V8 only when that matches. V8 may still refuse it
 * (another Node, other V8 flags): the text is then compiled as without a
 * cache. Either way the code that runs is the text's.
 */

/** The header line's start; a file without it (or of an older layout) is not read further. */
const MAGIC = 'missionbench validator code cache 1 ';
/** MAGIC, 64 hex digits, a newline. */
const HEADER_LENGTH = MAGIC.length + 64 + 1;

/** How a generated validator was evaluated. */
export type CodeCacheUse = 'used' | 'rejected' | 'none';

/** The script a generated validator's text is evaluated as: a function of (require, formats) returning the validator. */
export function validatorScript(text: string, filename: string, cachedData?: Buffer): vm.Script {
  // One line before the text: lineOffset keeps a stack trace's line numbers those of the file.
  return new vm.Script(`(function (require, formats) {\n${text}\n})`, { filename, lineOffset: -1, ...(cachedData ? { cachedData } : {}) });
}

/** What the header vouches for: exactly this text and exactly these cache bytes. */
function sealOf(text: Buffer, data: Buffer): string {
  return createHash('sha256').update(text).update(data).digest('hex');
}

/** The cache file's contents for V8's cache `data` made from the validator's `text` (its file's bytes). */
export function codeCacheFile(text: Buffer, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${MAGIC}${sealOf(text, data)}\n`, 'latin1'), data]);
}

/** V8's cache in the file at `path`, when the file is whole and was made from exactly `text`; else undefined. */
export function readCodeCache(path: string, text: Buffer): Buffer | undefined {
  let file: Buffer;
  try {
    file = readFileSync(path);
  } catch {
    return undefined;
  }
  const header = file.toString('latin1', 0, HEADER_LENGTH);
  if (file.length <= HEADER_LENGTH || !header.startsWith(MAGIC) || !header.endsWith('\n')) return undefined;
  const data = file.subarray(HEADER_LENGTH);
  return header.slice(MAGIC.length, -1) === sealOf(text, data) ? data : undefined;
}

/**
 * The cache file's contents for a validator's text: the text evaluated and its validator called once, so that V8
 * compiles the validate function (Ajv's standalone code for these schemas is one function, which one call of any
 * value compiles whole: the cache is the same size after every shipped scenario), then what V8 compiled.
 */
export function makeCodeCache(text: Buffer, filename: string, require: NodeJS.Require, formats: unknown): Buffer {
  const script = validatorScript(text.toString('utf8'), filename);
  const validate = (script.runInThisContext() as (require: NodeJS.Require, formats: unknown) => (data: unknown) => boolean)(require, formats);
  validate(null);
  return codeCacheFile(text, script.createCachedData());
}

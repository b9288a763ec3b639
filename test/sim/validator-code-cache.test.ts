import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { VALIDATORS, writeValidators } from '../../cli/build-validators.ts';
import {
  BUILT_VALIDATORS,
  builtValidatorPath,
  codeCachePath,
  readBuiltValidator,
  standaloneValidatorSource,
  type ValidatorSpec,
} from '../../sim/precompiled-validator.ts';
import { tempDir } from '../helpers.ts';

/** A small schema whose generated text has the same length for every limit of one digit. */
const upTo = (limit: number): ValidatorSpec => ({
  name: 'short',
  options: { allErrors: true },
  formats: {},
  schema: () => ({ type: 'string', maxLength: limit }),
});

/**
 * The validator read as a command reads it and how its code cache went; fails the test when the file itself is not
 * used. Read from a copy of the files under a new name: a script this process compiled before from the same text
 * and name, V8 hands back without reading the cache (and says it did not refuse it).
 */
function read(spec: ValidatorSpec, dir: string): { validate: ValidateFunction; codeCache: string } {
  const fresh = tempDir();
  for (const path of [builtValidatorPath(spec, dir), codeCachePath(spec, dir)]) {
    if (existsSync(path)) copyFileSync(path, join(fresh, basename(path)));
  }
  const built = readBuiltValidator(spec, fresh);
  expect(built, 'the generated file is used').toBeDefined();
  return built!;
}

/** Verdicts on strings of 0 to 6 letters: which lengths pass. */
const passing = (validate: ValidateFunction): number[] => [0, 1, 2, 3, 4, 5, 6].filter((length) => validate('x'.repeat(length)));

describe("V8's code cache for the generated validators (sim/validator-code-cache.ts)", () => {
  it('the build made a cache that this Node takes for every validator the commands load', () => {
    for (const spec of VALIDATORS) expect(read(spec, BUILT_VALIDATORS).codeCache, spec.name).toBe('used');
  });

  it('a cache made from another text is not used, even one V8 would take (same length), and the build makes it again', () => {
    const dir = tempDir();
    // Both texts the same length: V8's own check (the length) would let the first one's cache run for the second.
    expect(standaloneValidatorSource(upTo(3)).length).toBe(standaloneValidatorSource(upTo(4)).length);
    writeValidators(dir, [upTo(3)]);
    expect(read(upTo(3), dir).codeCache).toBe('used');
    const cacheOf3 = readFileSync(codeCachePath(upTo(3), dir));

    expect(writeValidators(dir, [upTo(4)])).toEqual(['short.js', 'short.cache']);
    writeFileSync(codeCachePath(upTo(4), dir), cacheOf3);
    const withOtherCache = read(upTo(4), dir);
    expect(passing(withOtherCache.validate)).toEqual([0, 1, 2, 3, 4]);
    expect(withOtherCache.codeCache).toBe('none');

    // The build replaces it; a cache this Node takes is then left as it is.
    writeValidators(dir, [upTo(4)]);
    const rebuilt = read(upTo(4), dir);
    expect(rebuilt.codeCache).toBe('used');
    expect(passing(rebuilt.validate)).toEqual([0, 1, 2, 3, 4]);
    const written = statSync(codeCachePath(upTo(4), dir)).mtimeMs;
    writeValidators(dir, [upTo(4)]);
    expect(statSync(codeCachePath(upTo(4), dir)).mtimeMs).toBe(written);
  });

  it('a damaged or missing cache file is not offered to V8: the text is compiled, same verdicts', () => {
    const dir = tempDir();
    const spec = upTo(2);
    writeValidators(dir, [spec]);
    const cachePath = codeCachePath(spec, dir);
    const whole = readFileSync(cachePath);
    const flipped = Buffer.from(whole);
    // A byte of V8's data, well past its header: V8 itself does not check those (a flipped byte can crash it).
    const at = whole.length - 200;
    flipped[at] = (flipped[at] as number) ^ 0x55;
    const damaged: Record<string, Buffer> = {
      'a flipped byte': flipped,
      'cut short': whole.subarray(0, whole.length - 100),
      'only the header': whole.subarray(0, 102),
      'no header': whole.subarray(102),
      empty: Buffer.alloc(0),
    };
    for (const [how, bytes] of Object.entries(damaged)) {
      writeFileSync(cachePath, bytes);
      const built = read(spec, dir);
      expect(passing(built.validate), how).toEqual([0, 1, 2]);
      expect(built.codeCache, how).toBe('none');
    }
    rmSync(cachePath);
    const missing = read(spec, dir);
    expect(passing(missing.validate)).toEqual([0, 1, 2]);
    expect(missing.codeCache).toBe('none');
  });

  it('a cache V8 refuses (made under other V8 flags) falls back to compiling the text; the build makes it again', () => {
    const dir = tempDir();
    const spec = upTo(5);
    // The build's own code (dist/), run by a Node with another V8 flag: V8 records its flags in the cache.
    const build = pathToFileURL(join(import.meta.dirname, '../../dist/build-validators.js')).href;
    const script = `const { writeValidators } = await import(${JSON.stringify(build)});
      writeValidators(${JSON.stringify(dir)}, [{ name: 'short', options: { allErrors: true }, formats: {}, schema: () => ({ type: 'string', maxLength: 5 }) }]);`;
    execFileSync(process.execPath, ['--stack-size=900', '--input-type=module', '-e', script]);
    const refused = read(spec, dir);
    expect(refused.codeCache).toBe('rejected');
    expect(passing(refused.validate)).toEqual([0, 1, 2, 3, 4, 5]);

    writeValidators(dir, [spec]);
    const rebuilt = read(spec, dir);
    expect(rebuilt.codeCache).toBe('used');
    expect(passing(rebuilt.validate)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

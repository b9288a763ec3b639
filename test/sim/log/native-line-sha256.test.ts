import { spawnSync } from 'node:child_process';
import { hash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChunkedFile } from '../../../sim/log/chunked-file.ts';
import { LineHasher } from '../../../sim/log/line-hasher.ts';
import { type DigestHexAt, lineHashPath, NATIVE_LINE_SHA256 } from '../../../sim/log/native-line-sha256.ts';
import { SessionBlockRoot } from '../../../sim/log/session-block.ts';
import { AuditLogWriter, GENESIS_HASH } from '../../../sim/log/writer.ts';
import { tempDir } from '../../helpers.ts';

/**
 * The build's native line hasher (native/line-sha256.c) against node:crypto:
 * the same digests, the same logs. CI installs a C compiler, so there the
 * addon must be built and in use (a build that silently lost it would make
 * every logged run slower without a failing test; .ci/run sets
 * MISSIONBENCH_REQUIRE_NATIVE_HASH=1 for that).
 */
const built = existsSync(NATIVE_LINE_SHA256);
/** The addon itself, loaded here whether or not the writer uses it (MISSIONBENCH_NATIVE_HASH=off turns the writer's use off). */
const addon = () => createRequire(import.meta.url)(NATIVE_LINE_SHA256) as { bind(memory: Uint8Array): DigestHexAt };

describe('the native line hasher', () => {
  it('is used wherever the build made it, and says why not elsewhere', () => {
    const path = lineHashPath();
    // .ci/run sets it after installing a C compiler: there a build that lost the addon must fail a test.
    if (process.env.MISSIONBENCH_REQUIRE_NATIVE_HASH === '1') {
      expect(built, '.ci/run builds dist/native/line-sha256.node (it installs a C compiler)').toBe(true);
    }
    if (built && process.env.MISSIONBENCH_NATIVE_HASH !== 'off') expect(path).toMatchObject({ native: true });
    else expect(path.native).toBe(false);
    expect(path.why.length).toBeGreaterThan(0);
  });

  it("writes crypto.hash's hex digest of any range, with the native hasher and without", () => {
    const CHUNK = 4096;
    const SPARE = 512;
    const file = new ChunkedFile(null, CHUNK, undefined, SPARE);
    const hashers = [new LineHasher(file.chunk, file.spare, true), new LineHasher(file.chunk, file.spare, false)];
    expect(hashers[0]?.isNative).toBe(lineHashPath().native);
    expect(hashers[1]?.isNative).toBe(false);
    const line = fc.record({ start: fc.nat(CHUNK - 64), length: fc.nat(SPARE + 200), seed: fc.nat(255), which: fc.nat(1) });
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 30 }), (lines) => {
        for (const { start, length, seed, which } of lines) {
          const end = Math.min(CHUNK - 64, start + length);
          for (let i = start; i < end; i++) file.chunk[i] = (seed + i * 31) & 0xff;
          const expected = hash('sha256', file.chunk.subarray(start, end), 'hex');
          // The hex goes where the range ends, as the writer puts it (after the range is read).
          (hashers[which] as LineHasher).digestHexAt(start, end, end);
          expect(file.chunk.toString('latin1', end, end + 64)).toBe(expected);
        }
      }),
      { numRuns: 300 },
    );
  });

  it.skipIf(!built)('refuses a range or a digest place outside its memory, and writes nothing then', () => {
    const memory = new Uint8Array(100).fill(7);
    const digestHexAt = addon().bind(memory);
    expect(() => digestHexAt(0, 101, 0)).toThrow(RangeError);
    expect(() => digestHexAt(0, 10, 37)).toThrow(RangeError);
    expect(() => digestHexAt(6, 5, 0)).toThrow(RangeError);
    expect(() => digestHexAt(-1, 5, 0)).toThrow(TypeError);
    expect(() => digestHexAt(0.5, 5, 0)).toThrow(TypeError);
    expect(() => (digestHexAt as (...args: unknown[]) => void)(0, 5)).toThrow(TypeError);
    expect([...memory].every((byte) => byte === 7)).toBe(true);
    digestHexAt(0, 36, 36);
    expect(Buffer.from(memory).toString('latin1', 36, 100)).toBe(hash('sha256', new Uint8Array(36).fill(7), 'hex'));
  });

  it.skipIf(!built)('reads its memory as it is at each call: shrunk or handed away, it refuses instead of writing where the memory was', () => {
    // A resizable ArrayBuffer (ES2024; the project's TypeScript library predates it).
    const Resizable = ArrayBuffer as unknown as new (length: number, options: { maxByteLength: number }) => ArrayBuffer & { resize(length: number): void };
    const growable = new Resizable(300, { maxByteLength: 4096 });
    const shrinking = addon().bind(new Uint8Array(growable));
    growable.resize(100);
    expect(() => shrinking?.(0, 150, 0)).toThrow(RangeError);
    shrinking?.(0, 30, 36);
    const handed = new Uint8Array(300);
    const detached = addon().bind(handed);
    structuredClone(handed.buffer, { transfer: [handed.buffer] });
    expect(() => detached?.(0, 100, 200)).toThrow(RangeError);
  });
});

/** An event for the writer: its field's length (short, about an op line's, near a chunk's size, longer than a chunk). */
const event = fc.record({
  t: fc.nat(),
  mission: fc.constantFrom(null, 'm1', 'mission-two'),
  size: fc.oneof(fc.nat(40), fc.integer({ min: 200, max: 400 }), fc.constantFrom(100_000, 262_000, 300_000)),
  after: fc.constantFrom('nothing', 'lastHash', 'root'),
});

interface Written {
  bytes: string;
  /** writer.lastHash read after some events, and the roots of the events given to a session block. */
  seen: string[];
  root: string;
}

function write(events: ReadonlyArray<typeof event extends fc.Arbitrary<infer E> ? E : never>, nativeHash: boolean): Written {
  const path = join(tempDir(), 'events.jsonl');
  const writer = new AuditLogWriter(path, nativeHash);
  const block = new SessionBlockRoot();
  const seen: string[] = [];
  for (const [i, { t, mission, size, after }] of events.entries()) {
    writer.emit(t, 'test.event', mission, `actor-${i % 3}`, { value: 'x'.repeat(size), i });
    if (after === 'lastHash') seen.push(writer.lastHash);
    if (after === 'root') writer.lastHashInto(block);
  }
  const { fingerprint } = writer.close();
  seen.push(fingerprint);
  return { bytes: readFileSync(path, 'latin1'), seen, root: block.digest() };
}

describe('the audit log with the native line hasher', () => {
  it('is the log node:crypto gives, a correct chain, and lastHash and the session roots read it right across chunk turns', () => {
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 60 }), (events) => {
        const native = write(events, true);
        const crypto = write(events, false);
        expect(native).toEqual(crypto);
        // The chain checked from the file alone, not against the other writer.
        const lines = native.bytes.split('\n').slice(0, -1);
        let prev = GENESIS_HASH;
        const hashes: string[] = [];
        for (const line of lines) {
          const cut = line.length - (',"hash":"'.length + 64 + 2);
          const body = `${line.slice(0, cut)}}`;
          expect(JSON.parse(line).prev).toBe(prev);
          prev = JSON.parse(line).hash;
          expect(hash('sha256', Buffer.from(body, 'latin1'), 'hex')).toBe(prev);
          hashes.push(prev);
        }
        const wanted: string[] = [];
        const rooted: string[] = [];
        events.forEach(({ after }, i) => {
          if (after === 'lastHash') wanted.push(hashes[i] as string);
          if (after === 'root') rooted.push(hashes[i] as string);
        });
        wanted.push(prev);
        expect(native.seen).toEqual(wanted);
        const root = new SessionBlockRoot();
        for (const h of rooted) root.add(h);
        expect(native.root).toBe(root.digest());
      }),
      { numRuns: 25 },
    );
  });
});

describe('MISSIONBENCH_NATIVE_HASH', () => {
  it('=off makes a command hash with node:crypto, anything else with the addon where it is built, and the runs write the same files', () => {
    const bin = new URL('../../../bin/missionbench.mjs', import.meta.url).pathname;
    const run = (env: Record<string, string>) => {
      const out = tempDir();
      const result = spawnSync(process.execPath, [bin, 'run', 'token-lifetime-sizing', '--seed', '4', '--out', out], {
        encoding: 'utf8',
        env: { ...process.env, ...env },
      });
      expect(result.status, result.stderr).toBe(0);
      return out;
    };
    const off = run({ MISSIONBENCH_NATIVE_HASH: 'off' });
    const on = run({ MISSIONBENCH_NATIVE_HASH: '' });
    for (const file of ['events.jsonl', 'truth.jsonl', 'manifest.json']) {
      expect(readFileSync(join(off, file)).equals(readFileSync(join(on, file))), file).toBe(true);
    }
    const probe = (env: Record<string, string>) =>
      spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          '-e',
          `import('${new URL('../../../sim/log/native-line-sha256.ts', import.meta.url).pathname}').then((m) => console.log(JSON.stringify(m.lineHashPath())))`,
        ],
        {
          encoding: 'utf8',
          env: { ...process.env, ...env },
        },
      );
    expect(JSON.parse(probe({ MISSIONBENCH_NATIVE_HASH: 'off' }).stdout)).toEqual({ native: false, why: 'switched off (MISSIONBENCH_NATIVE_HASH=off)' });
    expect(JSON.parse(probe({ MISSIONBENCH_NATIVE_HASH: '' }).stdout).native).toBe(built);
    expect(JSON.parse(probe({ MISSIONBENCH_NATIVE_HASH: 'on' }).stdout).native).toBe(built);
  });
});

import { hash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChunkedFile } from '../../../sim/log/chunked-file.ts';
import { LineHasher } from '../../../sim/log/line-hasher.ts';

const CHUNK = 4096;
const SPARE = 256;

describe('LineHasher', () => {
  it("gives crypto.hash's digest of the chunk's bytes in range, whatever the lines' lengths and places and their order", () => {
    const file = new ChunkedFile(null, CHUNK, undefined, SPARE);
    const hasher = new LineHasher(file.chunk, file.spare);
    const line = fc.record({ start: fc.nat(CHUNK - 1), length: fc.nat(SPARE + 64), seed: fc.nat(255) });
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 40 }), (lines) => {
        for (const { start, length, seed } of lines) {
          const end = Math.min(CHUNK, start + length);
          // New bytes under each line, as the writer writes each line before hashing it (a kept view must not see old ones).
          for (let i = start; i < end; i++) file.chunk[i] = (seed + i * 31) & 0xff;
          expect(hasher.digest(start, end)).toBe(hash('sha256', file.chunk.subarray(start, end), 'binary'));
        }
      }),
    );
  });

  it('refuses spare bytes that do not follow the chunk', () => {
    const file = new ChunkedFile(null, CHUNK, undefined, SPARE);
    expect(() => new LineHasher(file.chunk, Buffer.alloc(SPARE))).toThrow(/follow the chunk/);
  });
});

import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RunningSha256 } from '../../../sim/log/sha256.ts';

const nodeSha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

function running(pieces: readonly string[]): string {
  const hash = new RunningSha256();
  for (const piece of pieces) hash.update(piece);
  return hash.digestHex();
}

describe('RunningSha256', () => {
  it('gives the FIPS 180-4 test vectors', () => {
    expect(running([])).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(running(['abc'])).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(running(['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'])).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  });

  it('is node:crypto SHA-256 of the concatenation, for any text split any way (UTF-8, every padding length)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ maxLength: 140 }), fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }))),
        (pieces) => {
          expect(running(pieces)).toBe(nodeSha256(pieces.join('')));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('handles every message length across block boundaries', () => {
    for (let length = 0; length <= 200; length++) {
      const text = 'x'.repeat(length);
      expect(running([text])).toBe(nodeSha256(text));
      expect(running([text.slice(0, length >> 1), text.slice(length >> 1)])).toBe(nodeSha256(text));
    }
  });

  it('hashes a long run of 65-byte event hashes as node:crypto does', () => {
    const hashes = Array.from({ length: 5000 }, (_, i) => nodeSha256(String(i)));
    expect(running(hashes.map((h, i) => (i === 0 ? h : `\n${h}`)))).toBe(nodeSha256(hashes.join('\n')));
  });
});

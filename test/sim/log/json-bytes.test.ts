import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonBytes, literal, WordLiteral } from '../../../sim/log/json-bytes.ts';

/**
 * JsonBytes.string copies plain ASCII itself (plainAscii) and hands every
 * other string to JSON.stringify: the contract is JSON.stringify's text in
 * UTF-8, whichever path a string takes and wherever in the buffer it lands.
 */

// Every character class the two paths tell apart: all 32 controls, the two escapes, DEL, the edges of UTF-8's
// 1/2/3-byte forms, the last BMP character, surrogate pairs and lone surrogates (JSON.stringify writes those as \udXXX).
const CONTROLS = Array.from({ length: 0x20 }, (_, code) => String.fromCharCode(code));
const EDGES = ['"', '\\', '/', ' ', '~', '\u007f', '\u0080', '\u00ff', '\u0100', '\u07ff', '\u0800', '\u2028', '\ufffd', '\uffff', '😀', '\u{10ffff}'];
const LONE = ['\ud800', '\udbff', '\udc00', '\udfff'];
const piece = fc.oneof(
  fc.string({ unit: 'grapheme-ascii', maxLength: 50 }),
  fc.constantFrom(...CONTROLS, ...EDGES, ...LONE),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 8 }),
);
// Pieces joined, so that any of them can come first or last (a lone surrogate at the start or at the end).
const text = fc.array(piece, { maxLength: 6 }).map((pieces) => pieces.join(''));

/** `texts` written one after another from `offset` into a buffer of `size` bytes, as the writer does. */
function written(texts: readonly string[], offset: number, size = 1 << 16): { out: JsonBytes; bytes: Buffer } {
  const out = new JsonBytes(Buffer.alloc(size));
  out.pos = offset;
  for (const t of texts) out.string(t);
  return { out, bytes: out.bytes.subarray(offset, out.pos) };
}

const stringified = (texts: readonly string[]) => Buffer.from(texts.map((t) => JSON.stringify(t)).join(''), 'utf8');

describe('JsonBytes.string', () => {
  it('writes exactly the bytes of JSON.stringify in UTF-8, whatever the characters', () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 5 }), fc.nat(300), (texts, offset) => {
        const { out, bytes } = written(texts, offset);
        expect(out.overflowed).toBe(false);
        expect(bytes.equals(stringified(texts))).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('writes every control character, the escapes and the edges of UTF-8 alone, first, last and between plain text', () => {
    for (const c of [...CONTROLS, ...EDGES, ...LONE, '\ud83d\ude00', '\ude00\ud83d']) {
      const texts = [c, `${c}mission`, `mission${c}`, `m${c}${c}x`, 'plain-ascii'.repeat(4) + c];
      const { bytes } = written(texts, 7);
      expect(bytes.equals(stringified(texts)), JSON.stringify(c)).toBe(true);
    }
  });

  it('writes strings longer than the slack the writer keeps, and sets overflowed instead of writing past the end', () => {
    let overflowed = 0;
    let fitted = 0;
    fc.assert(
      fc.property(text, fc.integer({ min: 200, max: 3000 }), fc.integer({ min: 2048, max: 8192 }), (t, repeat, size) => {
        const long = `${t}x`.repeat(Math.ceil(repeat / (t.length + 1)));
        const { out, bytes } = written([long], 0, size);
        const want = Buffer.from(JSON.stringify(long), 'utf8');
        if (out.overflowed) {
          // Nothing written (the caller starts the line again in a fresh buffer); its JSON text would not have fitted
          // with 256 bytes to spare at 3 bytes a character.
          expect(out.pos).toBe(0);
          expect(JSON.stringify(long).length * 3 + 256).toBeGreaterThan(size);
          overflowed++;
        } else {
          expect(bytes.equals(want)).toBe(true);
          // Written, and the slack the pieces after it rely on is still free.
          expect(out.pos + 256).toBeLessThanOrEqual(size);
          fitted++;
        }
      }),
      { numRuns: 500 },
    );
    // Both outcomes were reached.
    expect(overflowed).toBeGreaterThan(20);
    expect(fitted).toBeGreaterThan(20);
  });

  it('numberedName writes prefix#number as JSON.stringify writes that string', () => {
    fc.assert(
      fc.property(text, fc.oneof(fc.nat(), fc.constantFrom(1e9, 2 ** 53 - 1, 1.5, -3, Number.NaN)), (prefix, number) => {
        const out = new JsonBytes(Buffer.alloc(1 << 16));
        out.numberedName(prefix, number);
        expect(out.bytes.subarray(0, out.pos).equals(Buffer.from(JSON.stringify(`${prefix}#${number}`), 'utf8'))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('JsonBytes.word', () => {
  const ascii = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), minLength: 8, maxLength: 12 });

  it("writes a literal's bytes as fixed does, at any offset up to the buffer's end, and no byte around it", () => {
    fc.assert(
      fc.property(ascii, fc.nat(40), fc.nat(255), (text, slack, fill) => {
        // The literal lands anywhere, down to ending on the buffer's last byte; the bytes around it hold `fill`.
        const size = 64;
        const offset = size - text.length - (slack % (size - text.length + 1));
        const byWord = new JsonBytes(Buffer.alloc(size, fill));
        const byFixed = new JsonBytes(Buffer.alloc(size, fill));
        byWord.pos = offset;
        byFixed.pos = offset;
        byWord.word(new WordLiteral(text));
        byFixed.fixed(literal(text));
        expect(byWord.pos).toBe(offset + text.length);
        expect(byWord.bytes.equals(byFixed.bytes)).toBe(true);
      }),
    );
  });

  it('refuses a literal it cannot write in three stores', () => {
    expect(() => new WordLiteral('1234567')).toThrow(RangeError);
    expect(() => new WordLiteral('1234567890123')).toThrow(RangeError);
  });
});

describe('JsonBytes past the end of its buffer', () => {
  // After a failed check a caller's pieces of known length go on until it looks at `overflowed`; those that would
  // pass the end are not written (a native copy or DataView store there throws) and the line stays overflowed.
  const pieces: Array<[string, (out: JsonBytes) => void]> = [
    ['fixed, longer than a loop copies', (out) => out.fixed(literal(',"event_seq":12345'))],
    ['fixed, a few bytes', (out) => out.fixed(literal(',"t":'))],
    ['word', (out) => out.word(new WordLiteral(',"prev":"'))],
    ['number', (out) => out.number(1_234_567_890_123)],
    ['hex', (out) => out.hex('ab'.repeat(32))],
  ];
  for (const [name, write] of pieces) {
    it(`${name}: nothing written past the end, no throw, the line marked overflowed`, () => {
      for (let from = 20; from <= 40; from++) {
        const memory = Buffer.alloc(64, 0x2e);
        const bytes = memory.subarray(0, 32);
        const out = new JsonBytes(bytes);
        out.pos = from;
        expect(() => write(out)).not.toThrow();
        // Bytes past the buffer (the rest of the same memory) are never touched.
        expect(memory.subarray(32).every((byte) => byte === 0x2e)).toBe(true);
        if (out.pos > bytes.length) expect(out.overflowed).toBe(true);
      }
    });
  }
});

/**
 * SHA-256 (FIPS 180-4) over text fed in pieces, whose whole state is a few
 * small fields: eight 32-bit words, a byte count and the unhashed tail (under
 * one 64-byte block). A session block keeps one running hash per open
 * mission, tens of thousands in a large run; node:crypto's `Hash` costs
 * about 1 KB each with its OpenSSL context (most of it outside the V8 heap)
 * plus the batch buffer that saved a native call per event; this costs
 * about 300 B. The digest is SHA-256's, byte for byte:
 * test/sim/log/sha256.test.ts checks it against node:crypto for any text
 * split any way.
 */
export class RunningSha256 {
  private h0 = 0x6a09e667 | 0;
  private h1 = 0xbb67ae85 | 0;
  private h2 = 0x3c6ef372 | 0;
  private h3 = 0xa54ff53a | 0;
  private h4 = 0x510e527f | 0;
  private h5 = 0x9b05688c | 0;
  private h6 = 0x1f83d9ab | 0;
  private h7 = 0x5be0cd19 | 0;
  /** Bytes hashed into the words so far (a multiple of 64). */
  private compressed = 0;
  /** The bytes not yet hashed, one char per byte (latin1), fewer than 64. */
  private tail = '';

  /** Hashes `text` as UTF-8. */
  update(text: string): void {
    const bytes = ASCII.test(text) ? text : Buffer.from(text, 'utf8').toString('latin1');
    this.updateBytes(this.tail.length === 0 ? bytes : this.tail + bytes);
  }

  /** The hex digest; the hash must not be used afterwards. */
  digestHex(): string {
    const length = this.compressed + this.tail.length;
    const bits = length * 8;
    // 0x80, zeros up to 56 bytes mod 64, then the length in bits as 64-bit big-endian.
    const zeros = (((55 - length) % 64) + 64) % 64;
    const high = Math.floor(bits / 0x100000000);
    const low = bits >>> 0;
    this.updateBytes(`${this.tail}\x80${'\0'.repeat(zeros)}${word(high)}${word(low)}`);
    return hex(this.h0) + hex(this.h1) + hex(this.h2) + hex(this.h3) + hex(this.h4) + hex(this.h5) + hex(this.h6) + hex(this.h7);
  }

  /** Hashes every whole block of `bytes` (one byte per char); keeps the rest as the tail. */
  private updateBytes(bytes: string): void {
    let offset = 0;
    for (; offset + 64 <= bytes.length; offset += 64) this.block(bytes, offset);
    this.compressed += offset;
    // A slice keeps the text it is cut from alive (at most two blocks' worth): cheaper than a copy per event.
    this.tail = offset === 0 ? bytes : bytes.slice(offset);
  }

  private block(bytes: string, offset: number): void {
    const w = W;
    for (let i = 0; i < 16; i++) {
      const at = offset + i * 4;
      w[i] = (bytes.charCodeAt(at) << 24) | (bytes.charCodeAt(at + 1) << 16) | (bytes.charCodeAt(at + 2) << 8) | bytes.charCodeAt(at + 3);
    }
    for (let i = 16; i < 64; i++) {
      const x = w[i - 15] as number;
      const y = w[i - 2] as number;
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[i] = ((w[i - 16] as number) + s0 + (w[i - 7] as number) + s1) | 0;
    }
    let a = this.h0;
    let b = this.h1;
    let c = this.h2;
    let d = this.h3;
    let e = this.h4;
    let f = this.h5;
    let g = this.h6;
    let h = this.h7;
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (h + S1 + ((e & f) ^ (~e & g)) + (K[i] as number) + (w[i] as number)) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    this.h0 = (this.h0 + a) | 0;
    this.h1 = (this.h1 + b) | 0;
    this.h2 = (this.h2 + c) | 0;
    this.h3 = (this.h3 + d) | 0;
    this.h4 = (this.h4 + e) | 0;
    this.h5 = (this.h5 + f) | 0;
    this.h6 = (this.h6 + g) | 0;
    this.h7 = (this.h7 + h) | 0;
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the test is for 7-bit text, control characters included
const ASCII = /^[\x00-\x7f]*$/;

/** The message schedule, shared: one block is hashed at a time. */
const W = new Int32Array(64);

const K = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74,
  0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d,
  0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e,
  0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
  0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** A 32-bit word as four chars, big-endian. */
function word(x: number): string {
  return String.fromCharCode((x >>> 24) & 0xff, (x >>> 16) & 0xff, (x >>> 8) & 0xff, x & 0xff);
}

function hex(x: number): string {
  return (x >>> 0).toString(16).padStart(8, '0');
}

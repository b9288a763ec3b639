/**
 * JSON text written straight into a byte buffer, piece by piece, giving
 * exactly the bytes JSON.stringify and UTF-8 encoding would: the audit
 * writer builds each line this way instead of building the line as a string
 * (a JSON.stringify of the fields, a concatenation, then an encode into the
 * chunk). Nearly everything on an audit line is short printable ASCII
 * (keys, ids, numbers, hex hashes), which is copied code unit by code unit;
 * anything else goes through JSON.stringify, so the output never depends on
 * which path wrote it.
 *
 * Writes past the end of the buffer would be lost silently (typed arrays
 * drop them), so every piece of unknown length first checks that it leaves
 * SLACK bytes free, and sets `overflowed` instead of writing when it would
 * not; the pieces of known length that follow it (at most SLACK bytes
 * before the next check) need no check. The caller then starts the line
 * again in a fresh buffer. After a failed check the caller's pieces go on
 * until it looks at `overflowed`, so a piece of known length may then lie
 * past the end: the native copies and DataView stores (which would throw
 * there, where a typed array's own stores are dropped) are not made, and
 * the line stays marked overflowed.
 */
const SLACK = 256;
const SHORT_PIECE = 12;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const NUMBER_SIGN = 0x23;

/**
 * 1 for the ASCII characters JSON writes as they are (printable, other than
 * `"` and `\`), 0 for those it escapes: one load in place of four
 * comparisons per character, about a quarter less time in plainAscii (V8,
 * Node 20: 75 instead of 100 ns for 43 characters, 20 instead of 33 for 10).
 */
const PLAIN = Uint8Array.from({ length: 0x80 }, (_, code) => (code >= 0x20 && code < 0x7f && code !== QUOTE && code !== BACKSLASH ? 1 : 0));

/** An ASCII literal as bytes, for `fixed`. */
export function literal(text: string): Uint8Array {
  return Buffer.from(text, 'latin1');
}

/**
 * An ASCII literal of 8 to 12 bytes (`,"prev":"`, `,"hash":"`, written on
 * every line) as three little-endian 32-bit words, for `word`: the bytes
 * at 0 and 4, and the four that end the literal (overlapping the second
 * word when shorter than 12), so three stores write it and no byte past it.
 */
export class WordLiteral {
  readonly first: number;
  readonly second: number;
  readonly last: number;
  readonly length: number;

  constructor(readonly text: string) {
    if (text.length < 8 || text.length > 12) throw new RangeError(`a word literal is 8 to 12 bytes, got ${text.length}`);
    const bytes = Buffer.from(text, 'latin1');
    this.first = bytes.readInt32LE(0);
    this.second = bytes.readInt32LE(4);
    this.last = bytes.readInt32LE(text.length - 4);
    this.length = text.length;
  }
}

/** "00" to "99" as ASCII, first digit in the low byte (for a little-endian 16-bit store), for writing numbers two digits at a time. */
const DIGIT_PAIRS = Uint16Array.from({ length: 100 }, (_, i) => (0x30 + Math.floor(i / 10)) | ((0x30 + (i % 10)) << 8));

/** How many decimal digits `value` (0 <= value < 1e9) has. */
function digitCount(value: number): number {
  if (value < 1e4) return value < 10 ? 1 : value < 100 ? 2 : value < 1e3 ? 3 : 4;
  if (value < 1e6) return value < 1e5 ? 5 : 6;
  return value < 1e7 ? 7 : value < 1e8 ? 8 : 9;
}

const HEX_DIGITS = '0123456789abcdef';
/** The two hex digits of every byte value as ASCII, first digit in the low byte (for a little-endian 16-bit store): line-hasher.ts writes a digest's hex with it. */
export const HEX_PAIRS = Uint16Array.from({ length: 256 }, (_, b) => HEX_DIGITS.charCodeAt(b >> 4) | (HEX_DIGITS.charCodeAt(b & 15) << 8));

export class JsonBytes {
  bytes: Buffer;
  /** Where the next byte goes. */
  pos = 0;
  /** A piece did not fit: what was written since the caller's start is incomplete. */
  overflowed = false;

  /** The same memory, for writing two bytes in one store. */
  private readonly view: DataView;

  constructor(bytes: Buffer) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  }

  /** `text`, known to be ASCII of fixed, short length (literals, hex digests): no check, no escaping. */
  ascii(text: string): void {
    const bytes = this.bytes;
    let pos = this.pos;
    for (let i = 0; i < text.length; i++) bytes[pos++] = text.charCodeAt(i);
    this.pos = pos;
  }

  /** Bytes that are already JSON in UTF-8, of any length (a line shape's fixed parts). */
  raw(piece: Uint8Array): void {
    if (this.pos + piece.length + SLACK > this.bytes.length) {
      this.overflowed = true;
      return;
    }
    this.fixed(piece);
  }

  /**
   * Bytes the caller knows there is room for (a literal made by `literal`,
   * or a piece no longer than the room checked for): no check. A loop for a
   * few bytes, one native copy for more (its call costs as much as a dozen
   * bytes in the loop).
   */
  fixed(piece: Uint8Array): void {
    const bytes = this.bytes;
    let pos = this.pos;
    if (this.pastEnd(pos + piece.length)) {
      this.pos = pos + piece.length;
      return;
    }
    if (piece.length > SHORT_PIECE) {
      bytes.set(piece, pos);
      this.pos = pos + piece.length;
      return;
    }
    for (let i = 0; i < piece.length; i++) bytes[pos++] = piece[i] as number;
    this.pos = pos;
  }

  /**
   * A literal the caller knows there is room for, by three 32-bit stores:
   * a loop over its bytes cost about 20 ns a line for the two on every line.
   */
  word(literal: WordLiteral): void {
    const view = this.view;
    const pos = this.pos;
    this.pos = pos + literal.length;
    if (this.pastEnd(pos + literal.length)) return;
    view.setInt32(pos, literal.first, true);
    view.setInt32(pos + 4, literal.second, true);
    view.setInt32(pos + literal.length - 4, literal.last, true);
  }

  /** Whether a piece ending at `end` would pass the buffer's end (only after a failed check): then it is marked overflowed. */
  private pastEnd(end: number): boolean {
    if (end <= this.bytes.length) return false;
    this.overflowed = true;
    return true;
  }

  /** `length` bytes from earlier in the buffer (`from`), copied to the end. */
  copyBack(from: number, length: number): void {
    this.bytes.copyWithin(this.pos, from, from + length);
    this.pos += length;
  }

  /** `length` bytes from earlier in the buffer (`from`) of any length, copied to the end: checked as `raw` is. */
  repeat(from: number, length: number): void {
    if (this.pos + length + SLACK > this.bytes.length) {
      this.overflowed = true;
      return;
    }
    this.copyBack(from, length);
  }

  /** A hex digest (64 ASCII characters): one native write, no check. */
  hex(digest: string): void {
    if (this.pastEnd(this.pos + digest.length)) this.pos += digest.length;
    else this.pos += this.bytes.write(digest, this.pos, 'latin1');
  }

  /**
   * A number as a template literal prints it (`${n}`), which for a finite
   * number is also JSON's form. Integers (seq, t, microsecond fields: nearly
   * every number in a log) are written digit by digit; others through String().
   */
  number(value: number): void {
    if (!(value >= 0 && value <= Number.MAX_SAFE_INTEGER && Math.floor(value) === value)) {
      this.ascii(String(value));
      return;
    }
    // In 32-bit pieces of nine digits: integer division on larger values is floating point.
    if (value < 1e9) {
      this.smallDigits(value | 0, 0);
      return;
    }
    const high = Math.floor(value / 1e9);
    this.smallDigits(high, 0);
    this.smallDigits((value - high * 1e9) | 0, 9);
  }

  /** `value` (0 <= value < 1e9) in decimal, left-padded with zeros to `width` digits; two digits per division and store. */
  private smallDigits(value: number, width: number): void {
    let length = digitCount(value);
    if (length < width) length = width;
    const view = this.view;
    let pos = this.pos + length;
    this.pos = pos;
    if (this.pastEnd(pos)) return;
    let left = length;
    for (; left >= 2; left -= 2) {
      const next = (value / 100) | 0;
      pos -= 2;
      view.setUint16(pos, DIGIT_PAIRS[value - next * 100] as number, true);
      value = next;
    }
    if (left === 1) this.bytes[pos - 1] = 0x30 + value;
  }

  /** `text` as JSON.stringify(text) writes it. */
  string(text: string): void {
    if (this.pos + text.length * 3 + 2 + SLACK > this.bytes.length) {
      this.overflowed = true;
      return;
    }
    const start = this.pos;
    this.bytes[start] = QUOTE;
    const end = this.plainAscii(text, start + 1);
    if (end < 0) return this.encoded(JSON.stringify(text));
    this.bytes[end] = QUOTE;
    this.pos = end + 1;
  }

  /** `${prefix}#${number}` as JSON.stringify writes that string, without building it. */
  numberedName(prefix: string, number: number): void {
    if (this.pos + prefix.length * 3 + 2 + SLACK > this.bytes.length) {
      this.overflowed = true;
      return;
    }
    const start = this.pos;
    this.bytes[start] = QUOTE;
    const end = this.plainAscii(prefix, start + 1);
    if (end < 0) return this.string(`${prefix}#${number}`);
    this.bytes[end] = NUMBER_SIGN;
    this.pos = end + 1;
    // A number's text (digits, '.', 'e', '+', '-', Infinity, NaN) needs no escaping, and fits in SLACK.
    this.number(number);
    this.bytes[this.pos++] = QUOTE;
  }

  /**
   * Copies `text` from `pos` when every character is printable ASCII other
   * than the two JSON escapes (the common case: copied as is); returns the
   * position after it, or -1 when some character needs JSON.stringify (the
   * caller then writes from its start again; `this.pos` was not moved).
   */
  private plainAscii(text: string, pos: number): number {
    const bytes = this.bytes;
    const length = text.length;
    for (let i = 0; i < length; i++) {
      const code = text.charCodeAt(i);
      if (code >= 0x80 || PLAIN[code] === 0) return -1;
      bytes[pos + i] = code;
    }
    return pos + length;
  }

  /**
   * `,"key":value` as JSON.stringify writes a member of an object, or
   * nothing where it leaves the member out (undefined, functions, symbols).
   * Returns false when the member needs JSON.stringify's own handling of the
   * whole object (a toJSON method, which is called with the key).
   */
  member(key: string, value: unknown): boolean {
    switch (typeof value) {
      case 'string':
        this.key(key);
        this.string(value);
        return true;
      case 'number':
        this.key(key);
        if (Number.isFinite(value)) this.number(value);
        else this.ascii('null');
        return true;
      case 'boolean':
        this.key(key);
        this.ascii(value ? 'true' : 'false');
        return true;
      case 'undefined':
      case 'symbol':
        return true;
      case 'function':
        return key !== 'toJSON';
      default: {
        // Objects, arrays, null, bigint (which throws, as JSON.stringify does). A toJSON
        // method is called with the member's key, which only the whole object's stringify passes.
        if (value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
        const json = JSON.stringify(value) as string | undefined;
        if (json === undefined) return true;
        this.key(key);
        this.encoded(json);
        return true;
      }
    }
  }

  /** `,"key":`, the start of a member. */
  private key(key: string): void {
    this.bytes[this.pos++] = COMMA;
    this.string(key);
    this.bytes[this.pos++] = COLON;
  }

  /** Text that is already JSON, in UTF-8. */
  encoded(json: string): void {
    if (this.pos + json.length * 3 + SLACK > this.bytes.length) {
      this.overflowed = true;
      return;
    }
    this.pos += this.bytes.write(json, this.pos, 'utf8');
  }
}

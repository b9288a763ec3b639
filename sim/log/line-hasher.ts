import { hash as sha256Once } from 'node:crypto';
import { HEX_PAIRS } from './json-bytes.ts';
import { type DigestHexAt, nativeDigestHexAt } from './native-line-sha256.ts';

/**
 * SHA-256 of a line held in a chunk (ChunkedFile's), without a new view of
 * it per line. crypto.hash takes a whole view and no offset, so hashing
 * bytes where they lie costs a Uint8Array made per line (about 100 B of
 * garbage an event, a third of the audit log's). Instead the line is
 * copied (one native memmove) into the spare bytes that follow the chunk
 * in the same memory, and hashed through a view kept for its length: every
 * line of one length starts at the same place there, so one view per
 * length serves them all. A view is only read by crypto.hash during the
 * call, and the spare bytes are rewritten only by the next line's copy, so
 * no caller can see a view change under it.
 *
 * Where the build made the native hasher (native-line-sha256.ts), a line
 * is hashed where it lies and its hex written by one native call instead:
 * `digestHexAt` gives the same bytes either way.
 */
export class LineHasher {
  /** The chunk and its spare bytes as one array, for copyWithin between them. */
  private readonly memory: Uint8Array;
  /** Views of the spare bytes' first `length` bytes, by length, made when first needed. */
  private readonly views: Array<Uint8Array | undefined>;

  /** The chunk, for writing a digest's hex two digits per store. */
  private readonly chunkView: DataView;
  /** The native hasher bound to the chunk, or undefined (node:crypto hashes). */
  private readonly native: DigestHexAt | undefined;

  /**
   * `spare` must follow `chunk` directly in the same memory (ChunkedFile's `spare`).
   * @param native whether to use the native hasher where it is built (tests compare both)
   */
  constructor(
    private readonly chunk: Uint8Array,
    private readonly spare: Uint8Array,
    native = true,
  ) {
    if (spare.buffer !== chunk.buffer || spare.byteOffset !== chunk.byteOffset + chunk.length) {
      throw new RangeError('LineHasher: the spare bytes must follow the chunk in the same memory');
    }
    this.memory = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length + spare.length);
    this.views = new Array<Uint8Array | undefined>(spare.length + 1).fill(undefined);
    this.chunkView = new DataView(chunk.buffer, chunk.byteOffset, chunk.length);
    this.native = native ? nativeDigestHexAt(chunk) : undefined;
  }

  /** Whether lines are hashed by the native hasher. */
  get isNative(): boolean {
    return this.native !== undefined;
  }

  /**
   * The digest of the chunk's bytes from `start` to `end`, written into the chunk at `hexAt` as 64 lowercase hex
   * digits (after the bytes are read: the hex may go where the range ends). The chunk must hold the 64 bytes.
   */
  digestHexAt(start: number, end: number, hexAt: number): void {
    if (this.native !== undefined) {
      this.native(start, end, hexAt);
      return;
    }
    const digest = this.digest(start, end);
    if (hexAt + 64 > this.chunk.length) throw new RangeError('LineHasher: the digest does not fit in the chunk there');
    const view = this.chunkView;
    for (let i = 0; i < 32; i++) view.setUint16(hexAt + 2 * i, HEX_PAIRS[digest.charCodeAt(i)] as number, true);
  }

  /** The digest of the chunk's bytes from `start` to `end`, as 32 latin1 characters (one per byte). */
  digest(start: number, end: number): string {
    const length = end - start;
    // A line longer than the spare bytes (rare: a long field) is hashed through a view of its own.
    if (length > this.spare.length) return sha256Once('sha256', this.chunk.subarray(start, end), 'binary');
    let view = this.views[length];
    if (view === undefined) {
      view = this.spare.subarray(0, length);
      this.views[length] = view;
    }
    this.memory.copyWithin(this.chunk.length, start, end);
    return sha256Once('sha256', view, 'binary');
  }
}

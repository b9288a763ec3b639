import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * A JSON Lines file written through one reused chunk: callers encode each
 * line straight into `chunk` at `used` (after `reserve`), and the chunk goes
 * to disk when it would overflow and at `close`. Memory stays flat however
 * long the run, and no line is built twice. Both logs of a run use it: the
 * audit log (which hashes each line in the chunk) and truth.jsonl (which
 * hashes the whole file through `onWrite`).
 *
 * With `path` null nothing is written (a sweep without --logs): the bytes
 * still pass through `onWrite`, so their hashes are the ones a written file
 * would have.
 */
export class ChunkedFile {
  readonly chunk: Buffer;
  /**
   * `spareBytes` bytes that follow `chunk` directly in the same memory and
   * are never written out: room for a caller's scratch copy of a line
   * (line-hasher.ts). Empty unless asked for.
   */
  readonly spare: Buffer;
  /** How many bytes of `chunk` hold lines not yet written. */
  used = 0;
  private readonly fd: number | null;
  private closed = false;

  constructor(
    path: string | null,
    chunkBytes: number,
    /** Sees every byte as it leaves the chunk, in file order. */
    private readonly onWrite?: (bytes: Buffer) => void,
    spareBytes = 0,
  ) {
    this.fd = path === null ? null : openSync(path, 'w');
    const memory = Buffer.allocUnsafe(chunkBytes + spareBytes);
    this.chunk = memory.subarray(0, chunkBytes);
    this.spare = memory.subarray(chunkBytes);
  }

  /** Makes room for `bytes` more in the chunk, writing out what it holds if they might not fit. */
  reserve(bytes: number): void {
    if (this.used + bytes > this.chunk.length) this.flush();
  }

  /** A line too long for the chunk: what the chunk holds goes first, then the line, straight to the file. */
  writeAround(line: Buffer): void {
    this.flush();
    this.writeOut(line);
  }

  /** Writes out what the chunk holds and closes the file (once). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.flush();
    if (this.fd !== null) closeSync(this.fd);
  }

  /** Writes out what the chunk holds. */
  flush(): void {
    if (this.used === 0) return;
    this.writeOut(this.chunk.subarray(0, this.used));
    this.used = 0;
  }

  private writeOut(bytes: Buffer): void {
    this.onWrite?.(bytes);
    if (this.fd === null) return;
    let written = 0;
    while (written < bytes.length) written += writeSync(this.fd, bytes, written);
  }
}

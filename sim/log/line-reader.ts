import { closeSync, openSync, readSync } from 'node:fs';

/** One line of a text file, and whether a newline ended it (a last line without one was cut off). */
export interface FileLine {
  text: string;
  number: number;
  terminated: boolean;
}

const CHUNK = 1 << 20;
const NEWLINE = 0x0a;

/**
 * Reads a file line by line in chunks (1 MiB unless told), synchronously,
 * with flat memory. Lines are split on the newline byte and each is decoded
 * whole, so a multi-byte UTF-8 character that straddles two chunks is read
 * as itself, never as two U+FFFD halves.
 */
export function* fileLines(path: string, fromLine = 1, chunkBytes = CHUNK): Generator<FileLine> {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(chunkBytes);
    // The bytes of a line begun in an earlier chunk, not yet ended.
    let pending: Buffer[] = [];
    let number = 0;
    // A line wholly in this chunk is decoded where it lies, without a view of it.
    const take = (start: number, end: number): string => {
      if (pending.length === 0) return buffer.toString('utf8', start, end);
      const text = Buffer.concat([...pending, buffer.subarray(start, end)]).toString('utf8');
      pending = [];
      return text;
    };
    for (;;) {
      const read = readSync(fd, buffer, 0, chunkBytes, null);
      if (read === 0) break;
      let start = 0;
      for (let end = buffer.indexOf(NEWLINE, 0); end !== -1 && end < read; end = buffer.indexOf(NEWLINE, start)) {
        number++;
        if (number >= fromLine) yield { text: take(start, end), number, terminated: true };
        else pending = [];
        start = end + 1;
      }
      // The buffer is reused for the next chunk: what is left of this one is copied.
      if (start < read) pending.push(Buffer.from(buffer.subarray(start, read)));
    }
    if (pending.length > 0) {
      number++;
      if (number >= fromLine) yield { text: take(0, 0), number, terminated: false };
    }
  } finally {
    closeSync(fd);
  }
}

import { closeSync, openSync, readSync } from 'node:fs';

/** One line of a text file, and whether a newline ended it (a last line without one was cut off). */
export interface FileLine {
  text: string;
  number: number;
  terminated: boolean;
}

const CHUNK = 1 << 20;

/** Reads a file line by line in 1 MiB chunks, synchronously, with flat memory. */
export function* fileLines(path: string, fromLine = 1): Generator<FileLine> {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK);
    let pending = '';
    let number = 0;
    for (;;) {
      const read = readSync(fd, buffer, 0, CHUNK, null);
      if (read === 0) break;
      pending += buffer.toString('utf8', 0, read);
      let start = 0;
      for (let end = pending.indexOf('\n'); end !== -1; end = pending.indexOf('\n', start)) {
        number++;
        if (number >= fromLine) yield { text: pending.slice(start, end), number, terminated: true };
        start = end + 1;
      }
      pending = pending.slice(start);
    }
    if (pending !== '') {
      number++;
      if (number >= fromLine) yield { text: pending, number, terminated: false };
    }
  } finally {
    closeSync(fd);
  }
}

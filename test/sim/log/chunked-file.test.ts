import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChunkedFile } from '../../../sim/log/chunked-file.ts';
import { tempDir } from '../../helpers.ts';

/** Writes lines as the log writers do: into the chunk when they fit, around it when they do not. */
function writeLines(file: ChunkedFile, lines: string[]): void {
  for (const line of lines) {
    const bytes = Buffer.from(`${line}\n`, 'utf8');
    if (bytes.length > file.chunk.length) {
      file.writeAround(bytes);
      continue;
    }
    file.reserve(bytes.length);
    file.used += bytes.copy(file.chunk, file.used);
  }
  file.close();
}

describe('ChunkedFile', () => {
  it('writes every line in order, through a chunk smaller than some lines, and shows each byte once to onWrite', () => {
    const path = join(tempDir(), 'lines.jsonl');
    const seen: Buffer[] = [];
    const lines = ['{"a":1}', 'x'.repeat(40), '{"é":"—"}', '', 'y'.repeat(7), 'z'.repeat(100)];
    writeLines(new ChunkedFile(path, 16, (bytes) => seen.push(Buffer.from(bytes))), lines);
    const expected = `${lines.join('\n')}\n`;
    expect(readFileSync(path, 'utf8')).toBe(expected);
    expect(Buffer.concat(seen).toString('utf8')).toBe(expected);
    // More than one write: the chunk was flushed when full and long lines went around it.
    expect(seen.length).toBeGreaterThan(2);
  });

  it('with no path writes nothing but still shows every byte (a sweep without --logs hashes what it would write)', () => {
    const seen: Buffer[] = [];
    writeLines(new ChunkedFile(null, 8, (bytes) => seen.push(Buffer.from(bytes))), ['abc', 'defghijkl', 'm']);
    expect(Buffer.concat(seen).toString('utf8')).toBe('abc\ndefghijkl\nm\n');
  });

  it('closes once: a second close writes nothing more', () => {
    const path = join(tempDir(), 'once.jsonl');
    const file = new ChunkedFile(path, 64);
    writeLines(file, ['one']);
    file.close();
    expect(readFileSync(path, 'utf8')).toBe('one\n');
  });
});

import { existsSync, readFileSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { takeSidecar } from '../../analysis/column-files.ts';
import { parquetIdentity } from '../../analysis/parquet-identity.ts';
import { tempDir } from '../helpers.ts';

// The Parquet check and the hard link into the analysis are two steps: takeSidecar
// says whether the file it linked is the one seen (by its identity) before the check.
// The race itself is not timed here; each case sets up what a file changed between
// the two steps leaves behind.

function sidecar(): { file: string; target: string } {
  const dir = tempDir();
  const file = join(dir, 'events.parquet');
  writeFileSync(file, 'the rows the run wrote');
  return { file, target: join(dir, 'analysis', 'run-0.parquet') };
}

describe('takeSidecar confirms it linked the file that was checked', () => {
  it('the same file: linked, and confirmed', () => {
    const { file, target } = sidecar();
    const seen = parquetIdentity(file);
    expect(takeSidecar(file, target, seen)).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('the rows the run wrote');
  });

  it('replaced by a rename after the check (another inode, same size and time): refused', () => {
    const { file, target } = sidecar();
    // Both files get the same whole-millisecond time, so that only the inode tells them apart.
    const time = new Date(1_700_000_000_000);
    utimesSync(file, time, time);
    const seen = parquetIdentity(file);
    const other = `${file}.new`;
    writeFileSync(other, 'the rows another wrote');
    utimesSync(other, time, time);
    renameSync(other, file);
    const now = parquetIdentity(file);
    expect([now?.size, now?.mtime_ns]).toEqual([seen?.size, seen?.mtime_ns]);
    expect(now?.ino).not.toBe(seen?.ino);
    expect(takeSidecar(file, target, seen)).toBe(false);
    expect(existsSync(target)).toBe(true);
  });

  it('rewritten in place after the check (same inode and size, a new modification time): refused', () => {
    const { file, target } = sidecar();
    const seen = parquetIdentity(file);
    writeFileSync(file, 'THE ROWS THE RUN WROTE');
    const later = new Date(Date.now() + 5_000);
    utimesSync(file, later, later);
    expect(parquetIdentity(file)?.ino).toBe(seen?.ino);
    expect(takeSidecar(file, target, seen)).toBe(false);
  });

  it('moved away after the check (nothing left to link or copy): refused, not an error, nothing at the target', () => {
    const { file, target } = sidecar();
    const seen = parquetIdentity(file);
    renameSync(file, `${file}.aside`);
    expect(takeSidecar(file, target, seen)).toBe(false);
    expect(existsSync(target)).toBe(false);
  });

  it('nothing seen (the file could not be read when checked): refused', () => {
    const { file, target } = sidecar();
    expect(takeSidecar(file, target, null)).toBe(false);
  });
});

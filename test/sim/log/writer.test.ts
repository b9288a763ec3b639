import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLogWriter, GENESIS_HASH } from '../../../sim/log/writer.ts';
import { readLines, tempDir } from '../../helpers.ts';

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');
const lastHashOf = (path: string) => JSON.parse(readLines(path).at(-1)!).hash as string;

function writeSample(path: string): ReturnType<AuditLogWriter['close']> {
  const writer = new AuditLogWriter(path);
  writer.emit(0, 'mission.approved', 'abc', 'ps:1', { approver: 'alice', tools: ['search'] });
  writer.emit(5, 'op.executed', 'abc', 'resource:db', {});
  writer.emit(5, 'job.arrive', null, 'load', { resource: 'db', job: 'load#0', note: 'ünïcode ✓' });
  return writer.close();
}

describe('AuditLogWriter', () => {
  it('writes the contract: fixed key order, then prev and hash', () => {
    const path = join(tempDir(), 'events.jsonl');
    writeSample(path);
    const events = readLines(path).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(Object.keys(events[0]!)).toEqual(['seq', 't', 'type', 'mission', 'actor', 'approver', 'tools', 'prev', 'hash']);
    expect(Object.keys(events[1]!)).toEqual(['seq', 't', 'type', 'mission', 'actor', 'prev', 'hash']);
    expect(events.map((e) => e.seq)).toEqual([0, 1, 2]);
    expect(events[2]).toMatchObject({ mission: null, note: 'ünïcode ✓' });
  });

  it('refuses a mission that is neither a string nor null, and an actor that is not a string, at the first line of a type and later ones', () => {
    const writer = new AuditLogWriter(join(tempDir(), 'events.jsonl'));
    const loose = writer as unknown as { emit(t: number, type: string, mission: unknown, actor: unknown): void };
    expect(() => loose.emit(0, 'x.first', undefined, 'a')).toThrow(TypeError);
    expect(() => loose.emit(0, 'x.actor', null, 7)).toThrow(TypeError);
    writer.emit(0, 'x.later', 'm', 'a');
    expect(() => loose.emit(1, 'x.later', undefined, 'a')).toThrow(TypeError);
    writer.close();
  });

  it('chains every line: hash = SHA-256 of the line without its hash member, prev = previous hash', () => {
    const path = join(tempDir(), 'events.jsonl');
    const result = writeSample(path);
    let prev = GENESIS_HASH;
    for (const line of readLines(path)) {
      const match = /^(.*),"hash":"([0-9a-f]{64})"\}$/.exec(line);
      expect(match).not.toBeNull();
      const [, body, hash] = match!;
      expect(sha256(`${body}}`)).toBe(hash);
      expect(JSON.parse(line).prev).toBe(prev);
      prev = hash!;
    }
    expect(result.lastHash).toBe(prev);
  });

  it("reports the chain's last hash as its fingerprint (the last line's hash), and the count", () => {
    const path = join(tempDir(), 'events.jsonl');
    const result = writeSample(path);
    expect(result.events).toBe(3);
    expect(result.fingerprint).toBe(lastHashOf(path));
    expect(result.fingerprint).toBe(result.lastHash);
  });

  it('without a path writes nothing and gives the fingerprint the written log has', () => {
    const path = join(tempDir(), 'events.jsonl');
    const written = writeSample(path);
    const writer = new AuditLogWriter(null);
    writer.emit(0, 'mission.approved', 'abc', 'ps:1', { approver: 'alice', tools: ['search'] });
    writer.emit(5, 'op.executed', 'abc', 'resource:db', {});
    writer.emit(5, 'job.arrive', null, 'load', { resource: 'db', job: 'load#0', note: 'ünïcode ✓' });
    expect(writer.close()).toEqual(written);
  });

  it('streams large logs in chunks without losing or reordering lines', () => {
    const path = join(tempDir(), 'events.jsonl');
    const writer = new AuditLogWriter(path);
    for (let i = 0; i < 30_000; i++) writer.emit(i, 'tick', null, 'clock', { padding: 'x'.repeat(50) });
    const result = writer.close();
    const lines = readLines(path);
    expect(lines).toHaveLength(30_000);
    expect(JSON.parse(lines[29_999]!).seq).toBe(29_999);
    expect(result.fingerprint).toBe(lastHashOf(path));
  });
});

describe('AuditLogWriter.lastHash', () => {
  it('is the hash of the line written last, after every line: in the chunk, after a chunk went to disk, after a long line', () => {
    const path = join(tempDir(), 'events.jsonl');
    const writer = new AuditLogWriter(path);
    expect(writer.lastHash).toBe(GENESIS_HASH);
    const seen: string[] = [];
    // Lines of about 1 KB fill the 256 KiB chunk every ~250 lines; a line of 300 KB goes around it.
    for (let i = 0; i < 1_000; i++) {
      writer.emit(i, 'tick', i % 3 === 0 ? 'm1' : null, i % 2 === 0 ? 'clock' : 'other', { padding: 'x'.repeat(i === 600 ? 300_000 : 1_000) });
      // Asked after some lines only, so that the writer also has to find it again after several lines.
      if (i % 7 === 0 || i > 590) seen[i] = writer.lastHash;
    }
    writer.close();
    readLines(path).forEach((line, i) => {
      if (seen[i] !== undefined) expect(seen[i]).toBe(JSON.parse(line).hash);
    });
  });
});

describe('AuditLogWriter with very long lines', () => {
  it('keeps order when a line is too long for the chunk', () => {
    const path = join(tempDir(), 'events.jsonl');
    const writer = new AuditLogWriter(path);
    writer.emit(0, 'small', null, 'a');
    writer.emit(1, 'huge', null, 'a', { body: 'y'.repeat(3_000_000) });
    writer.emit(2, 'small', null, 'a');
    const result = writer.close();
    expect(readLines(path).map((line) => JSON.parse(line).type)).toEqual(['small', 'huge', 'small']);
    expect(result.fingerprint).toBe(lastHashOf(path));
  });
});

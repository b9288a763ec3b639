import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ingestLog } from '../../../sim/log/ingest.ts';
import { loadOrCreateSigningKey } from '../../../sim/log/key-file.ts';
import { fileLines } from '../../../sim/log/line-reader.ts';
import { verifyLog } from '../../../sim/log/verify.ts';
import { runScenario } from '../../../sim/run.ts';
import { loadScenario } from '../../../sim/scenario/load.ts';
import { SCENARIOS, tempDir } from '../../helpers.ts';

/**
 * Text from every plane, with combining marks (alone, stacked, after
 * astral characters) and the characters real descriptions use (— ’ …),
 * and U+2028/U+2029, which JSON leaves unescaped: each multi-byte character
 * must survive whatever chunk boundary it meets.
 */
const COMBINING = ['\u0301', '\u0308', '\u20dd', '\u0489', '\ufe0f', '\u200d', '\u{1f3fd}'];
const unicodeText = fc
  .array(
    fc.oneof(fc.string({ unit: 'binary', maxLength: 8 }), fc.constantFrom(...COMBINING, '—', '’', '…', '𝄞', '👩‍👩‍👧', 'é', 'e\u0301', '\u2028', '\u2029')),
    {
      minLength: 1,
      maxLength: 12,
    },
  )
  .map((parts) => parts.join(''));

/** The file read back line by line with `chunk`-byte reads, as bytes: must be the file itself. */
function reassembled(path: string, chunk: number): Buffer {
  const parts: Buffer[] = [];
  for (const line of fileLines(path, 1, chunk)) parts.push(Buffer.from(line.terminated ? `${line.text}\n` : line.text, 'utf8'));
  return Buffer.concat(parts);
}

/** Chunk sizes that put a boundary at every offset inside every character (1-4), and some larger. */
const CHUNKS = [1, 2, 3, 4, 5, 7, 13, 64, 1 << 20];

describe('lines are split on bytes and decoded whole', () => {
  it('reads any Unicode text back byte for byte, whatever the chunk size', () => {
    fc.assert(
      fc.property(
        fc.array(
          unicodeText.map((text) => text.replace(/\n/g, ' ')),
          { minLength: 1, maxLength: 6 },
        ),
        fc.boolean(),
        (lines, newlineAtEnd) => {
          const path = join(tempDir(), 'lines.txt');
          const bytes = Buffer.from(lines.join('\n') + (newlineAtEnd ? '\n' : ''), 'utf8');
          writeFileSync(path, bytes);
          for (const chunk of CHUNKS) expect(reassembled(path, chunk).equals(bytes)).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('run: a description in any script verifies and reads back unchanged, at every chunk offset', () => {
    const loaded = loadScenario(join(SCENARIOS, 'travel-booking.yaml'));
    fc.assert(
      fc.property(unicodeText, (description) => {
        const spec = structuredClone(loaded.spec);
        (spec.agents?.[0] as { mission: { description: string } }).mission.description = description;
        const out = join(tempDir(), 'run');
        runScenario({ ...loaded, spec }, { outDir: out });
        const log = join(out, 'events.jsonl');
        const bytes = readFileSync(log);
        const logged = bytes
          .toString('utf8')
          .split('\n')
          .map((line) => (line === '' ? undefined : (JSON.parse(line) as { type: string; description?: string })));
        expect(logged.find((event) => event?.type === 'mission.proposed')?.description).toBe(description);
        for (const chunk of CHUNKS) {
          expect(verifyLog(out, { chunkBytes: chunk }), `chunk ${chunk}`).toMatchObject({ ok: true });
          expect(reassembled(log, chunk).equals(bytes)).toBe(true);
        }
      }),
      { numRuns: 12 },
    );
  });

  it('run: a description holding U+2028 and U+2029 (which JSON writes unescaped) verifies, and an edit of it does not', () => {
    const loaded = loadScenario(join(SCENARIOS, 'travel-booking.yaml'));
    const spec = structuredClone(loaded.spec);
    (spec.agents?.[0] as { mission: { description: string } }).mission.description = 'book a trip\u2028then\u2029pay';
    const out = join(tempDir(), 'run');
    runScenario({ ...loaded, spec }, { outDir: out });
    const log = join(out, 'events.jsonl');
    const text = readFileSync(log, 'utf8');
    expect(text).toContain('book a trip\u2028then\u2029pay');
    expect(verifyLog(out)).toMatchObject({ ok: true });
    // The same line with one character of the description changed: its hash no longer matches.
    writeFileSync(log, text.replace('\u2028then', '\u2028than'));
    const edited = text.split('\n').findIndex((line) => line.includes('\u2028then')) + 1;
    expect(verifyLog(out)).toMatchObject({ ok: false, kind: 'edited', line: edited });
  });

  it('ingest: what was received is what is chained, character for character, at every chunk offset', () => {
    const key = loadOrCreateSigningKey(join(tempDir(), 'key.pem'), true);
    fc.assert(
      fc.property(fc.array(unicodeText, { minLength: 1, maxLength: 5 }), fc.constantFrom(...CHUNKS), (descriptions, chunk) => {
        const source = descriptions.map((description, i) =>
          JSON.stringify({ seq: i, t: i * 1000, type: 'mission.proposed', mission: 'm', actor: 'agent:a', agent: 'a', description, tools: [description] }),
        );
        const file = join(tempDir(), 'source.jsonl');
        writeFileSync(file, `${source.join('\n')}\n`);
        const out = join(tempDir(), 'ingested');
        ingestLog(file, out, { key, chunkBytes: chunk, at: '2026-12-05T00:00:00Z' });
        const chained = readFileSync(join(out, 'events.jsonl'), 'utf8')
          .split('\n')
          .slice(0, descriptions.length)
          .map((line) => JSON.parse(line) as { description: string; tools: string[] });
        expect(chained.map((event) => event.description)).toEqual(descriptions);
        expect(chained.map((event) => event.tools[0])).toEqual(descriptions);
        for (const verifyChunk of [chunk, 3, 1 << 20])
          expect(verifyLog(out, { chunkBytes: verifyChunk, publicKey: key.publicKey })).toMatchObject({ ok: true });
      }),
      { numRuns: 40 },
    );
  });
});

import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { deriveSigningKey, sessionBlockRoot, signSessionBlock, verifySessionBlockSignature } from '../../../sim/log/session-block.ts';
import { verifyLog } from '../../../sim/log/verify.ts';
import { runScenario } from '../../../sim/run.ts';
import { loadScenario } from '../../../sim/scenario/load.ts';
import { SCENARIOS, tempDir } from '../../helpers.ts';

// A real protocol log with missions and signed session blocks.
// Made once for the whole file (tempDir() folders are removed after each test).
const RUN = join(mkdtempSync(join(tmpdir(), 'missionbench-verify-')), 'run');
runScenario(loadScenario(join(SCENARIOS, 'bulk-export-after-terminate.yaml')), { outDir: RUN });
afterAll(() => rmSync(join(RUN, '..'), { recursive: true, force: true }));
const ORIGINAL = readFileSync(join(RUN, 'events.jsonl'));
const LINES = ORIGINAL.toString('utf8').split('\n').slice(0, -1);

function verifyText(text: string | Buffer) {
  const path = join(tempDir(), 'events.jsonl');
  writeFileSync(path, text);
  return verifyLog(path);
}

const join1 = (lines: string[]) => `${lines.join('\n')}\n`;

describe('session blocks', () => {
  it('derive one key per (seed, signer), deterministically', () => {
    expect(deriveSigningKey(1, 'ps:a').publicKey).toBe(deriveSigningKey(1, 'ps:a').publicKey);
    expect(deriveSigningKey(1, 'ps:a').publicKey).not.toBe(deriveSigningKey(2, 'ps:a').publicKey);
    expect(deriveSigningKey(1, 'ps:a').publicKey).not.toBe(deriveSigningKey(1, 'ps:b').publicKey);
  });

  it('verify only for the mission, count and root they were signed over', () => {
    const root = sessionBlockRoot(['a', 'b']);
    expect(root).toBe(createHash('sha256').update('a\nb').digest('hex'));
    const fields = signSessionBlock(deriveSigningKey(1, 'ps:a'), 'm1', 2, root);
    expect(verifySessionBlockSignature('m1', fields)).toBe(true);
    expect(verifySessionBlockSignature('m2', fields)).toBe(false);
    expect(verifySessionBlockSignature('m1', { ...fields, event_count: 3 })).toBe(false);
    expect(verifySessionBlockSignature('m1', { ...fields, root: sessionBlockRoot(['a']) })).toBe(false);
  });
});

describe('verifyLog', () => {
  it("accepts the simulator's log, its session blocks and its manifest", () => {
    const result = verifyLog(RUN);
    expect(result).toMatchObject({ ok: true, events: LINES.length });
    expect(result.ok && result.sessionBlocks).toBe(2);
  });

  it('detects and locates any byte flip', () => {
    fc.assert(
      fc.property(fc.nat(ORIGINAL.length - 1), fc.integer({ min: 1, max: 255 }), (offset, mask) => {
        const tampered = Buffer.from(ORIGINAL);
        tampered[offset] = (tampered[offset] as number) ^ mask;
        const result = verifyText(tampered);
        expect(result.ok).toBe(false);
        const lineOfOffset = ORIGINAL.subarray(0, offset).toString('latin1').split('\n').length;
        if (!result.ok) {
          expect(['edited', 'truncated', 'bad signature', 'inserted', 'dropped', 'reordered']).toContain(result.kind);
          // Found at the flipped line, or the one after when the flip hit its newline.
          expect([lineOfOffset, lineOfOffset + 1]).toContain(result.line);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('names a deleted line as dropped, at the seq that follows the gap', () => {
    fc.assert(
      fc.property(fc.nat(LINES.length - 2), (index) => {
        const result = verifyText(join1(LINES.filter((_, i) => i !== index)));
        expect(result).toMatchObject({ ok: false, kind: 'dropped', seq: index + 1, line: index + 1 });
      }),
    );
  });

  it('names a duplicated line as inserted', () => {
    fc.assert(
      fc.property(fc.nat(LINES.length - 1), (index) => {
        const lines = [...LINES];
        lines.splice(index + 1, 0, LINES[index] as string);
        expect(verifyText(join1(lines))).toMatchObject({ ok: false, kind: 'inserted', line: index + 2 });
      }),
    );
  });

  it('names swapped lines as reordered', () => {
    fc.assert(
      fc.property(fc.nat(LINES.length - 2), fc.integer({ min: 1, max: 5 }), (index, distance) => {
        const other = Math.min(LINES.length - 1, index + distance);
        const lines = [...LINES];
        [lines[index], lines[other]] = [lines[other] as string, lines[index] as string];
        expect(verifyText(join1(lines))).toMatchObject({ ok: false, kind: 'reordered', line: index + 1 });
      }),
    );
  });

  it('names a forged line with a valid hash of its own as inserted', () => {
    fc.assert(
      fc.property(fc.nat(LINES.length - 1), (index) => {
        const body = `{"seq":${index},"t":0,"type":"op.executed","mission":null,"actor":"forger","prev":"${'1'.repeat(64)}"}`;
        const forged = `${body.slice(0, -1)},"hash":"${createHash('sha256').update(body).digest('hex')}"}`;
        const lines = [...LINES];
        lines.splice(index, 0, forged);
        expect(verifyText(join1(lines))).toMatchObject({ ok: false, kind: 'inserted', line: index + 1 });
      }),
    );
  });

  it('names a cut-off log as truncated: mid-line always, at a line boundary with the manifest', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: ORIGINAL.length - 1 }), (cut) => {
        const text = ORIGINAL.subarray(0, cut);
        const midLine = text[text.length - 1] !== 0x0a;
        const alone = verifyText(text);
        if (midLine) expect(alone).toMatchObject({ ok: false, kind: 'truncated' });
        const dir = tempDir();
        writeFileSync(join(dir, 'events.jsonl'), text);
        writeFileSync(join(dir, 'manifest.json'), readFileSync(join(RUN, 'manifest.json')));
        expect(verifyLog(dir)).toMatchObject({ ok: false, kind: 'truncated' });
      }),
      { numRuns: 100 },
    );
  });

  it('names a changed session block as a bad signature', () => {
    const index = LINES.findIndex((line) => line.includes('"audit.session_block"'));
    const block = JSON.parse(LINES[index] as string) as Record<string, unknown>;
    // Re-sign nothing: change the count and re-hash the line so only the signature check can catch it.
    const { hash: _hash, ...rest } = block;
    const body = JSON.stringify({ ...rest, event_count: (block.event_count as number) - 1 });
    const lines = [...LINES];
    lines[index] = `${body.slice(0, -1)},"hash":"${createHash('sha256').update(body).digest('hex')}"}`;
    const result = verifyText(join1(lines.slice(0, index + 1)));
    expect(result).toMatchObject({ ok: false, kind: 'bad signature', seq: index });
  });
});

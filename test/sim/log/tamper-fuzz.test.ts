import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { SEAL_TYPE } from '../../../sim/log/seal.ts';
import { SESSION_BLOCK_TYPE } from '../../../sim/log/session-block.ts';
import { verifyLog } from '../../../sim/log/verify.ts';
import { runScenario } from '../../../sim/run.ts';
import { loadScenario } from '../../../sim/scenario/load.ts';
import { SCENARIOS } from '../../helpers.ts';

/**
 * Random tamperings of a real log (missions, session blocks, the seal):
 * verify must reject every one, and name a line at or before the first
 * point where the tampering can be detected at all.
 */
const BASE = mkdtempSync(join(tmpdir(), 'missionbench-tamper-'));
afterAll(() => rmSync(BASE, { recursive: true, force: true }));
runScenario(loadScenario(join(SCENARIOS, 'bulk-export-after-terminate.yaml')), { outDir: join(BASE, 'run') });
const ORIGINAL = readFileSync(join(BASE, 'run', 'events.jsonl'));
const LINES = ORIGINAL.toString('utf8').split('\n').slice(0, -1);
const PARSED = LINES.map((line) => JSON.parse(line) as Record<string, unknown>);
const LOG = join(BASE, 'tampered.jsonl');

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
/** A line with its hash recomputed over its content (the way a careful forger would). */
function rehash(event: Record<string, unknown>): string {
  const { hash: _hash, ...rest } = event;
  const body = JSON.stringify(rest);
  return `${body.slice(0, -1)},"hash":"${sha256(body)}"}`;
}
/** Every line from `from` on re-chained onto its new predecessor (prev and hash recomputed), signatures left as they were. */
function rechain(lines: string[], from: number): string[] {
  const out = lines.slice(0, from);
  for (let i = from; i < lines.length; i++) {
    const event = JSON.parse(lines[i] as string) as Record<string, unknown>;
    if (i > 0) event.prev = (JSON.parse(out[i - 1] as string) as { hash: string }).hash;
    out.push(rehash(event));
  }
  return out;
}
/** A field's value changed: strings get a character, numbers +1, booleans flipped, null becomes a string. */
function changed(value: unknown): unknown {
  if (typeof value === 'string') return `${value}x`;
  if (typeof value === 'number') return value + 1;
  if (typeof value === 'boolean') return !value;
  if (value === null) return 'x';
  return [value];
}
/**
 * The first line after `index` whose signature covers line `index`: its
 * mission's next session block, or the seal (the seal itself: its own line).
 * A block's signature covers its count and root, not its own time or actor.
 */
function firstSignedCover(index: number): number {
  const mission = PARSED[index]?.mission;
  if (index === PARSED.length - 1) return index;
  for (let j = index + 1; j < PARSED.length; j++) {
    const event = PARSED[j] as Record<string, unknown>;
    if (event.type === SEAL_TYPE || (event.type === SESSION_BLOCK_TYPE && mission !== null && event.mission === mission)) return j;
  }
  return PARSED.length - 1;
}
const lineOfByte = (offset: number) => ORIGINAL.subarray(0, offset).toString('latin1').split('\n').length - 1;
const text = (lines: string[]) => `${lines.join('\n')}\n`;

/** A tampering: the bytes it writes, and the last 0-based line at which verify may name it (shown by name when a case fails). */
type Tampering = { name: string; bytes: Buffer; detectableBy: number };
const named = (tampering: Tampering): Tampering => Object.assign(tampering, { [fc.toStringMethod]: () => tampering.name });

const n = LINES.length;
const index = fc.nat(n - 1);
const tamperings: fc.Arbitrary<Tampering> = fc.oneof<fc.Arbitrary<Tampering>[]>(
  fc.tuple(fc.nat(ORIGINAL.length - 1), fc.integer({ min: 1, max: 255 })).map(([offset, mask]): Tampering => {
    const bytes = Buffer.from(ORIGINAL);
    bytes[offset] = (bytes[offset] as number) ^ mask;
    // A flipped newline joins two lines: found at the line after.
    return { name: `flip byte ${offset}`, bytes, detectableBy: lineOfByte(offset) + 1 };
  }),
  index.map((i): Tampering => ({ name: `drop line ${i}`, bytes: Buffer.from(text(LINES.filter((_, k) => k !== i))), detectableBy: i })),
  fc
    .tuple(index, index)
    .filter(([i, j]) => i !== j && LINES[i] !== LINES[j])
    .map(([a, b]): Tampering => {
      const [i, j] = [Math.min(a, b), Math.max(a, b)];
      const lines = [...LINES];
      [lines[i], lines[j]] = [lines[j] as string, lines[i] as string];
      return { name: `swap lines ${i} and ${j}`, bytes: Buffer.from(text(lines)), detectableBy: i };
    }),
  fc.tuple(index, fc.nat(n)).map(([i, at]): Tampering => {
    const lines = [...LINES];
    lines.splice(at, 0, LINES[i] as string);
    // Inserted right after itself, the first copy is the genuine line: the second is the first wrong one.
    return { name: `duplicate line ${i} at ${at}`, bytes: Buffer.from(text(lines)), detectableBy: at === i ? i + 1 : at };
  }),
  fc.nat(ORIGINAL.length - 1).map((cut): Tampering => ({ name: `truncate at byte ${cut}`, bytes: ORIGINAL.subarray(0, cut), detectableBy: lineOfByte(cut) })),
  fc.tuple(index, fc.nat(), fc.boolean()).map(([i, pick, chained]): Tampering => {
    const event = { ...(PARSED[i] as Record<string, unknown>) };
    const keys = Object.keys(event).filter((key) => key !== 'prev' && key !== 'hash');
    const key = keys[pick % keys.length] as string;
    event[key] = changed(event[key]);
    const lines = [...LINES];
    lines[i] = rehash(event);
    if (!chained) return { name: `edit ${key} of line ${i}, re-hash it`, bytes: Buffer.from(text(lines)), detectableBy: i + 1 };
    // Re-chained: only the signatures (its mission's next block, or the seal) can show it.
    return { name: `edit ${key} of line ${i}, re-hash and re-chain`, bytes: Buffer.from(text(rechain(lines, i))), detectableBy: firstSignedCover(i) };
  }),
);

describe('verify against random tampering of a real log', () => {
  it('accepts the untouched log', () => {
    writeFileSync(LOG, ORIGINAL);
    expect(verifyLog(LOG)).toMatchObject({ ok: true, events: n });
  });

  it('rejects every tampering, naming a line at or before the first point it can be detected', () => {
    fc.assert(
      fc.property(tamperings.map(named), (tampering) => {
        fc.pre(!tampering.bytes.equals(ORIGINAL));
        writeFileSync(LOG, tampering.bytes);
        const result = verifyLog(LOG);
        expect(result.ok, tampering.name).toBe(false);
        // Lines are 1-based in findings.
        if (!result.ok)
          expect(result.line - 1, `${tampering.name}: ${result.kind} at line ${result.line}: ${result.reason}`).toBeLessThanOrEqual(tampering.detectableBy);
      }),
      { numRuns: 1500, interruptAfterTimeLimit: 25_000 },
    );
  });
});

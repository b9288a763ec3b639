import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { LoggedEvent } from '../../../sim/log/read-log.ts';
import { verifyLog, type VerifyOptions } from '../../../sim/log/verify.ts';
import { runScenario } from '../../../sim/run.ts';
import { loadScenario } from '../../../sim/scenario/load.ts';
import { SCENARIOS } from '../../helpers.ts';
import { referenceVerifyLog } from './verify-reference.ts';

/**
 * verifyLog's per-line work was made cheaper (no regular expression, the
 * digest compared before the hex check, lines decoded where they lie): it
 * must find exactly what it found before, for any damage. Each case damages
 * a real run's log and compares the whole result, and every event handed to
 * onEvent with its verified flag, with the frozen copy in verify-reference.ts.
 */
const BASE = mkdtempSync(join(tmpdir(), 'missionbench-verify-reference-'));
afterAll(() => rmSync(BASE, { recursive: true, force: true }));

/** A run's log: missions and session blocks; or one whose text holds multi-byte characters, U+FFFD and U+2028. */
function makeRun(name: string): { dir: string; original: Buffer } {
  const dir = join(BASE, name);
  if (name === 'bulk') runScenario(loadScenario(join(SCENARIOS, 'bulk-export-after-terminate.yaml')), { outDir: dir });
  else {
    const loaded = loadScenario(join(SCENARIOS, 'travel-booking.yaml'));
    const spec = structuredClone(loaded.spec);
    const agent = spec.agents?.[0] as { mission: { description: string } };
    agent.mission.description = 'Lyon — Genève ’à’ \ufffd\u2028 𝄞 e\u0301';
    runScenario({ ...loaded, spec }, { outDir: dir });
  }
  return { dir, original: readFileSync(join(dir, 'events.jsonl')) };
}
const RUNS = [makeRun('bulk'), makeRun('unicode')];

/** Where each line starts, and its end (before the newline), in `bytes`. */
function lineSpans(bytes: Buffer): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (let start = 0, end = bytes.indexOf(0x0a); end !== -1; start = end + 1, end = bytes.indexOf(0x0a, start)) spans.push([start, end]);
  return spans;
}

/** An event's line with its hash recomputed over its content (as a careful forger would). */
function rehashed(event: Record<string, unknown>): Buffer {
  const { hash: _hash, ...rest } = event;
  const body = JSON.stringify(rest);
  return Buffer.from(`${body.slice(0, -1)},"hash":"${createHash('sha256').update(body).digest('hex')}"}\n`);
}

type Damage = { name: string; apply: (original: Buffer) => Buffer };
const named = (damage: Damage): Damage => Object.assign(damage, { [fc.toStringMethod]: () => damage.name });
/** A fraction in [0, 1) picks an index of any list, so one arbitrary serves both logs (unbiased: not mostly the first line). */
const fraction = fc.noBias(fc.integer({ min: 0, max: 2 ** 30 - 1 })).map((n) => n / 2 ** 30);
const pick = (f: number, length: number) => Math.floor(f * length);
const withLines = (original: Buffer, edit: (lines: Buffer[]) => Buffer[]): Buffer => {
  const lines = lineSpans(original).map(([start, end]) => original.subarray(start, end + 1));
  return Buffer.concat(edit(lines));
};

const damages: fc.Arbitrary<Damage> = fc.oneof<fc.Arbitrary<Damage>[]>(
  fc.tuple(fraction, fc.integer({ min: 0, max: 255 })).map(([f, value]) => ({
    name: `byte ${f} set to ${value}`,
    apply: (original) => {
      const bytes = Buffer.from(original);
      bytes[pick(f, bytes.length)] = value;
      return bytes;
    },
  })),
  // Near a line's end, where the hash member and its hex digits are: often a character that almost fits there.
  fc.tuple(fraction, fc.nat(80), fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(...Buffer.from('09afAFgG"{},:\\ ')))).map(([f, back, value]) => ({
    name: `line ${f}, byte ${back} from its end, set to ${value}`,
    apply: (original) => {
      const spans = lineSpans(original);
      const [start, end] = spans[pick(f, spans.length)] as [number, number];
      const bytes = Buffer.from(original);
      bytes[Math.max(start, end - back)] = value;
      return bytes;
    },
  })),
  fraction.map((f) => ({ name: `drop line ${f}`, apply: (original) => withLines(original, (lines) => lines.filter((_, i) => i !== pick(f, lines.length))) })),
  fc.tuple(fraction, fraction).map(([f, g]) => ({
    name: `duplicate line ${f} at ${g}`,
    apply: (original) =>
      withLines(original, (lines) => {
        const out = [...lines];
        out.splice(pick(g, lines.length + 1), 0, lines[pick(f, lines.length)] as Buffer);
        return out;
      }),
  })),
  fc.tuple(fraction, fraction).map(([f, g]) => ({
    name: `swap lines ${f} and ${g}`,
    apply: (original) =>
      withLines(original, (lines) => {
        const out = [...lines];
        const [i, j] = [pick(f, lines.length), pick(g, lines.length)];
        [out[i], out[j]] = [lines[j] as Buffer, lines[i] as Buffer];
        return out;
      }),
  })),
  // A field changed and the line re-hashed, its successors re-chained or not: found by the chain, a session block or the seal.
  fc.tuple(fraction, fc.nat(), fc.boolean()).map(([f, which, rechain]) => ({
    name: `line ${f}: field ${which} changed, re-hashed${rechain ? ' and re-chained' : ''}`,
    apply: (original) =>
      withLines(original, (lines) => {
        const out = [...lines];
        const i = pick(f, lines.length);
        const event = JSON.parse((lines[i] as Buffer).toString('utf8')) as Record<string, unknown>;
        const keys = Object.keys(event).filter((key) => key !== 'prev' && key !== 'hash');
        const key = keys[which % keys.length] as string;
        event[key] = typeof event[key] === 'number' ? (event[key] as number) - 1 : `${String(event[key])}x`;
        out[i] = rehashed(event);
        for (let k = i + 1; rechain && k < out.length; k++) {
          const next = JSON.parse((out[k] as Buffer).toString('utf8')) as Record<string, unknown>;
          next.prev = (JSON.parse((out[k - 1] as Buffer).toString('utf8')) as { hash: string }).hash;
          out[k] = rehashed(next);
        }
        return out;
      }),
  })),
  fraction.map((f) => ({ name: `truncate at ${f}`, apply: (original) => original.subarray(0, pick(f, original.length)) })),
);

/** verify's answer, and what it handed to onEvent, read on past the first finding or not, in small reads or whole. */
function outcome(verify: typeof verifyLog, dir: string, readAll: boolean, chunkBytes: number | undefined) {
  const events: Array<[LoggedEvent, boolean]> = [];
  const options: VerifyOptions = { readAll, chunkBytes, onEvent: (event, verified) => events.push([event, verified]) };
  return { result: verify(dir, options), events };
}

describe('verifyLog finds what it found before its per-line work was made cheaper', () => {
  it('on the untouched logs', () => {
    for (const run of RUNS) {
      const now = outcome(verifyLog, run.dir, false, undefined);
      expect(now.result.ok).toBe(true);
      expect(now).toEqual(outcome(referenceVerifyLog, run.dir, false, undefined));
    }
  });

  it('on any damaged copy: the same result (kind, line, seq, reason) and the same events handed on', () => {
    const dir = join(BASE, 'damaged');
    fc.assert(
      fc.property(fc.nat(RUNS.length - 1), damages.map(named), fc.boolean(), fc.constantFrom(undefined, 7, 300), (which, damage, readAll, chunkBytes) => {
        const run = RUNS[which] as (typeof RUNS)[number];
        rmSync(dir, { recursive: true, force: true });
        makeDir(dir, run.dir);
        writeFileSync(join(dir, 'events.jsonl'), damage.apply(run.original));
        expect(outcome(verifyLog, dir, readAll, chunkBytes), damage.name).toEqual(outcome(referenceVerifyLog, dir, readAll, chunkBytes));
      }),
      // No time limit: fast-check would end the run early without failing, on a slow machine after few cases.
      { numRuns: 600 },
    );
  });
});

/** A run folder holding the run's manifest, for the manifest's checks. */
function makeDir(dir: string, from: string): void {
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(from, 'manifest.json'), join(dir, 'manifest.json'));
}

import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyLog } from '../../../sim/log/verify.ts';
import { runScenario } from '../../../sim/run.ts';
import { loadScenario } from '../../../sim/scenario/load.ts';
import { rechain, SCENARIOS } from '../../helpers.ts';

/**
 * The mission s256 is the SHA-256 of the exact body bytes the PS returned;
 * the log keeps those bytes, and `verify` recomputes every approved
 * mission's s256 from them.
 */
const BASE = mkdtempSync(join(tmpdir(), 'missionbench-body-'));
afterAll(() => rmSync(BASE, { recursive: true, force: true }));
runScenario(loadScenario(join(SCENARIOS, 'bulk-export-after-terminate.yaml')), { outDir: join(BASE, 'run') });
const LINES = readFileSync(join(BASE, 'run', 'events.jsonl'), 'utf8')
  .split('\n')
  .slice(0, -1);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const APPROVED = LINES.findIndex((line) => line.includes('"type":"mission.approved"'));

function verifyEdited(edit: (approved: Record<string, unknown>) => void) {
  const events = LINES.map((line) => JSON.parse(line) as Record<string, unknown>);
  edit(events[APPROVED] as Record<string, unknown>);
  const path = join(BASE, `edited-${sha256(JSON.stringify(events[APPROVED])).slice(0, 8)}.jsonl`);
  writeFileSync(path, `${rechain(LINES, events, APPROVED).join('\n')}\n`);
  return verifyLog(path);
}

describe('mission s256 over the exact body bytes', () => {
  it('the approved mission logs the bytes its s256 is over, and the log verifies', () => {
    const approved = JSON.parse(LINES[APPROVED] as string) as { mission: string; body: string; blob: unknown };
    expect(createHash('sha256').update(approved.body, 'utf8').digest('base64url')).toBe(approved.mission);
    // Not re-canonicalised: the bytes are the PS's own serialisation, which the parsed blob mirrors.
    expect(JSON.parse(approved.body)).toEqual(approved.blob);
    expect(verifyLog(join(BASE, 'run')).ok).toBe(true);
  });

  it('a tampered body is caught at the approval line, before any signature would catch it', () => {
    const result = verifyEdited((approved) => {
      approved.body = (approved.body as string).replace('"description":"', '"description":"also export everything; ');
      approved.blob = JSON.parse(approved.body as string);
    });
    expect(result).toMatchObject({ ok: false, kind: 'edited', line: APPROVED + 1 });
    expect(!result.ok && result.reason).toMatch(/does not recompute from the logged body bytes/);
  });

  it('a blob that differs from the body bytes is caught too', () => {
    const result = verifyEdited((approved) => {
      (approved.blob as Record<string, unknown>).description = 'something else';
    });
    expect(result).toMatchObject({ ok: false, kind: 'edited', line: APPROVED + 1 });
    expect(!result.ok && result.reason).toMatch(/blob differs from the body bytes/);
  });

  it('the same content in another key order is another mission id (bytes, not canonical JSON)', () => {
    const approved = JSON.parse(LINES[APPROVED] as string) as { mission: string; blob: Record<string, unknown> };
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(approved.blob).reverse()));
    expect(createHash('sha256').update(reordered, 'utf8').digest('base64url')).not.toBe(approved.mission);
  });
});

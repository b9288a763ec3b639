import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyLog } from '../../../sim/log/verify.ts';
import { runScenario } from '../../../sim/run.ts';
import { loadScenario } from '../../../sim/scenario/load.ts';
import { rechain, SCENARIOS } from '../../helpers.ts';

/** aauth-latest: an accepted update logs the bytes its s256 is over, and `verify` recomputes it. */
const BASE = mkdtempSync(join(tmpdir(), 'missionbench-update-'));
afterAll(() => rmSync(BASE, { recursive: true, force: true }));
runScenario(
  loadScenario(join(SCENARIOS, 'after-hours-concierge.yaml'), [
    'profile=aauth-latest',
    'agents[concierge].plan[3]={update: "Also hold a table for dinner", after: 10s}',
  ]),
  { outDir: join(BASE, 'run') },
);
const LINES = readFileSync(join(BASE, 'run', 'events.jsonl'), 'utf8')
  .split('\n')
  .slice(0, -1);
const UPDATED = LINES.findIndex((line) => line.includes('"type":"mission.updated"'));

describe('mission update s256 over the exact bytes', () => {
  it('the run has an accepted update and verifies', () => {
    expect(UPDATED).toBeGreaterThan(0);
    expect(verifyLog(join(BASE, 'run')).ok).toBe(true);
  });

  it('a tampered update body is caught at its line', () => {
    const events = LINES.map((line) => JSON.parse(line) as Record<string, unknown>);
    const updated = events[UPDATED] as Record<string, unknown>;
    updated.body = (updated.body as string).replace('Also hold a table', 'Also pay');
    const path = join(BASE, 'edited.jsonl');
    writeFileSync(path, `${rechain(LINES, events, UPDATED).join('\n')}\n`);
    const result = verifyLog(path);
    expect(result).toMatchObject({ ok: false, kind: 'edited', line: UPDATED + 1 });
    expect(!result.ok && result.reason).toMatch(/does not recompute from the logged update body bytes/);
  });
});

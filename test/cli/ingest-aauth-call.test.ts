import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Analysis } from '../../analysis/database.ts';
import { handleApi } from '../../analysis/http-api.ts';
import { ingestAnalysis } from '../../analysis/ingest.ts';
import { viewDefinitions } from '../../analysis/queries.ts';
import { replayData } from '../../analysis/replay.ts';
import { discoverRuns } from '../../analysis/run-folders.ts';
import { REPORT_FILE, UNMAPPED_FILE } from '../../sim/log/aauth-call/ingest.ts';
import type { ConversionReport } from '../../sim/log/aauth-call/convert.ts';
import { tempDir, writeScenario } from '../helpers.ts';

const BIN = new URL('../../bin/missionbench.mjs', import.meta.url).pathname;
const EXAMPLE = new URL('../../docs/examples/aauth-call/', import.meta.url).pathname;
const FILES = ['agent.jsonl', 'ps.jsonl', 'export-service.jsonl'].map((name) => join(EXAMPLE, name));
const cliWith = (env: Record<string, string>, ...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
const cli = (...args: string[]) => cliWith({}, ...args);
const lines = (file: string) => readFileSync(file, 'utf8').trim().split('\n');

const AGENT = 'aauth:report-bot@agents.acme.example';
const MISSION = 'FitkoYkZZUSQYihk0ni_n5tNmaPBT0EUXGERiQjAJwA';

describe('ingest --format aauth-call: the hand-written incident (docs/examples/aauth-call)', () => {
  it("joins three parties' files, corrects the skewed clock, keeps the unmappable record, and answers the regulator", async () => {
    const out = join(tempDir(), 'incident');
    // Files in any order, no --format: detected from the content.
    const ingest = cli('ingest', FILES[2] as string, FILES[0] as string, FILES[1] as string, '--out', out);
    // The only thing on stderr may be the note that the ingest key was made (first use on this machine).
    expect(ingest.stderr.replace(/^missionbench: made a new ingest key .*\n/, '')).toBe('');
    expect(ingest.status).toBe(0);
    expect(ingest.stdout).toContain('26 aauth.call records, 16 calls (10 with both ends, 4 caller only, 0 callee only, 2 person acts) -> 18 events');
    expect(ingest.stdout).toContain('1 records kept unmapped');

    const report = JSON.parse(readFileSync(join(out, REPORT_FILE), 'utf8')) as ConversionReport;
    expect(report.unmapped).toEqual({ total: 1, by_reason: { 'no callee role, so no AAuth meaning': 1 } });
    // The agent's poll says again what the person's approval record says: no event of its own, and counted.
    expect(report.folded).toEqual({ "a poll answered with the approved mission: the person's approval record carries it": 2 });
    const unmapped = lines(join(out, UNMAPPED_FILE)).map(
      (line) => JSON.parse(line) as { file: string; line: number; reason: string; record: { call_id: string } },
    );
    expect(unmapped.map((u) => [u.file.endsWith('agent.jsonl'), u.line, u.reason, u.record.call_id])).toEqual([
      [true, 7, 'no callee role, so no AAuth meaning (POST agents.acme.example/aauth/agent-token)', 'c12-agent-token-refresh-Yy7uU8iI9oO0pP1aA2sS3dD4'],
    ]);
    // The caller saw a proxy's 502, the PS answered 403: reported, the PS's answer used.
    expect(report.disagreements).toHaveLength(1);
    expect(report.disagreements[0]).toMatchObject({
      what: 'status',
      call_id: 'c11-token-after-end-Uv3wX4yZ5aB6cD7eF8gH9iJ0k',
      detail: 'caller saw 502 (bad_gateway), callee answered 403',
    });
    // The export service's clock runs 95 s behind: corrected by the smallest shift that makes its calls causal.
    expect(report.skew.reference).toBe('https://agents.acme.example');
    expect(report.skew.offsets).toHaveLength(1);
    expect(report.skew.offsets[0]?.party).toBe('https://export.acme.example');
    expect(report.skew.offsets[0]?.offset_us).toBeGreaterThan(-95.1e6);
    expect(report.skew.offsets[0]?.offset_us).toBeLessThan(-94.9e6);
    expect(report.irreversibility_unstated).toBe(1);

    expect(cli('verify', out).stdout).toMatch(/^ok: 21 events, chain intact, sealed, 1 session blocks verified/);
    const [checked, ...decisions] = cli('replay', out).stdout.trim().split('\n');
    expect(checked).toMatch(
      /^checked: 21 events, chain intact, sealed; chained at ingest by missionbench:ingest \(key [\w-]+\): proves nothing about the log before /,
    );
    expect(decisions).toEqual([
      `09:01 ${AGENT} -> crm.acme.example scope: accounts.read granted`,
      `09:08 ${AGENT} -> export.acme.example scope: bulk_export granted`,
      `09:09 ${AGENT} -> mail.acme.example scope: send_external denied — scope_not_in_mission`,
      `09:12 ${AGENT} -> crm.acme.example scope: accounts.read denied — mission_terminated`,
    ]);
    const explained = cli('replay', out, '--explain').stdout;
    expect(explained).toContain(`mission ${MISSION}`);
    expect(explained).toContain(`approved by dana@acme.example at 09:00 for agent ${AGENT}`);
    expect(explained).toContain('token grants (2):');
    expect(explained).toContain('delegation: none in this log');
    expect(explained).toContain(`09:08 ${AGENT} -> export.acme.example (bulk_export): authorized by ps:ps.acme.example, token atk_7745`);
    expect(explained).toContain('terminated at 09:10 (revoked) by person:dana@acme.example');
    // Without the skew correction the export would seem to finish at 09:17, 7.5 min after termination.
    expect(explained).toContain(
      'operations after termination: 1; the last at 09:19: resource:export.acme.example bulk-export (irreversible), 9.1 min after termination',
    );

    // The dashboard's replay view reads the same answers.
    const replay = await replayData(join(out, 'events.jsonl'));
    expect(replay.verify.ok).toBe(true);
    expect(replay.missions).toEqual([{ mission: MISSION, agent: AGENT, approver: 'dana@acme.example' }]);
    expect(replay.timeline).toHaveLength(4);
    expect(replay.delegation.map((hop) => hop.to)).toEqual(['crm.acme.example', 'export.acme.example']);

    // analyze: the revocation window (termination to the last operation after it), the control plane, the load.
    await ingestAnalysis(discoverRuns(out), viewDefinitions());
    const analysis = await Analysis.open(out);
    try {
      const [window] = await analysis.query('revocation_window');
      expect(window).toMatchObject({ missions: 1, ops_after: 1, irreversible_after: 1, notified: 1 });
      expect(window?.max_s as number).toBeCloseTo(543.89, 2);
      expect(window?.control_plane_max_s as number).toBeCloseTo(0.21, 2);
      const [load] = await analysis.query('load');
      expect(load).toMatchObject({ revocation_calls: 2, approvals: 1, status_checks: 0 });
      // Containment needs the oracle (truth.jsonl), which no real log has.
      expect(await analysis.query('containment')).toEqual([]);
      // The dashboard's API serves the replay view of the ingested run, named by its source files.
      const sessions = async () => ({ analysis, input: discoverRuns(out), gap: null });
      const runs = await handleApi(new URL('http://dashboard/api/runs'), sessions, { dir: out, atlas: null });
      expect((runs.body as Array<{ scenario: string }>)[0]?.scenario).toMatch(/^ingested:.*agent\.jsonl, .*export-service\.jsonl, .*ps\.jsonl$/);
      const served = await handleApi(new URL('http://dashboard/api/replay?run=.'), sessions, { dir: out, atlas: null });
      expect(served.status).toBe(200);
      expect((served.body as { explain: string[] }).explain).toEqual(replay.explain);
    } finally {
      analysis.close();
    }
    // The static report reads the same analysis.
    const html = join(tempDir(), 'report.html');
    expect(cli('report', out, '--out', html).status).toBe(0);
    expect(readFileSync(html, 'utf8')).toContain('9.06 min'); // the 543.9 s revocation window, in the report's units
  });

  it('gives the same log whatever the order the files are given in', () => {
    const [a, b] = [join(tempDir(), 'a'), join(tempDir(), 'b')];
    // The seal names when the log was ingested: fix that time, so only the order of the files differs.
    const at = { SOURCE_DATE_EPOCH: '1765000000' };
    expect(cliWith(at, 'ingest', ...FILES, '--out', a).status).toBe(0);
    expect(cliWith(at, 'ingest', ...[...FILES].reverse(), FILES[0] as string, '--out', b).status).toBe(0);
    expect(readFileSync(join(b, 'events.jsonl'), 'utf8')).toBe(readFileSync(join(a, 'events.jsonl'), 'utf8'));
  });

  it('reports a malformed line as file:line: expected ..., found ..., exits 2 and writes nothing', () => {
    const good = lines(FILES[1] as string);
    const broken = [...good];
    broken[3] = '{"event":"aauth.call",';
    broken[4] = (broken[4] as string).replace('"started_at":"2026-11-02T09:01:02.020Z"', '"started_at":"yesterday"');
    broken[6] = (broken[6] as string).replace('"side":"callee"', '"side":"server"');
    const file = writeScenario(`${broken.join('\n')}\n`, 'ps.jsonl');
    const out = join(tempDir(), 'out');
    const result = cli('ingest', '--format', 'aauth-call', FILES[0] as string, file, '--out', out);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${file}:4: (line): expected a JSON object on one line, found "{\\"event\\":\\"aauth.call\\","`);
    expect(result.stderr).toContain(`${file}:5: started_at: expected an ISO 8601 time such as 2026-11-02T09:00:45.120Z, found "yesterday"`);
    expect(result.stderr).toContain(`${file}:7: side: expected one of "caller", "callee", "person", found "server"`);
    expect(existsSync(out)).toBe(false);
  });

  it('names a missing required field and refuses an unknown format', () => {
    const record = JSON.parse(lines(FILES[0] as string)[0] as string) as Record<string, unknown>;
    delete record.call_id;
    const file = writeScenario(`${JSON.stringify(record)}\n`, 'one.jsonl');
    const missing = cli('ingest', file, '--out', join(tempDir(), 'out'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(`${file}:1: call_id: expected this field, found nothing`);
    const format = cli('ingest', '--format', 'otel', file, '--out', join(tempDir(), 'out'));
    expect(format.status).toBe(2);
    expect(format.stderr).toContain('--format: expected one of events, aauth-call, found "otel"');
  });
});

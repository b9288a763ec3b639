import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildNotebooks } from '../../notebooks/build.ts';
import { tempDir } from '../helpers.ts';

let html = '';
const byId = (id: string): string => {
  const match = new RegExp(`<(div|pre)[^>]* id="${id}"[^>]*>([\\s\\S]*?)</\\1>`).exec(html);
  if (!match) throw new Error(`no element #${id}`);
  return (match[2] as string)
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
};

describe("notebook: replaying a real deployment's call log", () => {
  beforeAll(async () => {
    const out = join(tempDir(), 'notebooks');
    await buildNotebooks(out, ['regulator-real-log']);
    html = readFileSync(join(out, 'regulator-real-log.html'), 'utf8');
  });

  it('starts from the hand-written aauth.call files and shows what could not be mapped, the disagreement and the skew', () => {
    expect(html).toContain('docs/examples/aauth-call/export-service.jsonl');
    expect(byId('unmapped')).toContain('1 record(s) kept unmapped: 1 × no callee role, so no AAuth meaning.');
    expect(byId('disagreements')).toContain('caller saw 502 (bad_gateway), callee answered 403');
    expect(byId('skew')).toContain('https://export.acme.example -95 s');
    expect(html.match(/<svg[\s>]/g)?.length).toBe(1);
    expect(html).not.toMatch(/<script|src="http/);
  });

  it("answers the regulator's questions with the same code and SQL as for a simulated run", () => {
    expect(byId('mission-control')).toContain(
      '09:12 aauth:report-bot@agents.acme.example -> crm.acme.example scope: accounts.read denied — mission_terminated',
    );
    expect(byId('explain')).toContain('terminated at 09:10 (revoked) by person:dana@acme.example');
    expect(byId('runtime-stop')).toContain('ran 544 s after termination');
    expect(byId('runtime-stop')).toContain("puts the export's end at 09:17:28");
    expect(byId('runtime-stop')).toContain('would look 95 s shorter');
  });
});

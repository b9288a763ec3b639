import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const OUT = join(REPO, 'test-results', 'notebooks');
const WORK = join(OUT, 'work');

function page(name: string): string {
  return readFileSync(join(OUT, `${name}.html`), 'utf8');
}

/** The text of the element with this id (tags stripped, entities of escapeHtml undone). */
function byId(html: string, id: string): string {
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
}

function missionbench(args: string[]): { status: number | null; stdout: string } {
  const result = spawnSync(process.execPath, [join(REPO, 'bin/missionbench.mjs'), ...args], { cwd: REPO, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout };
}

function svgCount(html: string): number {
  return html.match(/<svg[\s>]/g)?.length ?? 0;
}

describe('notebooks', () => {
  beforeAll(() => {
    rmSync(OUT, { recursive: true, force: true });
    // Exactly what `npm run notebooks` runs, into a folder of our own.
    const build = spawnSync(process.execPath, ['--import', 'tsx', 'notebooks/build.ts', '--out', OUT], { cwd: REPO, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`notebooks build failed (${build.status}):\n${build.stderr}`);
    // The build runs the whole gap atlas: minutes when the rest of the suite shares the two cores.
  }, 900_000);

  it('writes the three notebooks and an index linking them', () => {
    const index = readFileSync(join(OUT, 'index.html'), 'utf8');
    for (const name of ['researcher-gap-atlas', 'architect-token-lifetime', 'regulator-incident-replay']) {
      expect(existsSync(join(OUT, `${name}.html`))).toBe(true);
      expect(index).toContain(`href="${name}.html"`);
      // Self-contained: charts inline, nothing fetched, no script.
      expect(svgCount(page(name))).toBeGreaterThanOrEqual(1);
      expect(page(name)).not.toMatch(/<script|src="http/);
    }
  });

  it('regulator: verifies the chain, detects tampering, and shows the export ran after termination', () => {
    const html = page('regulator-incident-replay');
    const incident = join(WORK, 'regulator-incident-replay', 'incident');
    // The verification shown is the one `missionbench verify` gives on the ingested folder.
    const verify = missionbench(['verify', incident]);
    expect(verify.status).toBe(0);
    const lastHash = /last hash ([0-9a-f]{64})/.exec(verify.stdout)?.[1] as string;
    const events = Number(/ok: (\d+) events/.exec(verify.stdout)?.[1]);
    const verification = byId(html, 'verification');
    expect(verification).toContain(`Verified: ${events} events, chain intact, 1 session block verified`);
    expect(verification).toContain(lastHash.slice(0, 16));
    expect(byId(html, 'tamper-check')).toMatch(/Tampered copy: edited at line \d+ \(seq \d+\)/);

    // Termination and the irreversible export, computed here from the received log itself.
    const log = readFileSync(join(REPO, 'docs/examples/incident-bulk-export.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const terminated = log.find((event) => event.type === 'mission.terminated') as { t: number };
    const exported = log.filter((event) => event.type === 'op.executed' && event.irreversible === true && (event.t as number) > terminated.t);
    expect(exported).toHaveLength(1);
    const seconds = ((exported[0]?.t as number) - terminated.t) / 1e6;
    const stop = byId(html, 'runtime-stop');
    expect(stop).toContain(`1 operation still executed after termination`);
    expect(stop).toContain(`bulk_export at resource:export-service (irreversible)`);
    expect(stop).toContain(`${seconds} s after termination`);
    expect(stop).toContain(`revocation window ${seconds} s, 1 irreversible operation(s) after termination`);
    // The replayed regulator's questions and Mission Control decisions.
    expect(byId(html, 'explain')).toContain('approved by dana at 09:00 for agent report-bot');
    expect(byId(html, 'mission-control')).toContain('09:09 report-bot -> mail scope: send_external denied — outside mission scope');
  });

  it('is reproducible: building a notebook again from nothing gives the same page', () => {
    const again = join(REPO, 'test-results', 'notebooks-again');
    rmSync(again, { recursive: true, force: true });
    const build = spawnSync(process.execPath, ['--import', 'tsx', 'notebooks/build.ts', '--out', again, 'regulator-incident-replay'], {
      cwd: REPO,
      encoding: 'utf8',
    });
    expect(build.status, build.stderr).toBe(0);
    // Only the folder it was built in differs.
    const relocated = readFileSync(join(again, 'regulator-incident-replay.html'), 'utf8').replaceAll('notebooks-again', 'notebooks');
    expect(relocated).toBe(page('regulator-incident-replay'));
  });

  it('architect: recommends the cheapest design that meets both bounds, as `missionbench size` computes them', () => {
    const html = page('architect-token-lifetime');
    const size = missionbench(['size', join(WORK, 'architect-token-lifetime', 'sizing'), '--max-p99-stop', '120s', '--max-ps-rps', '0.2', '--json']);
    expect(size.status).toBe(0);
    const sized = JSON.parse(size.stdout) as { designs: Array<{ design: string; ps_load_rps: number; meets: boolean }>; meeting: string[] };
    expect(sized.designs).toHaveLength(16);
    expect(sized.meeting.length).toBeGreaterThan(0);
    const cheapest = sized.designs.filter((row) => row.meets).sort((a, b) => a.ps_load_rps - b.ps_load_rps)[0]?.design as string;
    const recommendation = byId(html, 'recommendation');
    expect(recommendation).toContain(`${sized.meeting.length} of 16 designs meet both bounds`);
    expect(recommendation).toContain(cheapest);
    // With TTL only, the p99 stop grows with the token lifetime.
    const ttl = byId(html, 'ttl-only');
    const stops = [...ttl.matchAll(/(\d+[mh]) → ([\d.]+) s/g)].map((match) => Number(match[2]));
    expect([...ttl.matchAll(/(\d+[mh]) →/g)].map((match) => match[1])).toEqual(['1m', '5m', '15m', '1h']);
    for (let i = 1; i < stops.length; i++) expect(stops[i]).toBeGreaterThan(stops[i - 1] as number);
    expect(svgCount(html)).toBeGreaterThanOrEqual(3);
    // The seeds' intervals say how they were made (replications: inside the metric's range).
    expect(html).toContain('interval_method');
    expect(html).toMatch(/bootstrap-bca|none: the same value in every run/);
  });

  it('researcher: lists every gap of the atlas and states each measured finding from atlas.json', () => {
    const html = page('researcher-gap-atlas');
    const defined = (parse(readFileSync(join(REPO, 'scenarios/atlas/gaps.yaml'), 'utf8')) as { gaps: Array<{ id: string; waits_for?: string }> }).gaps;
    for (const gap of defined) expect(html).toContain(gap.id);
    const atlas = JSON.parse(readFileSync(join(WORK, 'researcher-gap-atlas', 'atlas', 'atlas.json'), 'utf8')) as {
      gaps: Array<{ gap: string; status: string; finding: string; baseline?: { name: string }; best?: { name: string } | null }>;
    };
    const measured = atlas.gaps.filter((gap) => gap.status === 'measured');
    expect(measured.length).toBeGreaterThanOrEqual(2);
    for (const gap of measured) {
      const finding = byId(html, `finding-${gap.gap}`);
      expect(finding).toContain(`With the baseline (${gap.baseline?.name})`);
      if (gap.best) expect(finding).toContain(gap.best.name);
    }
    // Seed 000's gap 3: under the seeds' AAuth the queued export still runs in every run.
    expect(byId(html, 'finding-revocation-vs-runtime-stop')).toMatch(/runs in which irreversible work executed after termination: 100% of runs \[/);
    // Seed 003: AOP's refusals are guarantees kept, so more is better and the GEC is the improvement.
    expect(byId(html, 'finding-aop-orchestration')).toContain('is AOP governed orchestration');
    // One chart per measured gap, plus the runtime-stop heatmap of the two revocation gaps.
    expect(svgCount(html)).toBeGreaterThanOrEqual(measured.length + 2);
  });
});

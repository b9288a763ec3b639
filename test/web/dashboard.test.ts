import { spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANALYSIS_HEADER } from '../../analysis/answer-identity.ts';
import { SCENARIOS } from '../helpers.ts';
import { startServe } from '../serve-process.ts';
import { buildSweep } from '../analysis/fixtures.ts';

const BIN = new URL('../../bin/missionbench.mjs', import.meta.url).pathname;
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = new URL('../../test-results/screenshots/', import.meta.url).pathname;
const hasChromium = existsSync(CHROMIUM);

if (!hasChromium) {
  // Loud on purpose: CI installs chromium (.ci/run), so a skip there is a broken set-up.
  process.stderr.write(`\n*** dashboard browser tests SKIPPED: no chromium at ${CHROMIUM} (apt-get install -y chromium) ***\n\n`);
}

let dir: string;
const servers: ChildProcess[] = [];
let url: string;
let browser: Browser | undefined;

/** Starts `missionbench serve` on a free port and resolves with the URL it prints. */
function serve(folder: string, ...flags: string[]): Promise<string> {
  const started = startServe([folder, ...flags]);
  servers.push(started.server);
  return started.url;
}

async function openDashboard(at: string = url, width = 1280): Promise<Page> {
  const page = await (browser as Browser).newPage({ viewport: { width, height: 1000 }, acceptDownloads: true });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(at);
  await page.waitForSelector('body[data-ready=true]', { timeout: 90_000 });
  expect(errors).toEqual([]);
  return page;
}

async function launchBrowser(): Promise<void> {
  if (browser) return;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
}

async function closeBrowser(): Promise<void> {
  await browser?.close();
  browser = undefined;
  for (const server of servers.splice(0)) server.kill('SIGTERM');
}

describe.skipIf(!hasChromium)('the dashboard, in a real browser', () => {
  beforeAll(async () => {
    dir = join(mkdtempSync(join(tmpdir(), 'missionbench-web-')), 'sweep');
    await launchBrowser();
    buildSweep(
      join(SCENARIOS, 'token-lifetime-sizing.yaml'),
      ['tokens.auth_ttl=2m,30m', 'topology.resources[ledger].revocation.mode=none,push,cache'],
      [1, 2],
      dir,
    );
    url = await serve(dir);
  }, 180_000);

  afterAll(async () => {
    await closeBrowser();
    if (dir) rmSync(join(dir, '..'), { recursive: true, force: true });
  });

  it('binds to 127.0.0.1 and serves only named queries', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const rows = (await (await fetch(`${url}api/query/designs`)).json()) as Array<{ design: string }>;
    expect(rows).toHaveLength(6);
    const missing = await fetch(`${url}api/query/architect?max_p99_stop_s=60`);
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: string }).error).toContain('missing parameter max_ps_rps');
    expect((await fetch(`${url}api/query/${encodeURIComponent('select 1')}`)).status).toBe(400);
    expect((await fetch(`${url}api/replay?run=${encodeURIComponent('../../etc')}`)).status).toBe(404);
  });

  it('renders the revocation explorer with data, and a heatmap selection filters the curves', async () => {
    const page = await openDashboard();
    const cells = page.locator('#chart-heatmap svg .cells_marks path');
    expect(await cells.count()).toBe(6);
    const curves = page.locator('#chart-cdf svg .curves_marks path');
    expect(await curves.count()).toBe(6);
    await page.locator('#revocation').screenshot({ path: join(SCREENSHOTS, 'revocation-all.png') });
    await cells.first().click();
    await expect.poll(() => curves.count(), { timeout: 30_000 }).toBe(1);
    await page.locator('#revocation').screenshot({ path: join(SCREENSHOTS, 'revocation-selected.png') });
    // The selection is in the URL; the charts' gradients and clip paths still resolve after the URL changed.
    expect(new URL(page.url()).searchParams.get('designs')).toBe('tokens.auth_ttl=2m, topology.resources[ledger].revocation.mode=none');
    const danglingReferences = () =>
      page.evaluate(() =>
        [...document.querySelectorAll('svg [fill^="url("], svg [clip-path^="url("]')]
          .map((element) => element.getAttribute('fill') ?? element.getAttribute('clip-path') ?? '')
          .filter((value) => !value.startsWith(`url(${window.location.href.split('#')[0]}#`) && !value.startsWith('url(#')),
      );
    expect(await danglingReferences()).toEqual([]);
    expect(await page.locator('#chart-heatmap svg .role-legend-gradient path').getAttribute('fill')).toMatch(/#gradient_\d+\)$/);
    await cells.first().click(); // toggles the selection off
    await expect.poll(() => curves.count(), { timeout: 30_000 }).toBe(6);
    expect(await danglingReferences()).toEqual([]);
    expect(await page.locator('#table-revocation tbody tr').count()).toBe(6);
    await page.close();
  });

  it('sizes the designs for the bounds in the form', async () => {
    const page = await openDashboard();
    expect(await page.locator('#chart-tradeoff svg .designs_marks path').count()).toBe(6);
    expect(await page.locator('#chart-load svg .bars_marks path').count()).toBe(6);
    // The answer is named, and every design is listed by cost with its verdict in words (not colour alone).
    expect(await page.locator('#sizing-answer').textContent()).toMatch(
      /^✓ Cheapest design meeting both bounds \(p99 runtime stop ≤ 2 min and Person Server load ≤ 0\.2 req\/s\): tokens\.auth_ttl=30m, /,
    );
    const verdicts = () => page.locator('#table-sizing tbody tr td[data-column=verdict]').allTextContents();
    const generous = await verdicts();
    expect(generous.some((text) => text === '✓ meets both')).toBe(true);
    expect(generous.some((text) => text.startsWith('✗ misses p99 stop bound'))).toBe(true);
    // With it, how far to trust it: the load's interval over the seeds, and why the p99 has none.
    expect(await page.locator('#sizing-answer .uncertainty').textContent()).toMatch(
      /fewer than the 299 a distribution-free 95% interval for a p99 needs.*Its PS load has a 95% interval of [\d.]+ req\/s to [\d.]+ req\/s over 2 runs/,
    );
    const loads = await page.locator('#table-sizing tbody tr td[data-column=ps_load_rps]').allTextContents();
    expect(loads.map((text) => Number.parseFloat(text))).toEqual(loads.map((text) => Number.parseFloat(text)).sort((a, b) => a - b));
    // The trade-off chart labels its points and its bounds.
    expect(await page.locator('#chart-tradeoff svg').textContent()).toContain('p99 stop bound 2 min');
    expect(await page.locator('#chart-tradeoff svg').textContent()).toContain('#6');
    await page.locator('#sizing').screenshot({ path: join(SCREENSHOTS, 'sizing.png') });
    await page.fill('input[name=max_p99_stop_s]', '0');
    await page.fill('input[name=max_ps_rps]', '0');
    await page.click('#bounds button');
    await expect.poll(async () => (await verdicts()).every((text) => text.startsWith('✗ misses')), { timeout: 30_000 }).toBe(true);
    expect(await page.locator('#sizing-answer').textContent()).toMatch(/^✗ No design meets both bounds .* The closest is /);
    // The bounds are in the URL: a reload sizes with them again.
    expect(new URL(page.url()).searchParams.get('stop')).toBe('0');
    await page.reload();
    await page.waitForSelector('body[data-ready=true]', { timeout: 90_000 });
    expect(await page.locator('input[name=max_ps_rps]').inputValue()).toBe('0');
    expect((await verdicts()).every((text) => text.startsWith('✗ misses'))).toBe(true);
    // A cleared bound is refused in words, not sized as 0.
    await page.fill('input[name=max_p99_stop_s]', '');
    await page.click('#bounds button');
    await expect.poll(() => page.locator('#sizing-answer').textContent(), { timeout: 10_000 }).toContain('an empty field is not sized as 0');
    expect(await page.locator('#table-sizing').count()).toBe(0);
    await page.close();
  });

  it('replays a run: chain verified, Mission Control decisions, stepping through events', async () => {
    const page = await openDashboard();
    await expect
      .poll(() => page.locator('#verify-status').textContent(), { timeout: 30_000 })
      .toMatch(/chain intact: \d+ events, \d+ signed session blocks verified/);
    expect(await page.locator('#timeline li').count()).toBeGreaterThan(10);
    // Runs are named by their grid values and seed, not by their folder path.
    expect(await page.locator('select[name=run] option').first().textContent()).toBe('2m · none, seed 1');
    expect(await page.locator('#timeline li').first().textContent()).toMatch(/^\d\d:\d\d worker-\d\d -> ledger scope: \w+ granted$/);
    expect(await page.locator('#delegation li').count()).toBeGreaterThan(0);
    expect(await page.locator('#step-position').textContent()).toMatch(/^event 1 of \d+ \(seq 0, at \d\d:\d\d:\d\d\.\d{3}\)/);
    expect(await page.locator('#step-event').textContent()).toContain('"type": "run.started"');
    expect(await page.locator('#step-event').textContent()).toMatch(/"at": "\d\d:\d\d:\d\d\.\d{3}"/);
    await page.click('#step-next');
    expect(await page.locator('#step-position').textContent()).toMatch(/^event 2 of \d+ \(seq 1, at /);
    // Token grants are listed apart from delegation: these agents delegate nothing.
    expect(await page.locator('#hops li').textContent()).toBe('no delegation between agents in this log');
    expect(await page.locator('#explain').textContent()).toMatch(/token grants \(\d+\):/);
    expect(await page.locator('#explain').textContent()).not.toMatch(/delegation \(\d+ hops\)/);
    // Narrow to one mission: only its events remain.
    const mission = await page.locator('select[name=mission] option').nth(1).getAttribute('value');
    await page.selectOption('select[name=mission]', mission as string);
    await expect.poll(() => page.locator('#step-event').textContent(), { timeout: 30_000 }).toContain(`"mission": "${mission}"`);
    await page.click('#step-last');
    expect(await page.locator('#step-event').textContent()).toContain(`"mission": "${mission}"`);
    await page.locator('#replay').screenshot({ path: join(SCREENSHOTS, 'replay.png') });
    await page.close();
  });

  it('says in words that containment found nothing instead of drawing zero bars', async () => {
    const page = await openDashboard();
    // Every run writes truth.jsonl; these agents stay inside their (derived) intent, so every count is zero: a sentence, no chart, and the table.
    await expect
      .poll(() => page.locator('#chart-containment .note').textContent(), { timeout: 30_000 })
      .toMatch(/^None of the [\d,]+ executed operations fell outside the person's intent/);
    expect(await page.locator('#chart-containment svg').count()).toBe(0);
    expect(await page.locator('#containment tbody tr').count()).toBe(6);
    expect(await page.locator('#containment tbody tr td:nth-child(4)').allTextContents()).toEqual(['0', '0', '0', '0', '0', '0']);
    await page.close();
  });

  it('collapses empty views to a line saying what would fill them, below the views with data', async () => {
    const page = await openDashboard();
    for (const view of ['#atlas', '#drift', '#lifecycle']) {
      expect(await page.locator(view).getAttribute('class')).toContain('collapsed');
      const text = await page.locator(`${view} .empty`).textContent();
      expect(text?.length).toBeGreaterThan(40);
      expect(await page.locator(`${view} svg, ${view} table`).count()).toBe(0);
    }
    expect(await page.locator('#atlas .empty').textContent()).toContain('not an atlas');
    const order = await page.locator('main > section').evaluateAll((sections) => sections.map((section) => section.id));
    expect(order.slice(-3).sort()).toEqual(['atlas', 'drift', 'lifecycle']);
    expect(await page.locator('#tabs a.empty-tab').count()).toBe(3);
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard.png'), fullPage: false });
    await page.close();
  });

  it('fits 1280 px without horizontal scrolling, and a tab puts its heading below the sticky header', async () => {
    const page = await openDashboard(url, 1280);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    for (const view of ['sizing', 'replay', 'containment']) {
      await page.click(`#tabs a[data-view=${view}]`);
      await page.waitForTimeout(200);
      const header = await page.locator('header').boundingBox();
      const heading = await page.locator(`#${view} h2`).boundingBox();
      expect(heading && header && heading.y >= header.y + header.height).toBe(true);
      expect(new URL(page.url()).searchParams.get('view')).toBe(view);
    }
    await page.screenshot({ path: join(SCREENSHOTS, 'tab-sizing-1280.png'), fullPage: false });
    // The view is in the URL: a reload returns to it.
    await page.reload();
    await page.waitForSelector('body[data-ready=true]', { timeout: 90_000 });
    await page.waitForTimeout(200);
    const heading = await page.locator('#containment h2').boundingBox();
    expect(heading && heading.y > 0 && heading.y < 300).toBe(true);
    await page.close();
  });

  it('gives every button a text label or an accessible name', async () => {
    const page = await openDashboard();
    const unnamed = await page
      .locator('button')
      .evaluateAll((buttons) =>
        buttons.filter((b) => (b.textContent ?? '').trim() === '' && !(b.getAttribute('aria-label') ?? '').trim()).map((b) => b.outerHTML),
      );
    expect(unnamed).toEqual([]);
    for (const id of ['#step-first', '#step-prev', '#step-next', '#step-last']) expect((await page.locator(id).textContent())?.trim()).toMatch(/^[^\w]*\s?\w+/);
    await page.close();
  });

  it('downloads every table as CSV and every chart as SVG and PNG; sorts and filters tables', async () => {
    const page = await openDashboard();
    const csv = page.waitForEvent('download');
    await page.locator('#table-revocation button', { hasText: 'Download CSV' }).click();
    const file = await (await csv).path();
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('design,missions,p50_s,p95_s,p99_s,max_s,ops_after,irreversible_after,notified,control_plane_p50_s');
    expect(lines).toHaveLength(7);
    const svg = page.waitForEvent('download');
    await page.locator('#chart-tradeoff button', { hasText: 'Download SVG' }).click();
    const svgFile = await svg;
    expect(svgFile.suggestedFilename()).toBe('tradeoff.svg');
    expect(readFileSync(await svgFile.path(), 'utf8')).toMatch(/^<svg[^>]*>/);
    const png = page.waitForEvent('download');
    await page.locator('#chart-heatmap button', { hasText: 'Download PNG' }).click();
    const pngFile = await png;
    expect(pngFile.suggestedFilename()).toBe('runtime-stop-heatmap.png');
    expect(
      readFileSync(await pngFile.path())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    // Every table and chart on the page has its download buttons.
    expect(await page.locator('.data-table').count()).toBe(await page.locator('.data-table .table-tools button', { hasText: 'Download CSV' }).count());
    expect(await page.locator('.chart-tools button', { hasText: 'Download SVG' }).count()).toBe(
      await page.locator('.chart-tools button', { hasText: 'Download PNG' }).count(),
    );
    // Sort by the PS load column, descending on the second click; filter to the push designs.
    const sizing = page.locator('#table-sizing');
    await sizing.getByRole('button', { name: 'sort by ps load', exact: true }).click();
    await sizing.getByRole('button', { name: 'sort by ps load', exact: true }).click();
    const loads = (await sizing.locator('tbody tr td[data-column=ps_load_rps]').allTextContents()).map((text) => Number.parseFloat(text));
    expect(loads).toEqual([...loads].sort((a, b) => b - a));
    await sizing.locator('input[type=search]').fill('mode=push');
    expect(await sizing.locator('tbody tr').count()).toBe(2);
    expect(await sizing.locator('.row-count').textContent()).toBe('2 of 6 rows');
    await page.close();
  });
});

// A small atlas of two gaps whose sweeps carry the lifecycle and drift
// metrics: the page switches between gaps, and the drift view's selection
// filters its timelines.
describe.skipIf(!hasChromium)('the dashboard on a gap atlas, in a real browser', () => {
  let atlasDir: string;
  let atlasUrl: string;

  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'missionbench-web-atlas-'));
    atlasDir = join(root, 'atlas');
    const gaps = join(root, 'gaps.yaml');
    writeFileSync(
      gaps,
      `gaps:
  - id: narrow-lifecycle
    title: Terminate-only lifecycles force a choice
    seed: "000"
    scenario: ${join(SCENARIOS, 'compliance-pause.yaml')}
    grid:
      - profile=aauth-r01,aauth-m0,mission-authority
    seeds: 1..1
    baseline: profile=aauth-r01
    measure: re_approvals
    cost: ops_during_pause
  - id: runtime-alignment
    title: Approval at the start does not govern behaviour later
    seed: "000"
    scenario: ${join(SCENARIOS, 'due-diligence-drift.yaml')}
    grid:
      - monitor.enabled=false,true
    seeds: 1..2
    baseline: monitor.enabled=false
    measure: unintended_before_detection
    cost: human_gate_load
`,
    );
    const built = spawnSync(process.execPath, [BIN, 'atlas', '--atlas', gaps, '--out', atlasDir, '--workers', '1'], {
      encoding: 'utf8',
      env: { ...process.env, CI: '1' },
    });
    expect(built.status, built.stderr).toBe(0);
    await launchBrowser();
    atlasUrl = await serve(atlasDir);
  }, 300_000);

  afterAll(async () => {
    await closeBrowser();
    if (atlasDir) rmSync(join(atlasDir, '..'), { recursive: true, force: true });
  });

  it('answers for the gap a request names, and refuses a gap the atlas has not measured', async () => {
    const info = (await (await fetch(`${atlasUrl}api/info?gap=runtime-alignment`)).json()) as { gap: string; runs: number };
    expect(info).toMatchObject({ gap: 'runtime-alignment', runs: 4 });
    const first = (await (await fetch(`${atlasUrl}api/info`)).json()) as { gap: string; runs: number };
    expect(first).toMatchObject({ gap: 'narrow-lifecycle', runs: 3 });
    const unknown = await fetch(`${atlasUrl}api/query/designs?gap=nowhere`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: string }).error).toContain('no measured gap "nowhere"');
    // No analysis gave it: it names none (docs/dashboard.md).
    expect(unknown.headers.get(ANALYSIS_HEADER)).toBeNull();
    expect((await fetch(`${atlasUrl}api/info`)).headers.get(ANALYSIS_HEADER)).toMatch(/^[0-9a-z]+\.\d+$/);
  });

  it('shows the lifecycle costs of the first gap, then switches to the drift gap from the atlas table', async () => {
    const page = await openDashboard(atlasUrl);
    expect(await page.locator('#atlas tbody tr').count()).toBe(2);
    expect(await page.locator('#gap-pick').inputValue()).toBe('narrow-lifecycle');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    // Lifecycle: one bar per design in each of the five cost charts; the table has the three profiles.
    await expect.poll(() => page.locator('#chart-lifecycle svg .costs_marks path').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await page.locator('#lifecycle tbody tr td:first-child').allTextContents()).toEqual([
      'profile=aauth-r01',
      'profile=aauth-m0',
      'profile=mission-authority',
    ]);
    await page.locator('#lifecycle').screenshot({ path: join(SCREENSHOTS, 'lifecycle.png') });
    expect(await page.locator('#drift .empty').textContent()).toContain('No agent in these runs executed an operation its person did not intend');
    // An atlas opens on the atlas; its URL names the gap.
    expect(await page.locator('main > section').first().getAttribute('id')).toBe('atlas');
    expect(new URL(page.url()).searchParams.get('gap')).toBe('narrow-lifecycle');

    await page.locator('#atlas tbody tr').nth(1).click();
    await expect.poll(() => page.locator('#subject').textContent(), { timeout: 60_000 }).toContain('(gap runtime-alignment)');
    await page.waitForSelector('body[data-ready=true]', { timeout: 90_000 });
    expect(await page.locator('#gap-pick').inputValue()).toBe('runtime-alignment');
    const lines = page.locator('#chart-drift svg .lines_marks path');
    await expect.poll(() => lines.count(), { timeout: 30_000 }).toBe(4); // 2 designs x 2 seeds, one agent each
    expect(await page.locator('#chart-drift svg .alarms_marks path').count()).toBe(2); // the monitored runs alarm once each
    expect(await page.locator('#lifecycle .empty').textContent()).toContain('No lifecycle event beyond termination');
    // No stale rows: the first gap's lifecycle table is gone, not left under the new gap's empty view.
    expect(await page.locator('#lifecycle table').count()).toBe(0);
    expect(new URL(page.url()).searchParams.get('gap')).toBe('runtime-alignment');
    await page.locator('#drift').screenshot({ path: join(SCREENSHOTS, 'drift-all.png') });
    // Selecting the monitored design's bar leaves only its timelines.
    await page.locator('#chart-drift-summary svg .bars_marks path').nth(1).click();
    await expect.poll(() => lines.count(), { timeout: 30_000 }).toBe(2);
    await page.locator('#drift').screenshot({ path: join(SCREENSHOTS, 'drift-selected.png') });
    // The selection is in the URL: a reload keeps the gap and the selected design.
    expect(new URL(page.url()).searchParams.get('designs')).toBe('monitor.enabled=true');
    // The replay now lists this gap's runs.
    expect(await page.locator('select[name=run] option').count()).toBe(4);
    await page.reload();
    await page.waitForSelector('body[data-ready=true]', { timeout: 90_000 });
    expect(await page.locator('#gap-pick').inputValue()).toBe('runtime-alignment');
    await expect.poll(() => page.locator('#chart-drift svg .lines_marks path').count(), { timeout: 30_000 }).toBe(2);
    await page.close();
  });
});

// A log brought in from outside (the regulator's incident): the page opens
// on the replay, names the run by its log, and collapses the views a single
// log cannot fill.
describe.skipIf(!hasChromium)('the dashboard on an ingested incident log, in a real browser', () => {
  let incident: string;
  let incidentUrl: string;

  beforeAll(async () => {
    incident = join(mkdtempSync(join(tmpdir(), 'missionbench-web-incident-')), 'incident');
    const ingested = spawnSync(
      process.execPath,
      [BIN, 'ingest', new URL('../../docs/examples/incident-bulk-export.jsonl', import.meta.url).pathname, '--out', incident],
      { encoding: 'utf8' },
    );
    expect(ingested.status, ingested.stderr).toBe(0);
    await launchBrowser();
    incidentUrl = await serve(incident);
  }, 180_000);

  afterAll(async () => {
    await closeBrowser();
    if (incident) rmSync(join(incident, '..'), { recursive: true, force: true });
  });

  it('opens on the audit replay, with the run named, and fits 1280 px', async () => {
    const page = await openDashboard(incidentUrl, 1280);
    expect(await page.locator('main > section').first().getAttribute('id')).toBe('replay');
    expect(await page.locator('#tabs a').first().getAttribute('data-view')).toBe('replay');
    const run = await page.locator('select[name=run] option').first().textContent();
    expect(run).not.toBe('.');
    expect(run).toContain('(this folder)');
    expect(await page.locator('#atlas').getAttribute('class')).toContain('collapsed');
    expect(await page.locator('#gap-picker').isHidden()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    await page.screenshot({ path: join(SCREENSHOTS, 'incident-1280.png'), fullPage: true });
    await page.close();
  });

  it("a replay answer that fails empties the run's decisions and events instead of leaving them under the error", async () => {
    const page = await openDashboard(incidentUrl);
    expect(await page.locator('#timeline li:not(.none)').count()).toBeGreaterThan(0);
    expect(await page.locator('#step-position').textContent()).toMatch(/^event 1 of /);
    await page.route('**/api/replay?**', (route) =>
      route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: 'replay refused by the test' }) }),
    );
    const missions = page.locator('select[name=mission]');
    await missions.selectOption({ index: 1 });
    await expect.poll(() => page.locator('#verify-status').textContent(), { timeout: 30_000 }).toContain('replay refused by the test');
    expect(await page.locator('#timeline li').count()).toBe(0);
    expect(await page.locator('#delegation li').count()).toBe(0);
    expect(await page.locator('#explain').textContent()).toBe('');
    expect(await page.locator('#step-position').textContent()).toBe('no events');
    expect(await page.locator('#step-event').textContent()).toBe('');
    await page.close();
  });

  it('a redraw whose run list fails leaves no run of the analysis drawn before in the replay', async () => {
    const page = await openDashboard(incidentUrl);
    expect(await page.locator('select[name=run] option').count()).toBe(1);
    expect(await page.locator('#timeline li:not(.none)').count()).toBeGreaterThan(0);
    await page.route('**/api/runs**', (route) =>
      route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: 'runs refused by the test' }) }),
    );
    // A replay answer from another analysis than the banner's: the page draws again (drawn-from.ts), and that draw's run list fails.
    await page.route('**/api/replay?**', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, headers: { ...response.headers(), [ANALYSIS_HEADER]: 'another-analysis' } });
    });
    await page.locator('select[name=mission]').selectOption({ index: 1 });
    await expect.poll(() => page.locator('#verify-status').textContent(), { timeout: 30_000 }).toContain('runs refused by the test');
    await page.waitForSelector('body[data-ready=true]', { timeout: 90_000 });
    expect(await page.locator('select[name=run] option').count()).toBe(0);
    expect(await page.locator('#timeline li').count()).toBe(0);
    expect(await page.locator('#step-position').textContent()).toBe('no events');
    await page.close();
  });

  it('on a tampered copy, says where the chain breaks and steps to that event', async () => {
    const tampered = join(incident, '..', 'tampered');
    cpSync(incident, tampered, { recursive: true });
    const log = join(tampered, 'events.jsonl');
    const lines = readFileSync(log, 'utf8').split('\n');
    lines[4] = (lines[4] as string).replace('"op":"read"', '"op":"reed"');
    writeFileSync(log, lines.join('\n'));
    // serve refuses a broken log unless told to show it under a banner.
    const page = await openDashboard(await serve(tampered, '--allow-broken'));
    await expect.poll(() => page.locator('#verify-status').textContent(), { timeout: 30_000 }).toMatch(/✗ .* at line 5 \(seq 4\)/);
    await page.locator('#verify-status button', { hasText: 'Go to seq 4' }).click();
    expect(await page.locator('#step-position').textContent()).toBe('event 5 of 16 (seq 4, at 09:01:01.400) — the chain breaks at this event'); // 16 with the closing seal;
    expect(new URL(page.url()).searchParams.get('seq')).toBe('4');
    await page.locator('#replay').screenshot({ path: join(SCREENSHOTS, 'replay-tampered.png') });
    expect(await page.locator('#step-event').getAttribute('class')).toContain('broken');
    // A pick whose answer fails empties the replay: no event is left marked as where the chain breaks.
    await page.route('**/api/replay?**', (route) =>
      route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: 'replay refused by the test' }) }),
    );
    await page.locator('select[name=mission]').selectOption({ index: 1 });
    await expect.poll(() => page.locator('#verify-status').textContent(), { timeout: 30_000 }).toContain('replay refused by the test');
    expect(await page.locator('#step-event').getAttribute('class')).not.toContain('broken');
    await page.close();
  });
});

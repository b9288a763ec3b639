import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS } from '../helpers.ts';
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
function serve(folder: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const server = spawn(process.execPath, [BIN, 'serve', folder, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    servers.push(server);
    let output = '';
    server.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
      if (found) resolve(found[1] as string);
    });
    server.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    server.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`)));
  });
}

async function openDashboard(at: string = url): Promise<Page> {
  const page = await (browser as Browser).newPage({ viewport: { width: 1300, height: 1000 } });
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
    buildSweep(join(SCENARIOS, 'token-lifetime-sizing.yaml'), ['tokens.auth_ttl=2m,30m', 'topology.resources[ledger].revocation.mode=none,push,cache'], [1, 2], dir);
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
    await cells.first().click(); // toggles the selection off
    await expect.poll(() => curves.count(), { timeout: 30_000 }).toBe(6);
    expect(await page.locator('#table-revocation tbody tr').count()).toBe(6);
    await page.close();
  });

  it('sizes the designs for the bounds in the form', async () => {
    const page = await openDashboard();
    expect(await page.locator('#chart-tradeoff svg .designs_marks path').count()).toBe(6);
    expect(await page.locator('#chart-load svg .bars_marks path').count()).toBe(6);
    const meets = () => page.locator('#table-sizing tbody tr td:nth-child(6)').allTextContents();
    const generous = await meets();
    await page.fill('input[name=max_p99_stop_s]', '0');
    await page.fill('input[name=max_ps_rps]', '0');
    await page.click('#bounds button');
    await expect.poll(async () => (await meets()).every((text) => text === 'false'), { timeout: 30_000 }).toBe(true);
    expect(generous.some((text) => text === 'true')).toBe(true);
    await page.locator('#sizing').screenshot({ path: join(SCREENSHOTS, 'sizing.png') });
    await page.close();
  });

  it('replays a run: chain verified, Mission Control decisions, stepping through events', async () => {
    const page = await openDashboard();
    await expect.poll(() => page.locator('#verify-status').textContent(), { timeout: 30_000 }).toMatch(/chain intact: \d+ events, \d+ signed session blocks verified/);
    expect(await page.locator('#timeline li').count()).toBeGreaterThan(10);
    expect(await page.locator('#timeline li').first().textContent()).toMatch(/^\d\d:\d\d worker-\d\d -> ledger scope: \w+ granted$/);
    expect(await page.locator('#delegation li').count()).toBeGreaterThan(0);
    expect(await page.locator('#step-position').textContent()).toMatch(/^event 1 of \d+ \(seq 0\)/);
    expect(await page.locator('#step-event').textContent()).toContain('"type": "run.started"');
    await page.click('#step-next');
    expect(await page.locator('#step-position').textContent()).toMatch(/^event 2 of \d+ \(seq 1\)/);
    // Narrow to one mission: only its events remain.
    const mission = await page.locator('select[name=mission] option').nth(1).getAttribute('value');
    await page.selectOption('select[name=mission]', mission as string);
    await expect.poll(() => page.locator('#step-event').textContent(), { timeout: 30_000 }).toContain(`"mission": "${mission}"`);
    await page.click('#step-last');
    expect(await page.locator('#step-event').textContent()).toContain(`"mission": "${mission}"`);
    await page.locator('#replay').screenshot({ path: join(SCREENSHOTS, 'replay.png') });
    await page.close();
  });

  it('draws containment by hop depth from the ground truth', async () => {
    const page = await openDashboard();
    // Every run writes truth.jsonl; these agents stay inside their (derived) intent, so every bar is zero but the table has rows.
    await expect.poll(() => page.locator('#chart-containment svg').count(), { timeout: 30_000 }).toBe(1);
    expect(await page.locator('#containment tbody tr').count()).toBe(6);
    expect(await page.locator('#containment tbody tr td:nth-child(4)').allTextContents()).toEqual(['0', '0', '0', '0', '0', '0']);
    await page.close();
  });

  it('explains empty views instead of drawing blank charts', async () => {
    const page = await openDashboard();
    for (const view of ['#atlas', '#drift', '#lifecycle']) {
      const text = await page.locator(`${view} .empty`).textContent();
      expect(text?.length).toBeGreaterThan(40);
    }
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard.png'), fullPage: false });
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
    writeFileSync(gaps, `gaps:
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
`);
    const built = spawnSync(process.execPath, [BIN, 'atlas', '--atlas', gaps, '--out', atlasDir, '--workers', '1'], { encoding: 'utf8', env: { ...process.env, CI: '1' } });
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
  });

  it('shows the lifecycle costs of the first gap, then switches to the drift gap from the atlas table', async () => {
    const page = await openDashboard(atlasUrl);
    expect(await page.locator('#atlas tbody tr').count()).toBe(2);
    expect(await page.locator('#gap-pick').inputValue()).toBe('narrow-lifecycle');
    // Lifecycle: one bar per design in each of the five cost charts; the table has the three profiles.
    await expect.poll(() => page.locator('#chart-lifecycle svg .costs_marks path').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await page.locator('#lifecycle tbody tr td:first-child').allTextContents()).toEqual(['profile=aauth-r01', 'profile=aauth-m0', 'profile=mission-authority']);
    await page.locator('#lifecycle').screenshot({ path: join(SCREENSHOTS, 'lifecycle.png') });
    expect(await page.locator('#drift .empty').textContent()).toContain('no drift to draw');

    await page.locator('#atlas tbody tr').nth(1).click();
    await expect.poll(() => page.locator('#subject').textContent(), { timeout: 60_000 }).toContain('(gap runtime-alignment)');
    await page.waitForSelector('body[data-ready=true]', { timeout: 90_000 });
    expect(await page.locator('#gap-pick').inputValue()).toBe('runtime-alignment');
    const lines = page.locator('#chart-drift svg .lines_marks path');
    await expect.poll(() => lines.count(), { timeout: 30_000 }).toBe(4); // 2 designs x 2 seeds, one agent each
    expect(await page.locator('#chart-drift svg .alarms_marks path').count()).toBe(2); // the monitored runs alarm once each
    expect(await page.locator('#lifecycle .empty').textContent()).toContain('No lifecycle event beyond termination');
    await page.locator('#drift').screenshot({ path: join(SCREENSHOTS, 'drift-all.png') });
    // Selecting the monitored design's bar leaves only its timelines.
    await page.locator('#chart-drift-summary svg .bars_marks path').nth(1).click();
    await expect.poll(() => lines.count(), { timeout: 30_000 }).toBe(2);
    await page.locator('#drift').screenshot({ path: join(SCREENSHOTS, 'drift-selected.png') });
    // The replay now lists this gap's runs.
    expect(await page.locator('select[name=run] option').count()).toBe(4);
    await page.close();
  });
});

import { type ChildProcess, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Browser, chromium, type Page, type Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOOK_INTERVAL_MS } from '../../cli/fresh-sessions.ts';
import { SCENARIOS } from '../helpers.ts';
import { startServe } from '../serve-process.ts';

const BIN = new URL('../../bin/missionbench.mjs', import.meta.url).pathname;
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = new URL('../../test-results/screenshots/', import.meta.url).pathname;

let root: string;
let server: ChildProcess | undefined;
let browser: Browser | undefined;
let url: string;

function serve(folder: string): Promise<string> {
  const started = startServe([folder]);
  server = started.server;
  return started.url;
}

/**
 * Atlas sweeps write no logs: a replay regenerates its run's log, and serve
 * then finds the runs changed and builds the analysis again (a redraw of an
 * open page). Done for every run before a page opens, the test's page stays
 * on one analysis per gap: what it sees is only what the test does.
 */
async function regenerateEveryLog(): Promise<void> {
  const answering = async (gap: string) => (await fetch(`${url}api/info?gap=${gap}`)).headers.get('x-missionbench-analysis');
  for (const gap of ['runtime-alignment', 'aop-orchestration']) {
    const runs = (await (await fetch(`${url}api/runs?gap=${gap}`)).json()) as Array<{ run_id: string }>;
    for (const run of runs) await (await fetch(`${url}api/replay?gap=${gap}&run=${encodeURIComponent(run.run_id)}`)).arrayBuffer();
    // Until a look finds nothing more to build again.
    let last = await answering(gap);
    for (;;) {
      await sleep(LOOK_INTERVAL_MS + 200);
      const now = await answering(gap);
      if (now === last) break;
      last = now;
    }
  }
}

/** Holds the page's requests matching `which` until release(); landed() resolves once every held one has been answered and handled. */
async function hold(page: Page, which: (url: URL) => boolean): Promise<{ release: () => void; held: () => number; landed: () => Promise<void> }> {
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const requests: Request[] = [];
  await page.route(
    (address) => which(address),
    async (route) => {
      requests.push(route.request());
      await gate;
      await route.continue();
    },
  );
  return {
    release,
    held: () => requests.length,
    landed: async () => {
      for (const request of requests) await (await request.response())?.finished();
      // The page handles an answer in a few tasks after it is in.
      await page.waitForTimeout(500);
    },
  };
}

/** A new page on the served atlas, drawn; and the errors its scripts throw. */
async function openAtlas(): Promise<{ page: Page; errors: string[] }> {
  const page = await (browser as Browser).newPage({ viewport: { width: 1300, height: 1000 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  await page.waitForSelector('body[data-ready=true]', { timeout: 90_000 });
  return { page, errors };
}

describe.skipIf(!existsSync(CHROMIUM))("the dashboard's atlas answer, in a real browser", () => {
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'missionbench-atlas-view-'));
    const gaps = join(root, 'gaps.yaml');
    writeFileSync(
      gaps,
      `gaps:
  - id: runtime-alignment
    title: Approval at the start does not govern behaviour later
    seed: "000 (gap 6)"
    scenario: ${join(SCENARIOS, 'prompt-injection-exfiltration.yaml')}
    grid:
      - monitor.enabled=false,true
    seeds: 1..2
    baseline: monitor.enabled=false
    measure: outside_intent
    cost: human_gate_load
    words:
      monitor.enabled=false: no runtime monitor
      monitor.enabled=true: runtime monitor with a release gate
    curves:
      - assumption: monitor threshold
        path: monitor.threshold
        values: [1, 5]
        seeds: 1..2
  - id: aop-orchestration
    title: Plain delegation chains let attacks through
    seed: "003"
    scenario: ${join(SCENARIOS, 'aop-attacks.yaml')}
    grid:
      - orchestration.governance=chaining,aop
    seeds: 1..2
    baseline: orchestration.governance=chaining
    measure: aop_refusals
    cost: aop_makespan_s
    words:
      orchestration.governance=chaining: plain AAuth chaining
      orchestration.governance=aop: AOP governed orchestration
`,
    );
    const built = spawnSync(process.execPath, [BIN, 'atlas', '--atlas', gaps, '--out', join(root, 'atlas'), '--workers', '1'], {
      encoding: 'utf8',
      env: { ...process.env, CI: '1' },
    });
    expect(built.status, built.stderr).toBe(0);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    mkdirSync(SCREENSHOTS, { recursive: true });
    url = await serve(join(root, 'atlas'));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    server?.kill('SIGTERM');
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it("shows each gap's own metrics in words with intervals and n, and replaces them when the gap changes", async () => {
    const { page, errors } = await openAtlas();
    const answer = page.locator('#atlas-answer');
    await expect.poll(() => answer.locator('.finding').textContent()).toContain('With the baseline (no runtime monitor)');
    expect(await answer.textContent()).toContain("Failure: operations executed outside the person's intent");
    // The baseline's cost is measured (no gate: no decisions left to a person), never "-".
    const rows = answer.locator('table[data-testid=atlas-designs] tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).locator('td').nth(3).textContent()).toMatch(/^0 /);
    expect(await rows.nth(1).locator('td').nth(1).textContent()).toBe('runtime monitor with a release gate');
    // The verdict curve is drawn, with its table.
    await expect.poll(() => answer.locator('[data-testid=atlas-curve-chart] svg').count(), { timeout: 30_000 }).toBe(1);
    expect(await answer.locator('table[data-testid=atlas-curve] tbody tr').count()).toBe(2);
    // Each point shows what each design paid there, not only the verdict.
    expect(await answer.locator('table[data-testid=atlas-curve] thead th').allTextContents()).toEqual([
      'value',
      'baseline',
      'alternative',
      'verdict',
      'baseline cost',
      'alternative cost',
    ]);
    await page.locator('#atlas-answer').screenshot({ path: join(SCREENSHOTS, 'atlas-answer.png') });

    // The AOP gap has its own view: its refusals and makespan, and nothing of the previous gap.
    await page.locator('#gap-pick').selectOption('aop-orchestration');
    await expect.poll(() => answer.locator('h3').first().textContent()).toContain('aop-orchestration');
    expect(await rows.count()).toBe(2);
    expect(await answer.textContent()).toContain('attacks the orchestration refused');
    expect(await answer.textContent()).toContain('time to finish the orchestrated work');
    expect(await answer.textContent()).not.toContain('runtime monitor');
    expect(await rows.locator('td:nth-child(2)').allTextContents()).toEqual(['plain AAuth chaining', 'AOP governed orchestration']);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a gap switch that fails keeps the selector, the URL and every view on the gap shown, with a note saying why; once the cause is gone it switches', async () => {
    const { page, errors } = await openAtlas();
    const picker = page.locator('#gap-pick');
    expect(await picker.inputValue()).toBe('runtime-alignment');
    const revocationTable = () => page.locator('section[data-view=revocation] .body').innerHTML();
    const shown = await revocationTable();

    // A manifest of the other gap's sweep made unreadable: serve refuses that gap's analysis (409).
    const sweep = join(root, 'atlas', 'aop-orchestration');
    const manifest = join(sweep, (readdirSync(sweep, { recursive: true }) as string[]).find((path) => path.endsWith('manifest.json')) as string);
    const original = readFileSync(manifest);
    writeFileSync(manifest, '{ not json');
    // If an earlier test opened that gap, serve looks at its runs again only after its interval.
    await sleep(LOOK_INTERVAL_MS + 200);
    await picker.selectOption('aop-orchestration');
    const banners = page.locator('#banners');
    await expect.poll(() => banners.textContent(), { timeout: 60_000 }).toContain('Cannot switch to gap aop-orchestration');
    expect(await banners.textContent()).toContain('not valid JSON');
    expect(await banners.textContent()).toContain('Still showing gap runtime-alignment');
    // Selector, URL, subject, atlas answer and views: all still the gap shown.
    expect(await picker.inputValue()).toBe('runtime-alignment');
    expect(new URL(page.url()).searchParams.get('gap')).toBe('runtime-alignment');
    expect(await page.locator('#subject').textContent()).toContain('(gap runtime-alignment)');
    expect(await page.locator('#atlas-answer h3').first().textContent()).toContain('runtime-alignment');
    expect(await revocationTable()).toBe(shown);

    // The manifest put back: the switch goes through, and the note is gone.
    writeFileSync(manifest, original);
    await sleep(LOOK_INTERVAL_MS + 200);
    await picker.selectOption('aop-orchestration');
    await expect.poll(() => page.locator('#subject').textContent(), { timeout: 60_000 }).toContain('(gap aop-orchestration)');
    await page.waitForSelector('body[data-ready=true]', { timeout: 90_000 });
    expect(new URL(page.url()).searchParams.get('gap')).toBe('aop-orchestration');
    expect(await banners.textContent()).toBe('');
    expect(errors).toEqual([]);
    await page.close();
  }, 240_000);
  it('an answer asked out of turn (a replay run picked, sizing again) is dropped when a later pick or a gap switch overtook it', async () => {
    await regenerateEveryLog();
    const { page, errors } = await openAtlas();
    expect(await page.locator('#gap-pick').inputValue()).toBe('runtime-alignment');
    const status = page.locator('#verify-status');
    const runPick = page.locator('select[name=run]');
    const runs = await runPick.locator('option').evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
    expect(runs).toHaveLength(4);
    const answered = () => expect.poll(() => status.textContent(), { timeout: 60_000 }).toContain('chain intact');

    // A pick overtaken by a later one: the later run is shown, whenever the first answer lands.
    const slow = await hold(page, (address) => address.pathname === '/api/replay' && address.searchParams.get('run') === runs[1]);
    await runPick.selectOption(runs[1] as string);
    await expect.poll(slow.held).toBe(1);
    await runPick.selectOption(runs[2] as string);
    await answered();
    const later = await status.textContent();
    slow.release();
    await slow.landed();
    expect(await status.textContent()).toBe(later);
    expect(await runPick.inputValue()).toBe(runs[2]);

    // A pick and a sizing of this gap, answered after the page switched to the other gap: the other gap's replay and sizing stay.
    const shown = async () => ({
      status: await status.textContent(),
      explain: await page.locator('#explain').textContent(),
      timeline: await page.locator('#timeline').textContent(),
      sizing: await page.locator('#sizing-answer').textContent(),
      designs: await page.locator('#table-sizing tbody').textContent(),
    });
    const before = await shown();
    const stale = await hold(
      page,
      (address) =>
        address.searchParams.get('gap') === 'runtime-alignment' &&
        ((address.pathname === '/api/replay' && address.searchParams.get('run') === runs[3]) || address.pathname === '/api/query/architect'),
    );
    await runPick.selectOption(runs[3] as string);
    await page.locator('#bounds button[type=submit]').click();
    await expect.poll(stale.held).toBe(2);
    await page.locator('#gap-pick').selectOption('aop-orchestration');
    await expect.poll(() => page.locator('#subject').textContent(), { timeout: 60_000 }).toContain('(gap aop-orchestration)');
    await page.waitForSelector('body[data-ready=true]', { timeout: 90_000 });
    await answered();
    const switched = await shown();
    // What the stale answers would put back differs from what the switch drew.
    expect(switched.designs).not.toBe(before.designs);
    expect(switched.timeline).not.toBe(before.timeline);
    stale.release();
    await stale.landed();
    expect(await shown()).toEqual(switched);
    expect(new URL(page.url()).searchParams.get('gap')).toBe('aop-orchestration');

    // Landing while the switch back draws, before it asks for the replay or sizing again: dropped too, not shown in the meantime.
    const aopRuns = await runPick.locator('option').evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
    await page.fill('input[name=max_p99_stop_s]', '0');
    await page.fill('input[name=max_ps_rps]', '0');
    const sizedBefore = await page.locator('#sizing-answer').textContent();
    const late = await hold(
      page,
      (address) =>
        address.searchParams.get('gap') === 'aop-orchestration' &&
        ((address.pathname === '/api/replay' && address.searchParams.get('run') === aopRuns[1]) || address.pathname === '/api/query/architect'),
    );
    // The draw's own /api/info (after the switch's probe) waits until the late answers are in.
    let infos = 0;
    let drawOn: () => void = () => {};
    const drawHeld = new Promise<void>((resolve) => {
      drawOn = resolve;
    });
    await page.route(
      (address) => address.pathname === '/api/info' && address.searchParams.get('gap') === 'runtime-alignment',
      async (route) => {
        if (++infos === 2) await drawHeld;
        await route.continue();
      },
    );
    await runPick.selectOption(aopRuns[1] as string);
    await page.locator('#bounds button[type=submit]').click();
    await expect.poll(late.held).toBe(2);
    await page.locator('#gap-pick').selectOption('runtime-alignment');
    await expect.poll(() => infos).toBe(2);
    late.release();
    await late.landed();
    expect(await status.textContent()).toContain('verifying the chain');
    expect(await page.locator('#sizing-answer').textContent()).toBe(sizedBefore);
    drawOn();
    await expect.poll(() => page.locator('#subject').textContent(), { timeout: 60_000 }).toContain('(gap runtime-alignment)');
    await page.waitForSelector('body[data-ready=true]', { timeout: 90_000 });
    await answered();
    expect(await page.locator('#sizing-answer').textContent()).toMatch(/^✗ No design meets both bounds/);
    expect(errors).toEqual([]);
    await page.close();
  }, 240_000);

  it('a switch whose draw cannot fetch /api/info still names the gap it drew: a later failed switch keeps that gap, not the one before', async () => {
    const { page, errors } = await openAtlas();
    const picker = page.locator('#gap-pick');
    expect(await picker.inputValue()).toBe('runtime-alignment');
    // The switch's probe answers; the draw's own /api/info that follows fails.
    let infos = 0;
    await page.route(
      (address) => address.pathname === '/api/info' && address.searchParams.get('gap') === 'aop-orchestration',
      (route) => (++infos === 2 ? route.abort() : route.continue()),
    );
    await picker.selectOption('aop-orchestration');
    await expect.poll(() => page.locator('#subject').textContent(), { timeout: 60_000 }).toContain('The missionbench server cannot answer');
    await page.waitForSelector('body[data-ready=true]', { timeout: 90_000 });
    expect(infos).toBe(2);
    expect(new URL(page.url()).searchParams.get('gap')).toBe('aop-orchestration');
    // Back to the first gap: refused.
    await page.route(
      (address) => address.pathname === '/api/info' && address.searchParams.get('gap') === 'runtime-alignment',
      (route) => route.fulfill({ status: 409, contentType: 'application/json', body: JSON.stringify({ error: 'refused by the test' }) }),
    );
    await picker.selectOption('runtime-alignment');
    const banners = page.locator('#banners');
    await expect.poll(() => banners.textContent(), { timeout: 60_000 }).toContain('Cannot switch to gap runtime-alignment: refused by the test');
    // Selector, subject and note name the gap drawn (and in the URL), not the one before it.
    expect(await banners.textContent()).toContain('Still showing gap aop-orchestration');
    expect(await picker.inputValue()).toBe('aop-orchestration');
    expect(await page.locator('#subject').textContent()).toContain('(gap aop-orchestration)');
    expect(new URL(page.url()).searchParams.get('gap')).toBe('aop-orchestration');
    expect(errors).toEqual([]);
    await page.close();
  }, 240_000);
});

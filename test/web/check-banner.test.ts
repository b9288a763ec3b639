import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANALYSIS_HEADER } from '../../analysis/answer-identity.ts';
import { LOOK_INTERVAL_MS } from '../../cli/fresh-sessions.ts';
import { SCENARIOS } from '../helpers.ts';
import { startServe } from '../serve-process.ts';

const BIN = new URL('../../bin/missionbench.mjs', import.meta.url).pathname;
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);

const servers: ChildProcess[] = [];
let browser: Browser | undefined;
let base: string;

/** `missionbench serve` with `args`; resolves with its URL, or with its exit code and output if it exits first. */
function serve(args: string[]): Promise<{ url?: string; code?: number | null; output: string }> {
  const started = startServe(args);
  servers.push(started.server);
  return started.url.then(
    (url) => ({ url, output: started.output() }),
    () => ({ code: started.server.exitCode, output: started.output() }),
  );
}

/** bulk-export-after-terminate run into `name` under the test's folder. */
function bulkExportRun(name: string): string {
  const run = join(base, name);
  expect(spawnSync(process.execPath, [BIN, 'run', join(SCENARIOS, 'bulk-export-after-terminate.yaml'), '--out', run]).status).toBe(0);
  return run;
}

/** The run's log edited on its sixth line (seq 5): its time changed, so the line no longer matches its hash. */
function editSixthLine(run: string): void {
  const log = join(run, 'events.jsonl');
  const lines = readFileSync(log, 'utf8').split('\n');
  lines[5] = (lines[5] as string).replace('"t":', '"t":1');
  writeFileSync(log, lines.join('\n'));
}

/** A new page of the browser, and the errors its scripts throw. */
async function openPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await (browser as Browser).newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return { page, errors };
}

describe.skipIf(!hasChromium)('the dashboard on a broken log', () => {
  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'missionbench-banner-'));
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
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    for (const server of servers.splice(0)) server.kill('SIGTERM');
    rmSync(base, { recursive: true, force: true });
  });

  it('follows the analysis answering: a log that stops verifying while the page is open is named after the next request, the views drawn again', async () => {
    const run = bulkExportRun('run-live');
    const served = await serve([run, '--allow-broken']);
    expect(served.url).toBeDefined();
    const { page, errors } = await openPage();
    // Each draw of the page asks for the check once: this counts the draws.
    let draws = 0;
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/check') draws++;
    });
    await page.goto(served.url as string);
    await page.waitForSelector('body[data-ready=true]', { timeout: 90_000 });
    const banner = page.locator('[data-testid=check-banner]');
    await expect(banner.textContent()).resolves.toContain('logs verified: 1');
    expect(draws).toBe(1);
    await expect(page.locator('#verify-status').textContent()).resolves.toContain('chain intact');
    const before = await banner.getAttribute('data-analysis');
    expect(before).toMatch(/\.1$/);

    // The log edited on disk while the page is open; serve looks at the runs again after its interval.
    editSixthLine(run);
    await sleep(LOOK_INTERVAL_MS + 200);
    // The next request: the user sizes again. Its answer comes from the rebuilt analysis, so the page draws again.
    await page.locator('#bounds button[type=submit]').click();
    await expect.poll(() => banner.textContent(), { timeout: 90_000 }).toContain('UNVERIFIED: this log is broken at seq 5 (line 6)');
    await page.waitForSelector('body[data-ready=true]', { timeout: 90_000 });
    expect(await banner.getAttribute('class')).toContain('unverified');
    // The banner names the analysis answering now, and the views come from it: the replay finds the chain broken.
    const answering = await page.evaluate(async (header) => (await fetch('/api/check')).headers.get(header), ANALYSIS_HEADER);
    expect(answering).not.toBe(before);
    expect(await banner.getAttribute('data-analysis')).toBe(answering);
    await expect(page.locator('#verify-status').textContent()).resolves.toContain('✗');
    // One redraw for the answers from the new analysis, however many there were (plus the check this test asked).
    expect(draws).toBe(3);
    expect(errors).toEqual([]);
    await page.close();
  }, 240_000);

  it('a refusal answered while the page is open (a log broken, served without --allow-broken) is drawn: banner, subject and views say it', async () => {
    const run = bulkExportRun('run-refused');
    const served = await serve([run]);
    expect(served.url).toBeDefined();
    const { page, errors } = await openPage();
    await page.goto(served.url as string);
    await page.waitForSelector('body[data-ready=true]', { timeout: 90_000 });
    const banner = page.locator('[data-testid=check-banner]');
    await expect(banner.textContent()).resolves.toContain('logs verified: 1');

    editSixthLine(run);
    await sleep(LOOK_INTERVAL_MS + 200);
    // The next request is refused (409); its answer names the refusal, so the page draws again and says it everywhere.
    await page.locator('#bounds button[type=submit]').click();
    await expect.poll(() => banner.getAttribute('data-analysis'), { timeout: 90_000 }).toMatch(/^refused\.[0-9a-f]{16}$/);
    await page.waitForSelector('body[data-ready=true]', { timeout: 90_000 });
    expect(await banner.textContent()).toContain('seq 5 (line 6): edited');
    expect(await banner.locator('p.bad').count()).toBe(1);
    expect(await page.locator('#subject').textContent()).toContain('The missionbench server cannot answer');
    expect(await page.locator('#revocation .body').textContent()).toContain('seq 5 (line 6): edited');
    expect(await page.locator('#verify-status').textContent()).toContain('seq 5 (line 6): edited');
    expect(errors).toEqual([]);
    await page.close();
  }, 240_000);

  it('a banner that could not be fetched is fetched again at the next answer after the draw', async () => {
    const run = bulkExportRun('run-unfetched');
    const served = await serve([run]);
    expect(served.url).toBeDefined();
    const { page, errors } = await openPage();
    // The first draw's /api/check fails (a dropped connection), every later one is answered.
    let checks = 0;
    await page.route(
      (address) => address.pathname === '/api/check',
      (route) => (++checks === 1 ? route.abort() : route.continue()),
    );
    await page.goto(served.url as string);
    await page.waitForSelector('body[data-ready=true]', { timeout: 90_000 });
    const banner = page.locator('[data-testid=check-banner]');
    await expect(banner.textContent()).resolves.toContain('What was checked of the logs could not be fetched');
    // The views' answers of that draw asked for no redraw (a banner failing every time would redraw without end).
    expect(checks).toBe(1);
    await page.locator('#bounds button[type=submit]').click();
    await expect.poll(() => banner.textContent(), { timeout: 90_000 }).toContain('logs verified: 1');
    await page.waitForSelector('body[data-ready=true]', { timeout: 90_000 });
    expect(await banner.getAttribute('data-analysis')).toMatch(/\.1$/);
    expect(checks).toBe(2);
    expect(errors).toEqual([]);
    await page.close();
  }, 240_000);

  it('is refused without --allow-broken; with it, the banner naming the bad seq is above every view', async () => {
    const run = bulkExportRun('run');
    editSixthLine(run);

    const refused = await serve([run]);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('seq 5 (line 6): edited');

    const served = await serve([run, '--allow-broken']);
    expect(served.url).toBeDefined();
    const page = await (browser as Browser).newPage();
    await page.goto(served.url as string);
    await page.waitForSelector('body[data-ready=true]', { timeout: 90_000 });
    const banner = page.locator('[data-testid=check-banner]');
    await expect(banner.textContent()).resolves.toContain('UNVERIFIED: this log is broken at seq 5 (line 6)');
    expect(await banner.getAttribute('class')).toContain('unverified');
    // Above every view: before <main>, which holds them all.
    expect(await page.evaluate(() => document.querySelector('#check-banner')?.nextElementSibling?.tagName)).toBe('MAIN');
  }, 240_000);
});

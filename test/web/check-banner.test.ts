import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS } from '../helpers.ts';

const BIN = new URL('../../bin/missionbench.mjs', import.meta.url).pathname;
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);

const servers: ChildProcess[] = [];
let browser: Browser | undefined;
let base: string;

/** `missionbench serve` with `args`; resolves with its URL, or with its exit code and output if it exits first. */
function serve(args: string[]): Promise<{ url?: string; code?: number | null; output: string }> {
  return new Promise((resolve) => {
    const server = spawn(process.execPath, [BIN, 'serve', ...args, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    servers.push(server);
    let output = '';
    server.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
      if (found) resolve({ url: found[1] as string, output });
    });
    server.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    server.on('exit', (code) => resolve({ code, output }));
  });
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

  it('is refused without --allow-broken; with it, the banner naming the bad seq is above every view', async () => {
    const run = join(base, 'run');
    expect(spawnSync(process.execPath, [BIN, 'run', join(SCENARIOS, 'bulk-export-after-terminate.yaml'), '--out', run]).status).toBe(0);
    const log = join(run, 'events.jsonl');
    const lines = readFileSync(log, 'utf8').split('\n');
    lines[5] = (lines[5] as string).replace('"t":', '"t":1');
    writeFileSync(log, lines.join('\n'));

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

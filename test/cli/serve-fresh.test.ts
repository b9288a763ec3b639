import { type ChildProcess, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANALYSIS_HEADER } from '../../analysis/answer-identity.ts';
import { LOOK_INTERVAL_MS } from '../../cli/fresh-sessions.ts';
import { startServe } from '../serve-process.ts';

const BIN = new URL('../../bin/missionbench.mjs', import.meta.url).pathname;
const SWEEP = ['sweep', 'mm1', '--set', 'duration=2m', '--grid', 'topology.resources[0].queue.servers=1,2', '--seeds', '1..2', '--workers', '1', '--logs'];
const RUN = 'runs/topology_resources_0_queue_servers=2/seed=1';

let root: string;
let sweep: string;
let server: ChildProcess | undefined;
let url: string;
/** What serve wrote on stderr so far. */
let stderr: () => string = () => '';

async function get(path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(new URL(path, url));
  return { status: response.status, body: path.startsWith('/api/') ? await response.json() : await response.text() };
}

/** The analysis an answer names (ANALYSIS_HEADER), null if none. */
async function answeredBy(path: string, init?: RequestInit): Promise<string | null> {
  const response = await fetch(new URL(path, url), init);
  await response.arrayBuffer();
  return response.headers.get(ANALYSIS_HEADER);
}

/**
 * The middle half of a file's bytes inverted in place: the same inode and
 * size, a new modification time. (One byte, flipMiddleByte, lands in a
 * column none of mm1's queries read: read unchecked, it changes no answer.
 * This one makes DuckDB fail on the file.)
 */
function scrambleMiddle(file: string): void {
  const bytes = readFileSync(file);
  const middle = bytes.subarray(bytes.length >> 2, (3 * bytes.length) >> 2).map((byte) => byte ^ 0xff);
  const fd = openSync(file, 'r+');
  writeSync(fd, middle, 0, middle.length, bytes.length >> 2);
  closeSync(fd);
}

/** The next request comes after serve's interval between looks at the runs, so it looks again. */
const pastInterval = () => sleep(LOOK_INTERVAL_MS + 200);

/** How many times serve said it checks the sweep again. */
const rechecks = () => stderr().split(`missionbench serve: ${sweep}: its runs changed since they were checked; checking them again`).length - 1;

describe('serve answers only from runs checked since they last changed', () => {
  beforeAll(async () => {
    // Not tempDir(): that is removed after each test, and the served sweep lives through all three.
    root = mkdtempSync(join(tmpdir(), 'missionbench-serve-fresh-'));
    sweep = join(root, 'sweep');
    expect(spawnSync(process.execPath, [BIN, ...SWEEP, '--out', sweep]).status).toBe(0);
    const started = startServe([sweep]);
    server = started.server;
    stderr = started.stderr;
    url = await started.url;
  }, 120_000);

  afterAll(() => {
    server?.kill('SIGTERM');
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it("an events.parquet changed in place (same size) is checked again: the answer is the undamaged sweep's", async () => {
    const before = await get('/api/query/designs');
    expect(before.status).toBe(200);
    expect(rechecks()).toBe(0);
    // The analysis holds a hard link to this very file: answered unchecked, the changed bytes would be read.
    scrambleMiddle(join(sweep, RUN, 'events.parquet'));
    await pastInterval();
    const after = await get('/api/query/designs');
    expect(after).toEqual(before);
    expect(rechecks()).toBe(1);
    const check = (await get('/api/check')).body as { lines: string[] };
    expect(check.lines.join('\n')).toContain(`not the files their runs wrote (neither stat nor SHA-256 matches log-files.json): 1 (${RUN}/events.parquet)`);
    // Nothing changed since: no further rebuild.
    await pastInterval();
    expect(await get('/api/query/designs')).toEqual(before);
    expect(rechecks()).toBe(1);
  }, 120_000);

  it('an edited manifest is taken in: the next answer shows the edit', async () => {
    const manifestPath = join(sweep, RUN, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, scenario: { ...manifest.scenario, name: 'mm1-edited' } }));
    await pastInterval();
    const runs = (await get('/api/query/runs')).body as Array<{ run_id: string; scenario: string }>;
    expect(runs.find((run) => run.run_id === RUN)?.scenario).toBe('mm1-edited');
    expect(runs.filter((run) => run.scenario === 'mm1')).toHaveLength(3);
    expect(rechecks()).toBe(2);
  }, 120_000);

  it('a log edited so that it no longer verifies: the API answers an error naming it, serve stays up, and answers again once it is put back', async () => {
    const log = join(sweep, RUN, 'events.jsonl');
    const original = readFileSync(log, 'utf8');
    const answering = await answeredBy('/api/query/designs');
    expect(answering).toMatch(/^[0-9a-z]+\.\d+$/);
    const lines = original.split('\n');
    lines[5] = (lines[5] as string).replace('"t":', '"t":1');
    writeFileSync(log, lines.join('\n'));
    await pastInterval();
    const refused = await get('/api/query/designs');
    expect(refused.status).toBe(409);
    const message = (refused.body as { error: string }).error;
    expect(message).toContain(`run ${RUN}: seq 5 (line 6): edited`);
    expect(message).toContain('--allow-broken');
    // What the page's banner asks shows the same message; the page itself is still served.
    expect(await get('/api/check')).toEqual(refused);
    expect((await get('/')).status).toBe(200);
    expect(stderr()).toContain(`missionbench: ${message}`);
    // A broken log stands until the runs change: not retried on a timer.
    expect(stderr()).toContain(`missionbench serve: ${sweep}: the dashboard answers this error until a rebuild succeeds (tried again when the runs change)\n`);
    // A refused answer names the refusal (so the page draws it), the same for every request while it stands, /api/check's too.
    const refusal = await answeredBy('/api/query/designs');
    expect(refusal).toMatch(/^refused\.[0-9a-f]{16}$/);
    expect(await answeredBy('/api/check')).toBe(refusal);
    expect(await answeredBy('/api/replay?run=nowhere')).toBe(refusal);
    // The same runs again: the same error, not another ingest.
    await pastInterval();
    expect(await get('/api/query/designs')).toEqual(refused);
    expect(await answeredBy('/api/query/designs')).toBe(refusal);
    expect(rechecks()).toBe(3);
    // Answers no analysis gave name none (docs/dashboard.md).
    expect(await answeredBy('/api/query/designs', { method: 'POST' })).toBeNull();

    writeFileSync(log, original);
    await pastInterval();
    expect((await get('/api/query/designs')).status).toBe(200);
    expect(rechecks()).toBe(4);
    // Built again: a new analysis answers, under a new name.
    const rebuilt = await answeredBy('/api/query/designs');
    expect(rebuilt).toMatch(/^[0-9a-z]+\.\d+$/);
    expect(rebuilt).not.toBe(answering);
  }, 120_000);
});

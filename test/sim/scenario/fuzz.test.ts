import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { SCENARIOS, tempDir } from '../../helpers.ts';
import type { FuzzCase, FuzzReply } from './fuzz-case.ts';

// Node 20's V8 crashes now and then ("Fatal error ... unreachable code" in
// Deoptimizer::DoComputeBuiltinContinuation) while the simulator runs here, as it did in
// test/sim/authority/containment.property.test.ts (see there): a clean-clone CI run on
// 2026-12-05 lost this file's process to it. Without the optimizing compiler it does not
// happen; V8's flags are the process's, so the worker thread that runs the cases gets it
// too. The test is timed (30 s of mutations), so it tries fewer mutations, not longer.
setFlagsFromString('--no-opt');

/**
 * Random mutations of every committed scenario go through `validate` and
 * `run` as the CLI does them, in process: each must either run or be refused
 * as bad input (what the CLI reports in one line with exit 2). Anything else
 * (an uncaught exception, a crash inside the simulator) fails the test with
 * the scenario, the mutations and fast-check's seed to replay it.
 *
 * Bounded by time rather than by a count (FUZZ_SECONDS, default 30), since
 * the machine's speed varies; runs use a short horizon and a low event limit.
 * Each case runs on a worker thread (fuzz-case.ts): one that takes longer
 * than CASE_SECONDS is a hang, and fails the test with its input.
 */
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 30);
const CASE_SECONDS = 20;
const RUN_OVERRIDES = ['duration=2m', 'limits.events=20000'];

const files = readdirSync(SCENARIOS)
  .filter((name) => name.endsWith('.yaml'))
  .sort();
const originals = files.map((name) => parse(readFileSync(join(SCENARIOS, name), 'utf8')) as unknown);

type Path = Array<string | number>;

/** Every path into a document (the root included), in document order. */
function paths(value: unknown, prefix: Path = []): Path[] {
  const out: Path[] = [prefix];
  if (Array.isArray(value)) value.forEach((item, i) => out.push(...paths(item, [...prefix, i])));
  else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) out.push(...paths(item, [...prefix, key]));
  return out;
}

function get(root: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)?.[key], root);
}

/** Replaces (or, with `undefined`, deletes) the value at a non-empty path. */
function put(root: unknown, path: Path, value: unknown): void {
  const parent = get(root, path.slice(0, -1)) as Record<string | number, unknown> | unknown[];
  const key = path[path.length - 1] as string | number;
  if (Array.isArray(parent) && typeof key === 'number') {
    if (value === undefined) parent.splice(key, 1);
    else parent[key] = value;
  } else if (value === undefined) delete (parent as Record<string, unknown>)[key];
  else (parent as Record<string | number, unknown>)[key] = value;
}

const NUMBERS = [-1, -1e9, 0, 0.5, 1e-9, 1e9, 1e15, 1e308, 2 ** 53 + 2, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
const STRINGS = [
  '',
  ' ',
  '0s',
  '-1s',
  '1e400s',
  '99999999999d',
  'exp(0s)',
  'choice(0s:1)',
  'uniform(0s, 0s)',
  'normal(1s, 0s)',
  'no-such-id',
  'a/b',
  '\u0000',
  'ü'.repeat(3000),
  '25:99-00:00',
];
const DEEP = 'deeply-nested-value-here';
const TYPES: unknown[] = [null, true, 7, 'text', [], {}, [1, 2], { id: 'x' }];

type Mutation =
  | { kind: 'flip' | 'delete' | 'number' | 'string' | 'unknown' | 'duplicate' | 'deep' | 'scale' | 'swap'; at: number; pick: number }
  | { kind: 'binary' | 'alias-bomb' | 'truncate'; at: number; pick: number };

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom(
    'flip',
    'delete',
    'number',
    'string',
    'unknown',
    'duplicate',
    'deep',
    'scale',
    'swap',
    'scale',
    'swap',
    'delete',
    'binary',
    'alias-bomb',
    'truncate',
  ),
  at: fc.nat(),
  pick: fc.nat(),
}) as fc.Arbitrary<Mutation>;

/** The mutated file's bytes. */
function mutate(original: unknown, mutations: Mutation[]): Buffer {
  const doc = structuredClone(original);
  let text: string | undefined;
  let deep = 0;
  for (const m of mutations) {
    const all = paths(doc).filter((path) => path.length > 0);
    // A new number or string goes where one was: mostly still valid, so it reaches the simulator.
    const wanted = m.kind === 'number' || m.kind === 'scale' ? 'number' : m.kind === 'string' || m.kind === 'swap' ? 'string' : undefined;
    const fitting = all.filter((p) => wanted === undefined || typeof get(doc, p) === wanted);
    const candidates = fitting.length > 0 ? fitting : all;
    const path = candidates[m.at % candidates.length] as Path;
    const value = get(doc, path);
    switch (m.kind) {
      case 'flip':
        put(doc, path, TYPES.filter((type) => typeof type !== typeof value)[m.pick % (TYPES.length - 1)]);
        break;
      case 'delete':
        put(doc, path, undefined);
        break;
      case 'number':
        put(doc, path, NUMBERS[m.pick % NUMBERS.length]);
        break;
      case 'string':
        put(doc, path, STRINGS[m.pick % STRINGS.length]);
        break;
      case 'scale':
        // Mostly still valid, but far from what the author wrote: 0, 1, doubled, a thousand times.
        put(doc, path, [0, 1, Math.round((value as number) * 2), Math.round((value as number) * 1000), (value as number) + 1][m.pick % 5]);
        break;
      case 'swap': {
        // Another string of the same document: an id where another id was (a valid or dangling reference), a duration for a duration.
        const strings = all.map((p) => get(doc, p)).filter((v): v is string => typeof v === 'string');
        put(doc, path, strings[m.pick % strings.length]);
        break;
      }
      case 'unknown': {
        const target = value !== null && typeof value === 'object' && !Array.isArray(value) ? path : path.slice(0, -1);
        const map = get(doc, target);
        if (map !== null && typeof map === 'object' && !Array.isArray(map)) (map as Record<string, unknown>)[`zz_unknown_${m.pick % 3}`] = 1;
        break;
      }
      case 'duplicate': {
        // A copy of a list item: a duplicate id, a second agent with the same mission, ...
        const list = Array.isArray(value) ? value : get(doc, path.slice(0, -1));
        if (Array.isArray(list) && list.length > 0) list.push(structuredClone(list[m.pick % list.length]));
        break;
      }
      case 'deep':
        // Written as flow text after stringify (which would itself overflow the stack on it).
        put(doc, path, DEEP);
        deep = 10 + (m.pick % 3000);
        break;
      case 'binary':
        return Buffer.from(Array.from({ length: 1 + (m.pick % 64) }, (_, i) => (m.at * 31 + i * 17) % 256));
      case 'alias-bomb': {
        const levels = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
        for (let i = 1; i < 6 + (m.pick % 6); i++)
          levels.push(
            `a${i}: &a${i} [${Array(10)
              .fill(`*a${i - 1}`)
              .join(', ')}]`,
          );
        text = `${levels.join('\n')}\n${stringify(doc)}`;
        break;
      }
      case 'truncate': {
        const whole = stringify(doc);
        text = whole.slice(0, m.pick % (whole.length + 1));
        break;
      }
    }
  }
  text ??= stringify(doc, { aliasDuplicateObjects: false });
  if (deep > 0) text = text.replace(DEEP, deep % 2 === 0 ? `${'['.repeat(deep)}x${']'.repeat(deep)}` : `${'{a: '.repeat(deep)}x${'}'.repeat(deep)}`);
  return Buffer.from(text);
}

/** Runs cases on one worker thread, replacing it when a case hangs. */
class CaseRunner {
  private worker = this.start();

  private start(): Worker {
    return new Worker(new URL('./fuzz-worker.mjs', import.meta.url));
  }

  async run(request: FuzzCase): Promise<FuzzReply | 'hang'> {
    const worker = this.worker;
    let timer: NodeJS.Timeout | undefined;
    const reply = new Promise<FuzzReply>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    const hang = new Promise<'hang'>((resolve) => (timer = setTimeout(() => resolve('hang'), CASE_SECONDS * 1000)));
    worker.postMessage(request);
    const outcome = await Promise.race([reply, hang]);
    clearTimeout(timer);
    worker.removeAllListeners('message');
    worker.removeAllListeners('error');
    if (outcome === 'hang') {
      await worker.terminate();
      this.worker = this.start();
    }
    return outcome;
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}

describe('fuzzed scenarios', () => {
  const runner = new CaseRunner();
  afterAll(() => runner.stop());

  it(
    `validate and run either succeed or refuse the input as bad (${SECONDS} s of random mutations of every scenario)`,
    async () => {
      const folder = tempDir();
      // Cases are drawn in batches until the time is up; each case is waited for in full (so a hang
      // near the end is caught too). FUZZ_SEED replays a failure.
      const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
      const cases = fc.tuple(fc.nat({ max: files.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 3 }));
      const deadline = Date.now() + SECONDS * 1000;
      const outcomes = { 0: 0, 2: 0 };
      for (let batch = 0; Date.now() < deadline; batch++) {
        for (const [index, mutations] of fc.sample(cases, { numRuns: 50, seed: seed + batch })) {
          if (Date.now() >= deadline) break;
          const file = join(folder, `fuzz-${files[index]}`);
          writeFileSync(file, mutate(originals[index], mutations));
          // The run's own --set (horizon, event limit) may mend a mutated duration: run is checked on its own.
          const reply = await runner.run({ file, outDir: join(folder, 'run'), runOverrides: RUN_OVERRIDES });
          const input = `${files[index]} mutated by ${JSON.stringify(mutations)} (replay with FUZZ_SEED=${seed})`;
          if (reply === 'hang') throw new Error(`validate or run of ${input} did not finish in ${CASE_SECONDS} s`);
          if (!reply.ok) throw new Error(`${reply.step} of ${input} failed with a bug, not a problem report:\n${reply.error}`);
          outcomes[reply.run]++;
        }
      }
      if (process.env.FUZZ_REPORT) console.log(`fuzz: ${outcomes[0] + outcomes[2]} cases, ${outcomes[0]} ran, ${outcomes[2]} refused`);
      expect(outcomes[0] + outcomes[2]).toBeGreaterThan(10);
      // Both outcomes occur, or the mutations are too weak (or too strong) to test anything.
      expect(outcomes[0]).toBeGreaterThan(0);
      expect(outcomes[2]).toBeGreaterThan(0);
    },
    (SECONDS + CASE_SECONDS + 60) * 1000,
  );
});

// The one build: the CLI, its workers (sweep, log verify) and the benchmarks bundled by
// esbuild into dist/*.js, and the dashboard built by `vite build` into
// dist/web/. `npm ci` runs it (the `prepare` script); so does `npm run build`.
//
//   node scripts/build.mjs                 build both parts (and drop old chunks)
//   node scripts/build.mjs --if-stale      build only the parts whose sources changed
//   node scripts/build.mjs [--if-stale] node|web
//
// Each part records what it was built from (dist/<part>-build.json: every
// source with its size and modification time). bin/missionbench.mjs checks
// that record before it runs dist/ (some 160 stats, a few milliseconds)
// and rebuilds the node part when a source changed, so a developer who
// edits sim/ never runs stale code; `serve` does the same for the dashboard.
//
// Plain JavaScript, so that it runs before anything is built.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DIST = join(ROOT, 'dist');
const THIS_FILE = fileURLToPath(import.meta.url);
const VITE_CONFIG = join(ROOT, 'vite.config.mjs');
const NATIVE_LINE_SHA256 = { source: join(ROOT, 'native', 'line-sha256.c'), output: 'native/line-sha256.node' };

/** The node entry points, by output name (dist/<name>.js). */
const NODE_ENTRIES = {
  missionbench: 'cli/main.ts',
  'sweep-worker': 'cli/sweep/worker.ts',
  'verify-worker': 'analysis/verify-worker.ts',
  bench: 'bench/main.ts',
  'bench-scenario-child': 'bench/scenario-child.ts',
  'bench-peer-mm1': 'bench/peer/missionbench-mm1.ts',
  'bench-peer-heap': 'bench/peer/mm1-heap-child.ts',
  // Not a command: run by buildNode once bundled, to write dist/validators/.
  'build-validators': 'cli/build-validators.ts',
};

/** The parts of the build, each with the file recording its inputs. */
const PARTS = {
  node: { record: join(DIST, 'node-build.json'), build: buildNode },
  web: { record: join(DIST, 'web-build.json'), build: buildWeb },
};

/** [path relative to the project, size, mtimeMs] */
function stamp(path) {
  const stat = statSync(path);
  return [relative(ROOT, path).split(sep).join('/'), stat.size, stat.mtimeMs];
}

/**
 * Why a part must be built, or undefined when dist/ holds a build of
 * exactly the sources on disk now.
 */
export function staleReason(part) {
  let record;
  try {
    record = JSON.parse(readFileSync(PARTS[part].record, 'utf8'));
    for (const file of record.outputs) statSync(join(DIST, file));
  } catch {
    return `dist/ holds no ${part === 'node' ? 'build of the CLI' : 'built dashboard'}`;
  }
  for (const [path, size, mtimeMs] of record.inputs) {
    let now;
    try {
      now = stamp(join(ROOT, path));
    } catch {
      return `${path} is gone since the last build`;
    }
    if (now[1] !== size || now[2] !== mtimeMs) return `${path} changed since the last build`;
  }
  return undefined;
}

/** Writes a file under a temporary name, then renames it: a reader never sees half a file. */
function writeWhole(path, contents) {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
}

function writeRecord(part, inputs, outputs) {
  const sorted = [...new Map(inputs.map((input) => [input[0], input])).values()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  // One input per line: a record that is easy to read and to diff.
  const lines = sorted.map((input) => `    ${JSON.stringify(input)}`).join(',\n');
  writeWhole(PARTS[part].record, `{\n  "outputs": ${JSON.stringify(outputs)},\n  "inputs": [\n${lines}\n  ]\n}\n`);
}

async function importTool(name) {
  try {
    return await import(name);
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new Error(`${name} is not installed, so dist/ cannot be built: run \`npm ci\` (with the dev dependencies) and then \`npm run build\``);
  }
}

/**
 * The CLI, its workers and the benchmarks: one ES module per entry
 * with shared chunks, every output file directly in dist/. Packages stay
 * external (they load from node_modules as they do from the sources).
 * Names are not kept: nothing depends on a function's `.name`, and
 * keep-names wrappers were a large part of a run's CPU under tsx.
 *
 * A source's `import.meta.url` becomes the URL of that source (computed
 * relative to the output file, so the checkout can move): a source that
 * reads a file beside it (sim/version.ts reads package.json,
 * analysis/queries.ts its sql/) finds it from dist/ as from the sources.
 */
async function buildNode({ clean }) {
  const { build } = await importTool('esbuild');
  const inputs = [stamp(THIS_FILE)];
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: NODE_ENTRIES,
    outdir: DIST,
    chunkNames: 'chunk-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    metafile: true,
    write: false,
    logLevel: 'warning',
    plugins: [
      {
        name: 'source-module-urls',
        setup(bundler) {
          bundler.onLoad({ filter: /\.(ts|mjs)$/ }, (args) => {
            if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
            // Stamped before it is read: a file saved during the build no longer matches.
            inputs.push(stamp(args.path));
            const text = readFileSync(args.path, 'utf8');
            const url = `new URL(${JSON.stringify(relative(DIST, args.path).split(sep).join('/'))}, import.meta.url).href`;
            return { contents: text.replaceAll('import.meta.url', url), loader: args.path.endsWith('.ts') ? 'ts' : 'js' };
          });
        },
      },
    ],
  });
  for (const input of Object.keys(result.metafile.inputs)) {
    if (!input.includes('node_modules/')) inputs.push(stamp(join(ROOT, input)));
  }
  const outputs = result.outputFiles.map((file) => relative(DIST, file.path).split(sep).join('/'));
  for (const file of result.outputFiles) writeWhole(file.path, file.contents);
  if (clean) {
    // Chunks of earlier builds; only on an explicit build, never under a running CLI's feet.
    const keep = new Set(outputs);
    for (const name of readdirSync(DIST)) {
      if (/^chunk-.*\.js(\.map)?$/.test(name) && !keep.has(name)) rmSync(join(DIST, name), { force: true });
    }
  }
  // The schema validators' code, generated once here instead of compiled by every command at start
  // (sim/precompiled-validator.ts); only a validator whose schema changed is generated again.
  const { writeValidators } = await import(pathToFileURL(join(DIST, 'build-validators.js')).href);
  const validators = writeValidators(join(DIST, 'validators')).map((name) => `validators/${name}`);
  if (clean) {
    // Validators no command loads any more (a renamed schema, an older file layout).
    for (const name of readdirSync(join(DIST, 'validators'))) {
      if (!validators.includes(`validators/${name}`)) rmSync(join(DIST, 'validators', name), { force: true });
    }
  }
  const native = buildNativeLineSha256();
  writeRecord('node', [...inputs, stamp(NATIVE_LINE_SHA256.source)], [...outputs.filter((file) => file.endsWith('.js')), ...validators, ...native]);
}

/**
 * The audit log's native line hasher (native/line-sha256.c, loaded by
 * sim/log/native-line-sha256.ts), compiled with the system's C compiler
 * against the headers of the node that runs the build. Optional: without a
 * compiler (or where it fails) the build says so once and the logs are
 * hashed by node:crypto, with the same bytes. Returns the output to record:
 * none when not built, so the next build of the node part (any source
 * changed, or `npm run build`) tries again. `dist`, `compiler` and `say`
 * are for tests.
 */
export function buildNativeLineSha256({ dist = DIST, compiler = process.env.CC || 'cc', say = (line) => process.stderr.write(line) } = {}) {
  const output = join(dist, NATIVE_LINE_SHA256.output);
  const headers = join(dirname(process.execPath), '..', 'include', 'node');
  const why = (reason) => {
    rmSync(output, { force: true });
    say(
      `missionbench: the native line hasher was not built (${reason}); audit logs are hashed by node:crypto instead: the same bytes, slower (docs/build.md)\n`,
    );
    return [];
  };
  if (process.platform === 'win32') return why('no build of it for Windows');
  if (!existsSync(join(headers, 'node_api.h'))) return why(`node's C headers are not at ${headers}`);
  mkdirSync(dirname(output), { recursive: true });
  const temporary = `${output}.${process.pid}.tmp`;
  // The addon's calls into node (N-API, OpenSSL) are bound when it is loaded, not at their first call: a symbol this
  // node lacks is then a load error the loader falls back from, not a process killed mid-run (lazy binding's way).
  // macOS also needs to be told that those symbols come from the process.
  const platformFlags = process.platform === 'darwin' ? ['-undefined', 'dynamic_lookup', '-Wl,-bind_at_load'] : ['-Wl,-z,now'];
  // CC may carry words of its own ("ccache gcc", "gcc -m64"), as make's does.
  const [command, ...words] = compiler.trim().split(/\s+/);
  try {
    execFileSync(command, [...words, '-O2', '-shared', '-fPIC', ...platformFlags, '-I', headers, '-o', temporary, NATIVE_LINE_SHA256.source], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (error) {
    rmSync(temporary, { force: true });
    // stderr is a Buffer (empty when the compiler said nothing); then the error's own message.
    const firstLine = (String(error?.stderr ?? '').trim() || String(error?.message)).split('\n')[0];
    return why(error?.code === 'ENOENT' ? `no C compiler: ${command} not found` : `${compiler} failed: ${firstLine}`);
  }
  renameSync(temporary, output);
  return [NATIVE_LINE_SHA256.output];
}

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]));
}

/**
 * The dashboard (web/), built by Vite into a fresh folder that then
 * replaces dist/web/ whole, so a running `serve` never sees half of it.
 */
async function buildWeb() {
  const { build } = await importTool('vite');
  const inputs = [stamp(THIS_FILE), stamp(VITE_CONFIG), ...filesUnder(join(ROOT, 'web')).map(stamp)];
  const staging = join(DIST, `.web-${process.pid}`);
  const result = await build({ configFile: VITE_CONFIG, logLevel: 'warn', build: { outDir: staging, emptyOutDir: true } });
  // Modules from outside web/ that the dashboard imports (the chart specs' helpers, say).
  for (const output of [result].flat()) {
    for (const item of output.output ?? []) {
      for (const id of item.moduleIds ?? Object.keys(item.modules ?? {})) {
        if (id.startsWith(ROOT) && !id.includes(`${sep}node_modules${sep}`)) inputs.push(stamp(id.split('?')[0]));
      }
    }
  }
  const target = join(DIST, 'web');
  const old = join(DIST, `.web-old-${process.pid}`);
  try {
    renameSync(target, old);
  } catch {
    // no earlier build
  }
  renameSync(staging, target);
  rmSync(old, { recursive: true, force: true });
  writeRecord('web', inputs, ['web/index.html']);
}

/**
 * Builds a part if its sources changed since its last build, saying why on
 * stderr; a no-op (a few milliseconds) when dist/ is current.
 */
export async function ensureBuilt(part) {
  const reason = staleReason(part);
  if (reason === undefined) return;
  process.stderr.write(`missionbench: ${reason}; building dist/ (${part === 'node' ? 'esbuild' : 'vite build'})...\n`);
  await PARTS[part].build({ clean: false });
}

async function main(argv) {
  const ifStale = argv.includes('--if-stale');
  const named = argv.filter((arg) => !arg.startsWith('--'));
  for (const part of named) if (!(part in PARTS)) throw new Error(`unknown part ${part}: expected node or web`);
  for (const part of named.length > 0 ? named : Object.keys(PARTS)) {
    if (ifStale) {
      await ensureBuilt(part);
      continue;
    }
    const started = performance.now();
    await PARTS[part].build({ clean: true });
    process.stderr.write(`built dist/ ${part} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  }
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  main(process.argv.slice(2)).catch((error) => {
    process.stderr.write(`build failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}

import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The worker's TypeScript entry, and the tsx-registering script that runs it without a bundle. */
const WORKER_SOURCE = fileURLToPath(new URL('./worker.ts', import.meta.url));
export const TSX_WORKER_ENTRY = new URL('./worker-entry.mjs', import.meta.url);

/** The project's root: sources are recorded relative to it. */
const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/**
 * Where bundles are kept: inside the project, so that the packages the
 * bundle leaves out (Cedar's WebAssembly, TypeBox, ...) resolve from the
 * project's node_modules exactly as they do from the sources.
 */
const CACHE_DIR = join(PROJECT_ROOT, 'node_modules', '.cache', 'missionbench');
const BUNDLE_FILE = join(CACHE_DIR, 'sweep-worker.mjs');
/** What the bundle was built from: the build's key and each source with its size and modification time. */
const INPUTS_FILE = join(CACHE_DIR, 'sweep-worker.inputs.json');

type Stamp = [path: string, size: number, mtimeMs: number];
interface BuildRecord {
  key: string;
  sources: Stamp[];
}

/**
 * What besides the sources decides the bundle: where the project is (the
 * bundle holds each source's absolute URL, so a copied checkout builds its
 * own), the esbuild version, and this file (the build's options).
 */
function buildKey(esbuildVersion: string): string {
  return createHash('sha256').update(`${PROJECT_ROOT}\0${esbuildVersion}\0`).update(readFileSync(fileURLToPath(import.meta.url))).digest('hex');
}

/** The installed esbuild's version, found as `import('esbuild')` finds the package (hoisted or not). */
function esbuildVersion(): string {
  return (createRequire(import.meta.url)('esbuild/package.json') as { version: string }).version;
}

/** A source's size and modification time, by its path relative to the project. */
function stamp(path: string): Stamp {
  const stat = statSync(path);
  return [relative(PROJECT_ROOT, path), stat.size, stat.mtimeMs];
}

/**
 * The cached bundle, if it was built by this build from exactly the sources
 * on disk now; a cheap synchronous check (about a hundred stats), so a pool
 * can start its workers at once.
 */
export function currentSweepWorkerBundle(): URL | undefined {
  if (process.env.MISSIONBENCH_WORKER_BUNDLE === '0') return undefined;
  try {
    const record = JSON.parse(readFileSync(INPUTS_FILE, 'utf8')) as BuildRecord;
    statSync(BUNDLE_FILE);
    const current =
      record.key === buildKey(esbuildVersion()) &&
      record.sources.length > 0 &&
      record.sources.every(([path, size, mtimeMs]) => {
        const [, nowSize, nowMtime] = stamp(join(PROJECT_ROOT, path));
        return nowSize === size && nowMtime === mtimeMs;
      });
    return current ? pathToFileURL(BUNDLE_FILE) : undefined;
  } catch {
    return undefined;
  }
}

/** Writes a file under a temporary name, then renames it: two sweeps starting at once never see half a bundle. */
function writeWhole(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.${createHash('sha256').update(text).digest('hex').slice(0, 8)}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

/**
 * The script a sweep worker starts from: one ES module bundling the
 * simulator (built with esbuild, the compiler tsx itself uses), rebuilt
 * only when a source it holds has changed. A worker started from the
 * TypeScript sources spends about a second of CPU registering tsx and
 * loading some ninety modules through tsx's loader thread, one round trip
 * each; from the bundle, a start and a first tiny run take 0.5 s of CPU
 * instead of 1.2 s, and two workers on two cores no longer compete with
 * two loader threads.
 *
 * Each source keeps its own `import.meta.url` (a source that reads a file
 * beside it, such as sim/version.ts reading package.json, still finds it).
 * Names are kept (`keepNames`), so nothing a run writes can differ from a
 * run started from the sources; test/cli/sweep.test.ts compares them.
 *
 * If the bundle cannot be built or written (say, a read-only install),
 * workers start from the sources as before.
 */
export async function sweepWorkerScript(): Promise<URL> {
  if (process.env.MISSIONBENCH_WORKER_BUNDLE === '0') return TSX_WORKER_ENTRY;
  const cached = currentSweepWorkerBundle();
  if (cached !== undefined) return cached;
  try {
    const { build, version } = await import('esbuild');
    // Each source is stamped before it is read: a file saved during the build
    // then no longer matches its stamp, and the next sweep builds again.
    const sources: Stamp[] = [];
    const result = await build({
      entryPoints: [WORKER_SOURCE],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      keepNames: true,
      write: false,
      logLevel: 'silent',
      plugins: [
        {
          name: 'own-module-urls',
          setup(bundler) {
            bundler.onLoad({ filter: /\.ts$/ }, (args) => {
              sources.push(stamp(args.path));
              const text = readFileSync(args.path, 'utf8');
              const url = JSON.stringify(pathToFileURL(args.path).href);
              return { contents: text.includes('import.meta.url') ? text.replaceAll('import.meta.url', url) : text, loader: 'ts' };
            });
          },
        },
      ],
    });
    const output = result.outputFiles?.[0];
    if (output === undefined || sources.length === 0) return TSX_WORKER_ENTRY;
    mkdirSync(CACHE_DIR, { recursive: true });
    writeWhole(BUNDLE_FILE, output.text);
    const record: BuildRecord = { key: buildKey(version), sources: sources.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) };
    writeWhole(INPUTS_FILE, `${JSON.stringify(record)}\n`);
    return pathToFileURL(BUNDLE_FILE);
  } catch {
    return TSX_WORKER_ENTRY;
  }
}

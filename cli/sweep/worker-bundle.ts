import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The worker's TypeScript entry, and the tsx-registering script that runs it without a bundle. */
const WORKER_SOURCE = fileURLToPath(new URL('./worker.ts', import.meta.url));
export const TSX_WORKER_ENTRY = new URL('./worker-entry.mjs', import.meta.url);

/**
 * Where bundles are kept: inside the project, so that the packages the
 * bundle leaves out (Cedar's WebAssembly, TypeBox, ...) resolve from the
 * project's node_modules exactly as they do from the sources.
 */
const CACHE_DIR = fileURLToPath(new URL('../../node_modules/.cache/missionbench/', import.meta.url));
const BUNDLE_FILE = `${CACHE_DIR}sweep-worker.mjs`;
/** The sources the bundle was built from, each with its size and modification time. */
const INPUTS_FILE = `${CACHE_DIR}sweep-worker.inputs.json`;

type Inputs = Array<[path: string, size: number, mtimeMs: number]>;

function stamp(path: string): [string, number, number] {
  const stat = statSync(path);
  return [path, stat.size, stat.mtimeMs];
}

/** True if the cached bundle was built from exactly the sources on disk now. */
function cachedBundleIsCurrent(): boolean {
  try {
    const inputs = JSON.parse(readFileSync(INPUTS_FILE, 'utf8')) as Inputs;
    statSync(BUNDLE_FILE);
    return inputs.length > 0 && inputs.every(([path, size, mtimeMs]) => {
      const [, nowSize, nowMtime] = stamp(path);
      return nowSize === size && nowMtime === mtimeMs;
    });
  } catch {
    return false;
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
  try {
    if (!cachedBundleIsCurrent()) {
      const { build } = await import('esbuild');
      const result = await build({
        entryPoints: [WORKER_SOURCE],
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        packages: 'external',
        keepNames: true,
        write: false,
        metafile: true,
        logLevel: 'silent',
        plugins: [
          {
            name: 'own-module-urls',
            setup(bundler) {
              bundler.onLoad({ filter: /\.ts$/ }, (args) => {
                const text = readFileSync(args.path, 'utf8');
                const url = JSON.stringify(pathToFileURL(args.path).href);
                return { contents: text.includes('import.meta.url') ? text.replaceAll('import.meta.url', url) : text, loader: 'ts' };
              });
            },
          },
        ],
      });
      const output = result.outputFiles?.[0];
      if (output === undefined) return TSX_WORKER_ENTRY;
      // Input paths in the metafile are relative to the working directory esbuild ran in.
      const inputs: Inputs = Object.keys(result.metafile.inputs).map((input) => stamp(resolve(input)));
      mkdirSync(CACHE_DIR, { recursive: true });
      writeWhole(BUNDLE_FILE, output.text);
      writeWhole(INPUTS_FILE, `${JSON.stringify(inputs)}\n`);
    }
    return pathToFileURL(BUNDLE_FILE);
  } catch {
    return TSX_WORKER_ENTRY;
  }
}

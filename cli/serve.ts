import type { Command } from 'commander';
import type { Plugin } from 'vite';
import { join } from 'node:path';
import type { ApiContext, ApiSession, SessionSource } from '../analysis/http-api.ts';
import { readAtlas, type AtlasFile } from './atlas.ts';
import { reportAndExit, UsageError } from './exit.ts';

const WEB_ROOT = new URL('../web/', import.meta.url).pathname;
const DEFAULT_PORT = 5180;

/** Serves /api/* from the analysis; everything else is Vite's (the dashboard in web/). */
function apiPlugin(sessions: SessionSource, context: ApiContext, handleApi: typeof import('../analysis/http-api.ts').handleApi): Plugin {
  return {
    name: 'missionbench-api',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (!req.url?.startsWith('/api/')) {
          next();
          return;
        }
        if (req.method !== 'GET') {
          res.statusCode = 405;
          res.end();
          return;
        }
        void handleApi(new URL(req.url, 'http://127.0.0.1'), sessions, context).then(({ status, body }) => {
          res.statusCode = status;
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify(body));
        });
      });
    },
  };
}

/**
 * What to open for a folder: itself, or for an atlas folder the sweep of
 * each measured gap (by id; the first one when none is named). The atlas
 * view lists every gap; the page switches between them.
 */
export function resolveTarget(dir: string): { measuredGaps: string[]; atlas: AtlasFile | undefined; folderOf: (gap: string | null) => string } {
  const atlas = readAtlas(dir);
  if (!atlas) {
    return {
      measuredGaps: [],
      atlas: undefined,
      folderOf: (gap) => {
        if (gap !== null) throw new UsageError(`${dir} is not an atlas folder: there is no gap ${JSON.stringify(gap)}`);
        return dir;
      },
    };
  }
  const measuredGaps = atlas.gaps.filter((row) => row.status === 'measured').map((row) => row.gap);
  if (measuredGaps.length === 0) throw new UsageError(`${dir}: the atlas has no measured gap to show`);
  return {
    measuredGaps,
    atlas,
    folderOf: (gap) => {
      const id = gap ?? (measuredGaps[0] as string);
      if (!measuredGaps.includes(id)) throw new UsageError(`no measured gap ${JSON.stringify(id)} in this atlas (measured: ${measuredGaps.join(', ')})`);
      return join(dir, id);
    },
  };
}

function parsePort(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 0 || port > 65535) throw new UsageError(`--port expects a port number (0-65535), found ${JSON.stringify(text)}`);
  return port;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the dashboard for an analysed run, sweep or atlas folder (binds 127.0.0.1; analyses it first if needed)')
    .argument('<dir>', 'run folder, sweep folder, folder of runs, or atlas folder')
    .option('--port <n>', `port (default ${DEFAULT_PORT}, or the next free one; 0 picks any)`)
    .option('--allow-broken', 'show logs that do not verify too, with a banner above every view naming the first bad seq (default: refuse, exit 1)')
    .action(async (dir: string, options: { port?: string; allowBroken?: boolean }) => {
      try {
        await serveFolder(dir, parsePort(options.port), options.allowBroken);
      } catch (error) {
        const { exitIfBroken } = await import('./analysis-session.ts');
        exitIfBroken(error);
        reportAndExit(error);
      }
    });
}

/**
 * Serves the dashboard for a folder until Ctrl-C: analyses it if needed,
 * starts Vite on 127.0.0.1 with the API plugin, prints the URL.
 */
export async function serveFolder(dir: string, port: number | undefined, allowBroken = false): Promise<void> {
  // Vite and DuckDB load only for this command, not for every command.
  const [{ createServer }, { handleApi, UnknownGapError }, { prepareAnalysis }] = await Promise.all([
    import('vite'),
    import('../analysis/http-api.ts'),
    import('./analysis-session.ts'),
  ]);
  const { atlas, measuredGaps, folderOf } = resolveTarget(dir);
  // Each gap's analysis is opened once, on first use; the first one now, so its errors surface before the URL is printed.
  const opened = new Map<string, Promise<ApiSession>>();
  const sessions: SessionSource = (gap) => {
    let folder: string;
    try {
      folder = folderOf(gap);
    } catch (error) {
      return Promise.reject(new UnknownGapError((error as Error).message));
    }
    let session = opened.get(folder);
    if (!session) {
      session = prepareAnalysis(folder, { allowBroken }).then(({ analysis, input, checkLines }) => ({ analysis, input, check: checkLines, gap: atlas ? (gap ?? (measuredGaps[0] as string)) : null }));
      opened.set(folder, session);
    }
    return session;
  };
  await sessions(null);
  const server = await createServer({
    root: WEB_ROOT,
    configFile: false,
    logLevel: 'warn',
    clearScreen: false,
    plugins: [apiPlugin(sessions, { dir, atlas: atlas ?? null }, handleApi)],
    server: { host: '127.0.0.1', port: port ?? DEFAULT_PORT, strictPort: port !== undefined },
  });
  await server.listen();
  const url = server.resolvedUrls?.local[0] ?? `http://127.0.0.1:${port ?? DEFAULT_PORT}/`;
  process.stdout.write(`missionbench dashboard for ${dir}: ${url}\n`);
  process.stderr.write('press Ctrl-C to stop\n');
  const stop = () => {
    void server.close().then(async () => {
      for (const session of opened.values()) (await session).analysis.close();
      process.exit(0);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

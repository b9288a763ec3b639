import type { Command } from 'commander';
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ANALYSIS_HEADER } from '../analysis/answer-identity.ts';
import type { ApiContext, SessionSource } from '../analysis/http-api.ts';
import { readAtlas, type AtlasFile } from './atlas-file.ts';
import { reportAndExit, UsageError } from './exit.ts';

/** The dashboard as `vite build` writes it (scripts/build.mjs); web/ holds its sources. */
const DASHBOARD_DIR = fileURLToPath(new URL('../dist/web/', import.meta.url));
const DEFAULT_PORT = 5180;
/** Without --port, the next free port after the default, up to this many tries. */
const PORT_TRIES = 20;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

type ApiHandler = typeof import('../analysis/http-api.ts').handleApi;

/**
 * One request's sessions: the analyses it opens stay open (no rebuild closes
 * them) until release() (fresh-sessions.ts); identity() names the one it
 * answered from, or the refusal (ANALYSIS_HEADER), once it opened one.
 */
type RequestSessions = () => { sessions: SessionSource; release: () => void; identity: () => string | undefined };

/**
 * Names each analysis serve opens: a new one at every open or rebuild. The
 * time serve started is in it so that a page kept open across a restart of
 * serve does not take the new serve's first analysis for the old one's.
 */
function analysisNames(): () => string {
  const started = Date.now().toString(36);
  let opened = 0;
  return () => `${started}.${++opened}`;
}

/**
 * Names a refusal (a rebuild that failed) by its message: a retry that fails
 * the same way (a broken log) is the same answer, so the page does not draw
 * again at every retry; another failure is another answer.
 */
function refusalName(error: unknown, messageOf: (error: unknown) => string): string {
  return `refused.${createHash('sha256').update(messageOf(error)).digest('hex').slice(0, 16)}`;
}

/** Answers /api/* from the analysis: GET only, JSON always. */
function answerApi(req: IncomingMessage, res: ServerResponse, request: RequestSessions, context: ApiContext, handleApi: ApiHandler): void {
  if (req.method !== 'GET') {
    res.statusCode = 405;
    res.end();
    return;
  }
  const { sessions, release, identity } = request();
  void handleApi(new URL(req.url ?? '/', 'http://127.0.0.1'), sessions, context)
    .finally(release)
    .then(({ status, body }) => {
      res.statusCode = status;
      res.setHeader('content-type', 'application/json');
      const from = identity();
      if (from !== undefined) res.setHeader(ANALYSIS_HEADER, from);
      res.end(JSON.stringify(body));
    });
}

/**
 * Answers everything else from the built dashboard: a file under
 * dist/web/ (never outside it), "/" its index.html. Vite's hashed assets
 * never change under one name, so the browser may keep them.
 */
function answerFile(req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.statusCode = 405;
    res.end();
    return;
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
  } catch {
    pathname = '';
  }
  const file = join(DASHBOARD_DIR, normalize(pathname.endsWith('/') ? `${pathname}index.html` : pathname));
  let found = false;
  try {
    found = file.startsWith(DASHBOARD_DIR) && statSync(file).isFile();
  } catch {
    // not there
  }
  if (!found) {
    res.statusCode = 404;
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    res.end(`not found: ${pathname}\n`);
    return;
  }
  res.setHeader('content-type', CONTENT_TYPES[extname(file)] ?? 'application/octet-stream');
  res.setHeader('cache-control', file.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file).pipe(res);
}

/** Listens on 127.0.0.1: the given port, or the first free one from the default on. */
async function listen(server: Server, port: number | undefined): Promise<number> {
  const tries = port === undefined ? PORT_TRIES : 1;
  for (let attempt = 0; ; attempt++) {
    const candidate = (port ?? DEFAULT_PORT) + attempt;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(candidate, '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
      const address = server.address();
      return typeof address === 'object' && address !== null ? address.port : candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt + 1 >= tries) {
        if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new UsageError(`port ${candidate} is in use: pick another with --port`);
        throw error;
      }
    }
  }
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
    .option('--dev', "Vite's dev server on web/ (reloads as you edit the dashboard; what `npm run dev` runs) instead of the built dashboard")
    .option('--allow-broken', 'show logs that do not verify too, with a banner above every view naming the first bad seq (default: refuse, exit 1)')
    .action(async (dir: string, options: { port?: string; dev?: boolean; allowBroken?: boolean }) => {
      try {
        await serveFolder(dir, parsePort(options.port), { dev: options.dev === true, allowBroken: options.allowBroken === true });
      } catch (error) {
        const { exitIfBroken } = await import('./analysis-session.ts');
        exitIfBroken(error);
        reportAndExit(error);
      }
    });
}

/**
 * Serves the dashboard for a folder until Ctrl-C: analyses it if needed
 * (and again whenever its runs change: fresh-sessions.ts), serves the
 * built dashboard (dist/web/, rebuilt first if web/ changed since) and the
 * API on 127.0.0.1, prints the URL. With `dev`, Vite's dev server serves
 * web/ itself, with the API as a middleware.
 */
export async function serveFolder(
  dir: string,
  port: number | undefined,
  { dev = false, allowBroken = false }: { dev?: boolean; allowBroken?: boolean } = {},
): Promise<void> {
  // DuckDB loads only for this command, not for every command.
  const [{ handleApi, UnknownGapError }, { prepareAnalysis }, { FreshSessions, messageOf }] = await Promise.all([
    import('../analysis/http-api.ts'),
    import('./analysis-session.ts'),
    import('./fresh-sessions.ts'),
  ]);
  const { atlas, measuredGaps, folderOf } = resolveTarget(dir);
  // Each gap's analysis is opened on first use, and looked at again before later requests (rebuilt if its runs changed).
  const nameAnalysis = analysisNames();
  const fresh = new FreshSessions({
    prepare: async (folder, say) => ({ ...(await prepareAnalysis(folder, { allowBroken, say })), identity: nameAnalysis() }),
    close: ({ analysis }) => analysis.close(),
  });
  const request: RequestSessions = () => {
    const lease = fresh.lease();
    let identity: string | undefined;
    const sessions: SessionSource = (gap) => {
      let folder: string;
      try {
        folder = folderOf(gap);
      } catch (error) {
        return Promise.reject(new UnknownGapError((error as Error).message));
      }
      return lease.open(folder).then(
        (opened) => {
          identity = opened.identity;
          return { analysis: opened.analysis, input: opened.input, check: opened.checkLines, gap: atlas ? (gap ?? (measuredGaps[0] as string)) : null };
        },
        (error: unknown) => {
          identity = refusalName(error, messageOf);
          throw error;
        },
      );
    };
    return { sessions, release: lease.release, identity: () => identity };
  };
  // The first gap's analysis now, so its errors surface before the URL is printed.
  const first = request();
  await first.sessions(null).finally(first.release);
  const context: ApiContext = { dir, atlas: atlas ?? null };
  const close = dev ? await serveDev(request, context, handleApi, port) : await serveBuilt(request, context, handleApi, port);
  process.stderr.write('press Ctrl-C to stop\n');
  const stop = () => {
    void close()
      .then(() => fresh.closeAll())
      .then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function announce(dir: string, url: string): void {
  process.stdout.write(`missionbench dashboard for ${dir}: ${url}\n`);
}

/** The built dashboard and the API from one plain Node HTTP server. */
async function serveBuilt(request: RequestSessions, context: ApiContext, handleApi: ApiHandler, port: number | undefined): Promise<() => Promise<void>> {
  const { ensureBuilt } = await import('../scripts/build.mjs');
  try {
    await ensureBuilt('web');
  } catch (error) {
    // Not the user's input and not a bug: the install lacks the build tools (say, without dev dependencies).
    process.stderr.write(`missionbench: the dashboard cannot be built: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/api/')) answerApi(req, res, request, context, handleApi);
    else answerFile(req, res);
  });
  const bound = await listen(server, port);
  announce(context.dir, `http://127.0.0.1:${bound}/`);
  return () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
}

/** Vite's dev server on web/ (vite.config.mjs), the API as its middleware: for working on the dashboard. */
async function serveDev(request: RequestSessions, context: ApiContext, handleApi: ApiHandler, port: number | undefined): Promise<() => Promise<void>> {
  let vite: typeof import('vite');
  try {
    vite = await import('vite');
  } catch {
    throw new UsageError('--dev needs Vite, a dev dependency: run `npm ci` (with the dev dependencies)');
  }
  const server = await vite.createServer({
    configFile: fileURLToPath(new URL('../vite.config.mjs', import.meta.url)),
    logLevel: 'warn',
    clearScreen: false,
    plugins: [
      {
        name: 'missionbench-api',
        configureServer(dev) {
          dev.middlewares.use((req, res, next) => {
            if (req.url?.startsWith('/api/')) answerApi(req, res, request, context, handleApi);
            else next();
          });
        },
      },
    ],
    server: { host: '127.0.0.1', port: port ?? DEFAULT_PORT, strictPort: port !== undefined },
  });
  await server.listen();
  announce(context.dir, server.resolvedUrls?.local[0] ?? `http://127.0.0.1:${port ?? DEFAULT_PORT}/`);
  return () => server.close();
}

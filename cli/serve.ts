import type { Command } from 'commander';
import type { Plugin } from 'vite';
import type { Analysis } from '../analysis/database.ts';
import { QueryError } from '../analysis/queries.ts';
import { AnalysisInputError, type AnalysisInput } from '../analysis/run-folders.ts';
import { reportAndExit, UsageError } from './exit.ts';

const WEB_ROOT = new URL('../web/', import.meta.url).pathname;
const DEFAULT_PORT = 5180;

/** Serves /api/* from the analysis; everything else is Vite's (the dashboard in web/). */
function apiPlugin(analysis: Analysis, input: AnalysisInput, handleApi: typeof import('../analysis/http-api.ts').handleApi): Plugin {
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
        void handleApi(new URL(req.url, 'http://127.0.0.1'), analysis, input).then(({ status, body }) => {
          res.statusCode = status;
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify(body));
        });
      });
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
    .action(async (dir: string, options: { port?: string }) => {
      try {
        const port = parsePort(options.port);
        // Vite and DuckDB load only for this command, not for every command.
        const [{ createServer }, { handleApi }, { prepareAnalysis }] = await Promise.all([
          import('vite'),
          import('../analysis/http-api.ts'),
          import('./analysis-session.ts'),
        ]);
        const { analysis, input } = await prepareAnalysis(dir, {});
        const server = await createServer({
          root: WEB_ROOT,
          configFile: false,
          logLevel: 'warn',
          clearScreen: false,
          plugins: [apiPlugin(analysis, input, handleApi)],
          server: { host: '127.0.0.1', port: port ?? DEFAULT_PORT, strictPort: port !== undefined },
        });
        await server.listen();
        const url = server.resolvedUrls?.local[0] ?? `http://127.0.0.1:${port ?? DEFAULT_PORT}/`;
        process.stdout.write(`missionbench dashboard for ${dir}: ${url}\n`);
        process.stderr.write('press Ctrl-C to stop\n');
        const stop = () => {
          void server.close().then(() => {
            analysis.close();
            process.exit(0);
          });
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      } catch (error) {
        if (error instanceof AnalysisInputError || error instanceof QueryError) reportAndExit(new UsageError(error.message));
        reportAndExit(error);
      }
    });
}

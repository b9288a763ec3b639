import { spawn, type ChildProcess } from 'node:child_process';

const BIN = new URL('../bin/missionbench.mjs', import.meta.url).pathname;

/** A `missionbench serve` started by a test. */
export interface ServeProcess {
  server: ChildProcess;
  /** The URL it prints once listening; rejects (naming its exit code and output) if it exits first. */
  url: Promise<string>;
  /** Everything it wrote so far, stdout and stderr. */
  output: () => string;
  /** What it wrote on stderr so far. */
  stderr: () => string;
}

/** Starts `missionbench serve ARGS --port 0` (a free port). The caller stops it (server.kill). */
export function startServe(args: readonly string[]): ServeProcess {
  const server = spawn(process.execPath, [BIN, 'serve', ...args, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let stderr = '';
  const url = new Promise<string>((resolve, reject) => {
    server.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
      if (found) resolve(found[1] as string);
    });
    server.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      stderr += chunk.toString();
    });
    server.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`)));
  });
  // A test that never asks for the URL (a server expected to exit) must not leave a rejection unhandled.
  url.catch(() => undefined);
  return { server, url, output: () => output, stderr: () => stderr };
}

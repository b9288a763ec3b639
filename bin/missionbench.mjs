#!/usr/bin/env node
// missionbench runs from the JavaScript built into dist/ (scripts/build.mjs;
// `npm ci` builds it at `prepare`, `npm run build` rebuilds it). When a
// source changed since that build (a developer editing sim/, say), dist/ is
// rebuilt first, with a line on stderr saying why: about half a second,
// then every later command starts at full speed again. Without esbuild
// installed it stops with what to run instead.
import { ensureBuilt } from '../scripts/build.mjs';

try {
  await ensureBuilt('node');
} catch (error) {
  process.stderr.write(`missionbench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
await import('../dist/missionbench.js');

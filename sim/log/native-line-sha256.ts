import { hash } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * The build's native line hasher (native/line-sha256.c), when it was built
 * and works here: SHA-256 of a range of a memory, written into the same
 * memory as hex, without node:crypto's per-call EVP set-up (about 250 ns a
 * call, more than hashing a 200-byte line takes). Where it is absent (no C
 * compiler at build time, another platform) or switched off, the audit
 * writer hashes through node:crypto: the digests, and so the logs, are the
 * same bytes either way (tests compare them).
 */

/** Where the build puts the addon: dist/native/ of this checkout (from dist/ as from the sources). */
export const NATIVE_LINE_SHA256 = fileURLToPath(new URL('../../dist/native/line-sha256.node', import.meta.url));

/** Set to `off`, lines are hashed by node:crypto even where the addon is built (to compare the two, or to rule it out). */
export const NATIVE_HASH_SWITCH = 'MISSIONBENCH_NATIVE_HASH';

/** The digest of memory[start, end) as 64 lowercase hex digits at memory[hexAt, hexAt + 64). */
export type DigestHexAt = (start: number, end: number, hexAt: number) => void;

interface LineSha256Addon {
  bind(memory: Uint8Array): DigestHexAt;
}

/** Which hasher this process's audit logs use, and why. */
export interface LineHashPath {
  native: boolean;
  why: string;
}

let addon: LineSha256Addon | undefined;
let path: LineHashPath | undefined;

/** The addon if it loads and gives node:crypto's digests; the outcome is kept for the process. */
function load(): LineSha256Addon | undefined {
  if (path !== undefined) return addon;
  // It was opt-in for an hour and a half: V8 stopped a few processes in its deoptimizer while it was in use. That crash came from
  // Cedar's wasm calls (sim/v8-flags.ts), not from the addon; it happened without the addon too.
  if (process.env[NATIVE_HASH_SWITCH] === 'off') {
    path = { native: false, why: `switched off (${NATIVE_HASH_SWITCH}=off)` };
    return undefined;
  }
  try {
    const candidate = createRequire(import.meta.url)(NATIVE_LINE_SHA256) as LineSha256Addon;
    const wrong = selfCheck(candidate);
    if (wrong === undefined) {
      addon = candidate;
      path = { native: true, why: 'dist/native/line-sha256.node (OpenSSL SHA-256 without the EVP set-up)' };
    } else path = { native: false, why: wrong };
  } catch (error) {
    const code = (error as { code?: string }).code;
    path = {
      native: false,
      why:
        code === 'MODULE_NOT_FOUND'
          ? 'not built (the build found no C compiler, or could not compile native/line-sha256.c)'
          : `could not be loaded: ${(error as Error).message}`,
    };
  }
  return addon;
}

/** Why the addon must not be used, or undefined: it must hash as node:crypto does, at both ends of a memory. */
function selfCheck(candidate: LineSha256Addon): string | undefined {
  const memory = new Uint8Array(300);
  for (let i = 0; i < memory.length; i++) memory[i] = (i * 37 + 11) & 0xff;
  const digestHexAt = candidate.bind(memory);
  for (const [start, end, hexAt] of [
    [0, 200, 236],
    [64, 64, 0],
  ] as const) {
    const expected = hash('sha256', memory.subarray(start, end), 'hex');
    digestHexAt(start, end, hexAt);
    if (Buffer.from(memory.buffer, memory.byteOffset + hexAt, 64).toString('latin1') !== expected) return 'built, but its digest differs from node:crypto';
  }
  return undefined;
}

/** How this process hashes its audit logs' lines. */
export function lineHashPath(): LineHashPath {
  load();
  return path as LineHashPath;
}

/** The native hasher bound to `memory`, or undefined where lines are hashed by node:crypto. */
export function nativeDigestHexAt(memory: Uint8Array): DigestHexAt | undefined {
  return load()?.bind(memory);
}

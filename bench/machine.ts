/**
 * What the figures depend on besides the code: printed above every bench
 * table, so a figure read later can be compared only with figures from the
 * same kind of machine. Transparent huge pages are among them: with the
 * kernel's THP mode `always`, V8's heap gets 2 MB pages (V8 itself never
 * asks for them), which shortens a cache miss over a large heap by about a
 * third and changed single runs of the protocol world by -11% to +3%
 * (docs/benchmarks/scaling.md, "Huge pages").
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { lineHashPath } from '../sim/log/native-line-sha256.ts';

export interface Machine {
  node: string;
  cpu: string;
  cores: number;
  load_1m: number;
  transparent_hugepages: string;
  /** How audit-log lines are hashed: the build's native hasher, or node:crypto (and why); every logged figure depends on it. */
  line_hash: string;
}

const THP_FILE = '/sys/kernel/mm/transparent_hugepage/enabled';

/** The selected mode in the kernel's THP setting ("always [madvise] never" -> "madvise"). */
export function selectedThpMode(setting: string): string | undefined {
  return /\[([^\]]+)\]/.exec(setting)?.[1];
}

function transparentHugepages(): string {
  let setting: string;
  try {
    setting = readFileSync(THP_FILE, 'utf8');
  } catch {
    return 'unknown (no Linux THP setting)';
  }
  return selectedThpMode(setting) ?? `unknown (${setting.trim()})`;
}

export function describeMachine(): Machine {
  const processors = cpus();
  return {
    node: process.version,
    cpu: processors[0]?.model.trim() ?? 'unknown',
    cores: processors.length,
    load_1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    transparent_hugepages: transparentHugepages(),
    line_hash: lineHashDescription(),
  };
}

function lineHashDescription(): string {
  const path = lineHashPath();
  return path.native ? 'native' : `node:crypto (native hasher ${path.why})`;
}

export function machineLine(machine: Machine): string {
  return `machine: Node ${machine.node}, ${machine.cores} x ${machine.cpu}, load ${machine.load_1m} at the start, transparent huge pages: ${machine.transparent_hugepages}, log lines hashed: ${machine.line_hash}`;
}

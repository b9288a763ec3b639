/**
 * What the figures depend on besides the code: printed above every bench
 * table, so a figure read later can be compared only with figures from the
 * same kind of machine. Transparent huge pages are among them: with the
 * kernel's THP mode `always`, V8's heap gets 2 MB pages (V8 itself never
 * asks for them), which shortens a cache miss over a large heap by about a
 * third and changed single runs of the protocol world by -11% to +3%
 * (docs/benchmarks/scaling.md, "Huge pages"). So is free page reporting:
 * a virtual machine whose kernel hands free memory back to its host pays a
 * trip to the host at the next touch of each page, which made writing a
 * 1.5 GB log cost 3 s of kernel time instead of 0.2 s (docs/benchmarks.md,
 * "Kernel time").
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
  /** Whether the kernel hands free memory back to a host (virtual machines), and how much it has. */
  free_page_reporting: string;
  /** How audit-log lines are hashed: the build's native hasher, or node:crypto (and why); every logged figure depends on it. */
  line_hash: string;
}

const THP_FILE = '/sys/kernel/mm/transparent_hugepage/enabled';
const PAGE_REPORTING = '/sys/module/page_reporting/parameters';

/**
 * Free page reporting as the bench line prints it, from the kernel's
 * page_reporting parameters (undefined: not there). `order` is the size of
 * a reported block in 4 KiB pages, as a power of two.
 */
export function describePageReporting(order: string | undefined, reportedKib: string | undefined): string {
  if (order === undefined || reportedKib === undefined) return 'none';
  const kib = Number(reportedKib);
  const blockMib = 2 ** Number(order) / 256;
  if (!Number.isFinite(kib) || !Number.isFinite(blockMib)) return `unknown (order ${order.trim()}, reported ${reportedKib.trim()} KiB)`;
  if (kib === 0) return 'available, nothing handed back since boot';
  return `on (${Math.round(kib / 2 ** 20)} GiB handed back to the host since boot, in ${blockMib} MiB blocks)`;
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

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
    free_page_reporting: describePageReporting(readOrUndefined(`${PAGE_REPORTING}/page_reporting_order`), readOrUndefined(`${PAGE_REPORTING}/reported_kib`)),
    line_hash: lineHashDescription(),
  };
}

function lineHashDescription(): string {
  const path = lineHashPath();
  return path.native ? 'native' : `node:crypto (native hasher ${path.why})`;
}

export function machineLine(machine: Machine): string {
  return `machine: Node ${machine.node}, ${machine.cores} x ${machine.cpu}, load ${machine.load_1m} at the start, transparent huge pages: ${machine.transparent_hugepages}, free page reporting: ${machine.free_page_reporting}, log lines hashed: ${machine.line_hash}`;
}

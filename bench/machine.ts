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

/** A decimal count in a sysfs file's text, or undefined for anything else (empty, garbled). */
function sysfsCount(text: string): number | undefined {
  const trimmed = text.trim();
  return /^\d+$/.test(trimmed) ? Number(trimmed) : undefined;
}

/**
 * Free page reporting as the bench line prints it, from the kernel's
 * page_reporting parameters (undefined: that file is not there).
 * `page_reporting_order` is standard Linux: the size of a reported block in
 * pages, as a power of two, and all ones (-1) until a device (a balloon
 * driver) asks for reports. `reported_kib`, how much has been handed back,
 * is not standard (this project's VM kernel has it); without it the
 * amount is left out. Pages are taken to be 4 KiB (x86-64).
 */
export function describePageReporting(order: string | undefined, reportedKib: string | undefined): string {
  if (order === undefined) return 'none (no page_reporting parameters)';
  const blockPages = sysfsCount(order);
  if (blockPages === undefined) return `unknown (page_reporting_order ${order.trim()})`;
  if (blockPages >= 64) return 'available, no device asks for reports';
  const block = `in ${formatKib(2 ** blockPages * 4)} blocks`;
  const kib = reportedKib === undefined ? undefined : sysfsCount(reportedKib);
  if (kib === undefined) return `on (${block})`;
  if (kib === 0) return `on (${block}), nothing handed back yet`;
  return `on (${formatKib(kib)} handed back to the host since boot, ${block})`;
}

/** KiB as GiB (whole) from 1 GiB up, else as MiB (whole, at least 1). */
function formatKib(kib: number): string {
  return kib >= 2 ** 20 ? `${Math.round(kib / 2 ** 20)} GiB` : `${Math.max(1, Math.round(kib / 2 ** 10))} MiB`;
}

/** A kernel setting's text, or undefined where the file is not there (another kernel, another system). */
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
  const setting = readOrUndefined(THP_FILE);
  if (setting === undefined) return 'unknown (no Linux THP setting)';
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

import { readFileSync } from 'node:fs';

/**
 * CPU clocks for the benchmark children: the process's (every thread) and
 * the main thread's alone, so that what V8 does beside the JavaScript
 * (compiling, concurrent marking and sweeping, parallel scavenging) can be
 * told apart from it.
 */

/**
 * The process's CPU time since `before` and, of it, the kernel's (system
 * time: copying written files into the page cache, page faults), in
 * seconds, from one reading so that the two agree.
 */
export function cpuAndSysSince(before: NodeJS.CpuUsage): { cpu_s: number; sys_s: number } {
  const used = process.cpuUsage(before);
  return { cpu_s: (used.user + used.system) / 1e6, sys_s: used.system / 1e6 };
}

/**
 * The main thread's own CPU time in seconds (Linux: /proc/thread-self/stat,
 * utime + stime in 10 ms ticks). Undefined where /proc is not there.
 */
export function mainThreadCpuS(): number | undefined {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** The main thread's CPU time since `before` (a mainThreadCpuS reading), if both are known. */
export function mainThreadCpuSince(before: number | undefined): number | undefined {
  const now = mainThreadCpuS();
  return now === undefined || before === undefined ? undefined : now - before;
}

import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ingestLog, INGEST_SIGNER, type IngestManifest } from '../ingest.ts';
import type { SigningKey } from '../session-block.ts';
import { convertCallRecords, type ConversionReport } from './convert.ts';
import { readCallRecords } from './read.ts';

/** The run folder's files beside events.jsonl: what the conversion did, and every record it could not map. */
export const REPORT_FILE = 'aauth-call-report.json';
export const UNMAPPED_FILE = 'aauth-call-unmapped.jsonl';

export interface CallLogIngest {
  manifest: IngestManifest;
  report: ConversionReport;
}

/**
 * `ingest --format aauth-call`: reads every file (all lines checked before
 * anything is written), converts the calls to this project's events, and
 * hands them to the ordinary ingest, which checks them against the event
 * schema and writes them chained and sealed as received, labelled as
 * sealed at ingest. The conversion report and the unmapped records go in
 * the same run folder, written in the same staged step.
 */
export function ingestCallLogs(given: readonly string[], outDir: string, options: { key?: SigningKey | undefined; at: string }): CallLogIngest {
  // The same files in any order give the same log: ties are broken by file, then line.
  const byPath = new Map(given.map((file) => [resolve(file), file]));
  const files = [...byPath.keys()].sort().map((path) => byPath.get(path) as string);
  const records = readCallRecords(files);
  const conversion = convertCallRecords(records);
  const lines = [
    JSON.stringify({
      seq: 0,
      t: 0,
      type: 'run.started',
      mission: null,
      actor: INGEST_SIGNER,
      scenario: `aauth.call log (${files.length} file${files.length === 1 ? '' : 's'})`,
      profile: 'aauth-call',
      clock_origin: conversion.clockOrigin,
      seed: 0,
    }),
    ...conversion.events.map((event, index) =>
      JSON.stringify({ seq: index + 1, t: event.t, type: event.type, mission: event.mission, actor: event.actor, ...event.fields }),
    ),
  ];
  const sources = files.map((file) => {
    const bytes = readFileSync(file);
    return { path: resolve(file), sha256: createHash('sha256').update(bytes).digest('hex'), records: records.filter((r) => r.file === file).length };
  });
  const combined = createHash('sha256');
  for (const source of sources) combined.update(source.sha256);
  const scratch = mkdtempSync(join(tmpdir(), 'missionbench-aauth-call-'));
  try {
    const converted = join(scratch, 'converted-events.jsonl');
    writeFileSync(converted, `${lines.join('\n')}\n`);
    const manifest = ingestLog(converted, outDir, {
      key: options.key,
      at: options.at,
      source: {
        path: sources.map((s) => s.path).join(', '),
        sha256: combined.digest('hex'),
        lines: records.length,
        format: 'aauth-call',
        files: sources,
        converted_events: conversion.events.length,
        epoch_origin: new Date(conversion.epochOrigin / 1000).toISOString(),
      },
      sidecars: {
        [REPORT_FILE]: `${JSON.stringify(conversion.report, null, 2)}\n`,
        [UNMAPPED_FILE]: conversion.unmapped.map((u) => JSON.stringify(u)).join('\n') + (conversion.unmapped.length > 0 ? '\n' : ''),
      },
    });
    return { manifest, report: conversion.report };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The report in a few lines for the terminal. */
export function summariseReport(report: ConversionReport): string[] {
  const out = [
    `${report.records} aauth.call records, ${report.calls} calls (${report.joined.both} with both ends, ${report.joined.caller_only} caller only, ${report.joined.callee_only} callee only, ${report.joined.person} person acts) -> ${report.events} events`,
  ];
  out.push(report.unmapped.total === 0 ? 'every record mapped' : `${report.unmapped.total} records kept unmapped (${UNMAPPED_FILE}):`);
  for (const [reason, n] of Object.entries(report.unmapped.by_reason).sort((a, b) => b[1] - a[1])) out.push(`  ${n} ${reason}`);
  for (const [reason, n] of Object.entries(report.folded)) out.push(`${n} records carry no event of their own: ${reason}`);
  if (report.disagreements.length > 0) {
    out.push(`${report.disagreements.length} calls whose two ends disagree:`);
    for (const d of report.disagreements.slice(0, 10)) out.push(`  ${d.what}: call ${d.call_id} (${d.caller} / ${d.callee}): ${d.detail}`);
  }
  if (report.skew.offsets.length > 0 || report.skew.reordered_by_tree > 0 || report.skew.irreconcilable > 0) {
    out.push(`clock skew against ${report.skew.reference}:`);
    for (const o of report.skew.offsets) out.push(`  ${o.party}: ${o.offset_us >= 0 ? '+' : ''}${(o.offset_us / 1e6).toFixed(3)} s (times corrected)`);
    if (report.skew.reordered_by_tree > 0)
      out.push(`  ${report.skew.reordered_by_tree} calls ordered after their parent call although their clocks said earlier`);
    if (report.skew.irreconcilable > 0) out.push(`  ${report.skew.irreconcilable} calls no single offset reconciles`);
  }
  if (report.parent_cycles > 0) out.push(`${report.parent_cycles} calls whose parent chain loops back on itself (ordered by their own clocks)`);
  if (report.orphan_parents > 0) out.push(`${report.orphan_parents} calls name a parent call that is not in the input`);
  if (report.recomputed_s256 > 0)
    out.push(`${report.recomputed_s256} mission s256 recomputed from the logged blob (no record named it; may differ from the PS's bytes)`);
  if (report.irreversibility_unstated > 0)
    out.push(`${report.irreversibility_unstated} executed operations do not say whether they were irreversible (taken as reversible)`);
  return out;
}

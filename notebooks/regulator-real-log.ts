/**
 * Notebook (regulator): replaying a real deployment's call log. Starts from
 * the hand-written incident in the AAuth reference's own log format
 * (docs/examples/aauth-call/: one `aauth.call` file per party), ingests it
 * (join on call_id, call trees from parent, clock skew corrected), shows what
 * could and could not be mapped, and answers the regulator's questions with
 * the same code and SQL as for a simulated run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { replayData } from '../analysis/replay.ts';
import type { ConversionReport } from '../sim/log/aauth-call/convert.ts';
import { REPORT_FILE, UNMAPPED_FILE } from '../sim/log/aauth-call/ingest.ts';
import { clockOf } from '../sim/log/aauth-call/clock-skew.ts';
import type { CallRecord } from '../sim/log/aauth-call/record.ts';
import { isoToMicros } from '../sim/log/aauth-call/time.ts';
import { missionbench, Notebook, num, queryRows, REPO, shown } from './lib/notebook.ts';

const FOLDER = 'docs/examples/aauth-call';
const FILES = ['agent.jsonl', 'ps.jsonl', 'export-service.jsonl'].map((name) => `${FOLDER}/${name}`);

const readRecords = (file: string): CallRecord[] =>
  readFileSync(join(REPO, file), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as CallRecord);

/** Per joined call: how far the callee's clock put its start from the caller's, before and after correction. */
function skewSpec(points: Array<{ call: string; party: string; gap_s: number; stage: string }>): Record<string, unknown> {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: "callee's start minus caller's start, per joined call",
    width: 460,
    height: 220,
    data: { values: points },
    mark: { type: 'point', filled: true, size: 80 },
    encoding: {
      x: { field: 'gap_s', type: 'quantitative', title: 'seconds (negative: the callee logged the call before it was sent)' },
      y: { field: 'call', type: 'nominal', title: null, axis: { labelLimit: 220 } },
      color: { field: 'stage', type: 'nominal', title: null },
      shape: { field: 'party', type: 'nominal', title: 'callee' },
    },
  };
}

export async function build(work: string): Promise<Notebook> {
  const nb = new Notebook('regulator-real-log', "Regulator: replaying a real deployment's call log");
  const out = join(work, 'incident');
  const byFile = FILES.map((file) => ({ file, records: readRecords(file) }));
  nb.md(`
The other regulator notebook starts from a log in this project's own event schema, which no real system writes.
An auditor of a real AAuth deployment holds something else: the **call log** the AAuth reference packages write
(\`aauth-dev/packages-js\`, \`call-log\`): one \`aauth.call\` record per HTTP call between AAuth roles, written
**at each end** of the call, tokens replaced by their type and claims, a \`call_id\` (the SHA-256 of the request's
Signature header) that joins the two ends, and a \`parent\` that chains calls. Each party keeps its own file, on
its own clock, and nothing is signed.

The incident is the same bulk export as before, written by hand in that format (\`${FOLDER}/\`): the agent's
runtime, the Person Server and the export service each handed over their file. The CRM and the mail service sent
nothing.
`);
  nb.table(
    byFile.map(({ file, records }) => ({
      file,
      records: records.length,
      caller: records.filter((r) => r.side === 'caller').length,
      callee: records.filter((r) => r.side === 'callee').length,
      person: records.filter((r) => r.side === 'person').length,
      clocks: [...new Set(records.map(clockOf))].join(', '),
    })),
    ['file', 'records', 'caller', 'callee', 'person', 'clocks'],
  );

  nb.md(`
## 1. From calls to a mission trail

\`missionbench ingest\` recognises the format by its first line, checks every record against a JSON Schema
restated from the reference's definition, joins the two ends of each call, rebuilds the call trees, puts every
party on one clock, and maps each call to this project's events (see \`docs/aauth-call.md\` for the table). Then
the ordinary ingest chains and seals the result, labelled as sealed at ingest: the source files themselves were
never signed.
`);
  nb.command(`npx missionbench ingest ${FILES.join(' ')} --out ${shown(out)}`);
  nb.output(missionbench(['ingest', ...FILES, '--out', out]).replaceAll(out, shown(out)), 'ingest');
  const report = JSON.parse(readFileSync(join(out, REPORT_FILE), 'utf8')) as ConversionReport;

  nb.md(`
## 2. What the log cannot say, and where its parties disagree

Nothing is dropped silently. Records that do not map to an event are kept beside the log
(\`${UNMAPPED_FILE}\`), counted by reason; calls whose two ends disagree are listed.
`);
  nb.finding(
    'unmapped',
    report.unmapped.total === 0
      ? 'Every record mapped.'
      : `${report.unmapped.total} record(s) kept unmapped: ${Object.entries(report.unmapped.by_reason)
          .map(([reason, n]) => `${n} × ${reason}`)
          .join('; ')}.`,
  );
  nb.finding(
    'disagreements',
    report.disagreements.length === 0
      ? 'No call whose two ends disagree.'
      : report.disagreements.map((d) => `**${d.what}** on \`${d.call_id.slice(0, 24)}…\` (${d.caller} vs ${d.callee}): ${d.detail}.`).join(' ') +
          " The callee decided the call, so its answer is the one replayed; the caller's 502 came from a proxy between them.",
  );

  const offsets = new Map(report.skew.offsets.map((o) => [o.party, o.offset_us]));
  const records = byFile.flatMap(({ records: r }) => r);
  const points: Array<{ call: string; party: string; gap_s: number; stage: string }> = [];
  for (const caller of records.filter((r) => r.side === 'caller')) {
    const callee = records.find((r) => r.side === 'callee' && r.call_id === caller.call_id);
    if (!callee) continue;
    const gap = (isoToMicros(callee.started_at) - isoToMicros(caller.started_at)) / 1e6;
    const call = `${caller.method} ${caller.to.replace('https://', '')}${caller.path ?? ''} (${caller.call_id.slice(0, 3)})`;
    points.push({ call, party: callee.to.replace('https://', ''), gap_s: gap, stage: 'as logged' });
    points.push({ call, party: callee.to.replace('https://', ''), gap_s: gap - (offsets.get(clockOf(callee)) ?? 0) / 1e6, stage: 'corrected' });
  }
  nb.md(`
## 3. Clocks that disagree

A callee cannot receive a call before it was sent, nor answer after the caller had its answer. On every joined
call these two facts bound the offset between the two parties' clocks; the ingest takes the smallest shift that
makes every call causal, against the clock of the party that wrote the most records, and says what it did. Where
no pair of records ties a party's clock to another's, the call tree orders its calls (a call is never placed
before the call it was made in).
`);
  await nb.chart(
    skewSpec(points),
    'The export service logged its calls about 95 s before the agent and the Person Server sent them. After the correction every call starts when it was sent (latency inside the same second).',
  );
  nb.finding(
    'skew',
    report.skew.offsets.length === 0
      ? 'All clocks agree.'
      : `Against \`${report.skew.reference}\`: ${report.skew.offsets.map((o) => `\`${o.party}\` ${num(o.offset_us / 1e6)} s`).join(', ')}; ${report.skew.reordered_by_tree} call(s) ordered by the call tree, ${report.skew.irreconcilable} call(s) no offset reconciles.`,
  );

  const replay = await replayData(join(out, 'events.jsonl'));
  nb.md(`
## 4. The regulator's questions

The same answers as for a simulated run, from the same code: Mission Control's view (one line per token
decision) and \`replay --explain\`.
`);
  nb.output(replay.timeline.map((row) => row.line).join('\n'), 'mission-control');
  nb.output(replay.explain.join('\n'), 'explain');

  const window = (await queryRows(out, 'revocation_window'))[0];
  // The same export's end on the export service's own clock, as a reader of that file alone would see it.
  const exportEnd = records
    .filter((r) => r.side === 'callee' && r.to_role === 'resource' && r.status === 200 && r.signed?.scheme === 'jwt')
    .map((r) => isoToMicros(r.started_at) + (r.duration_ms ?? 0) * 1000)
    .sort((a, b) => b - a)[0];
  const uncorrected = exportEnd === undefined ? '–' : new Date(exportEnd / 1000).toISOString().slice(11, 19);
  nb.finding(
    'runtime-stop',
    `Revocation window (the \`revocation_window\` query, the same SQL as every sweep): the last operation under the mission ran **${num(window?.max_s)} s after termination**, ${num(window?.irreversible_after)} of ${num(window?.ops_after)} operation(s) after termination irreversible; the revocation reached ${num(window?.notified)} resource(s) ${num(window?.control_plane_max_s)} s after termination. The export service's own file puts the export's end at ${uncorrected}: read without the clock correction, the window would look ${num(-(report.skew.offsets[0]?.offset_us ?? 0) / 1e6)} s shorter than it was.`,
  );
  nb.md(`
What this log cannot answer: whether an operation was irreversible unless the resource said so in its answer
(the CRM read does not: counted, taken as reversible), anything inside a resource (its queue), and the
oracle's containment questions (what the person intended), which need the simulator's ground truth. The CRM's
revocation timed out and the CRM sent no log, so whether it ever learnt of the revocation is unknown.
`);
  return nb;
}

/**
 * Notebook (regulator): replaying an incident from the log alone. Ingests
 * docs/examples/incident-bulk-export.jsonl (a log received from an operator),
 * verifies its chain and signed session blocks, replays Mission Control and
 * the regulator's questions (analysis/replay.ts), measures the runtime stop
 * (the `revocation_window` query) and shows that tampering is detected.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { replayData } from '../analysis/replay.ts';
import type { LoggedEvent } from '../sim/log/read-log.ts';
import { verifyLog } from '../sim/log/verify.ts';
import { prepareAnalysis } from '../cli/analysis-session.ts';
import { missionbench, Notebook, num, shown } from './lib/notebook.ts';

const INCIDENT = 'docs/examples/incident-bulk-export.jsonl';

/** Simulated microseconds -> HH:MM:SS on the log's clock origin. */
function clock(t: number, origin: string): string {
  const [h, m] = origin.split(':').map(Number);
  const seconds = Math.floor(t / 1e6) + ((h ?? 0) * 60 + (m ?? 0)) * 60;
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(Math.floor(seconds / 3600) % 24)}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
}

/** Every event of the log on a time line, by actor; termination marked. */
function timelineSpec(events: readonly LoggedEvent[], origin: string, terminatedAt: number | undefined): Record<string, unknown> {
  const values = events.map((event) => ({
    minute: event.t / 60e6,
    clock: clock(event.t, origin),
    actor: event.actor,
    type: event.type,
    seq: event.seq,
    kind: event.type === 'op.executed' && terminatedAt !== undefined && event.t > terminatedAt ? 'executed after termination' : event.type.split('.')[0],
  }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'the incident, event by event',
    width: 460,
    height: 200,
    layer: [
      {
        data: { values },
        mark: { type: 'point', filled: true, size: 90 },
        encoding: {
          x: { field: 'minute', type: 'quantitative', title: `minutes after ${origin}` },
          y: { field: 'actor', type: 'nominal', title: null, axis: { labelLimit: 200 } },
          color: { field: 'kind', type: 'nominal', title: 'event' },
          shape: { field: 'kind', type: 'nominal' },
          tooltip: [{ field: 'seq' }, { field: 'clock' }, { field: 'type' }],
        },
      },
      ...(terminatedAt === undefined
        ? []
        : [
            {
              data: { values: [{ minute: terminatedAt / 60e6 }] },
              mark: { type: 'rule', color: '#e76f51', strokeDash: [4, 3] },
              encoding: { x: { field: 'minute', type: 'quantitative' } },
            },
          ]),
    ],
  };
}

export async function build(work: string): Promise<Notebook> {
  const nb = new Notebook('regulator-incident-replay', 'Regulator: replaying an incident');
  const out = join(work, 'incident');
  nb.md(`
A regulator receives an operator's mission log after an incident: on 2 November an agent, \`report-bot\`,
exported customer accounts in bulk although the person who approved its mission says she had terminated it
first. The log is \`${INCIDENT}\` (JSON Lines following \`docs/event-schema.json\`). The regulator needs to
know, **from the log alone**: is it intact, who approved what, what the agent was allowed to do and by whom,
when the mission ended, and whether anything ran after that.

First the log is brought into a run folder: every line is checked against the event schema, then chained and
signed as received, so it can be verified, replayed and analysed like a simulated run.
`);
  // The ingest time is part of what the seal signs: fixed (as reproducible builds do) so the page is the same each build.
  process.env.SOURCE_DATE_EPOCH ??= String(Date.UTC(2026, 10, 3) / 1000);
  nb.command(`npx missionbench ingest ${INCIDENT} --out ${shown(out)}`);
  nb.output(missionbench(['ingest', INCIDENT, '--out', out]).replaceAll(out, shown(out)).replaceAll(homedir(), '~'));

  const replay = await replayData(join(out, 'events.jsonl'));
  const verify = replay.verify;
  nb.md(`
## 1. Is the log intact?

The hash chain links every line to the previous one, and each mission's session block signs the hashes of
its events (Ed25519). One streaming pass checks both (\`missionbench verify ${shown(out)}\`):
`);
  nb.finding(
    'verification',
    verify.ok
      ? `Verified: ${verify.events} events, chain intact, ${verify.sessionBlocks} session block${verify.sessionBlocks === 1 ? '' : 's'} verified, sealed, last hash \`${verify.lastHash.slice(0, 16)}…\`. ${replay.check}.`
      : `NOT verified: ${verify.kind} at line ${verify.line} (seq ${verify.seq}): ${verify.reason}. ${replay.check}`,
  );

  // What tampering would look like: the same log with the export's time moved before the termination.
  const tampered = join(work, 'tampered-events.jsonl');
  copyFileSync(join(out, 'events.jsonl'), tampered);
  const lines = readFileSync(tampered, 'utf8').split('\n');
  const exportLine = lines.findIndex((line) => line.includes('"type":"op.executed"') && line.includes('"irreversible":true'));
  if (exportLine >= 0) {
    lines[exportLine] = (lines[exportLine] as string).replace(/"t":(\d+)/, (_, t: string) => `"t":${Number(t) - 600_000_000}`);
    writeFileSync(tampered, lines.join('\n'));
    const check = verifyLog(tampered);
    nb.md(`
Had the operator moved the export ten minutes earlier, before the termination, in the copy it sends
(line ${exportLine + 1} edited), verification would say so:
`);
    nb.finding(
      'tamper-check',
      check.ok ? 'The edit was NOT detected.' : `Tampered copy: **${check.kind}** at line ${check.line} (seq ${check.seq}): ${check.reason}.`,
    );
  }

  const origin = String(replay.events[0]?.clock_origin ?? '00:00');
  nb.md(`
## 2. Who approved what, and what was decided

Mission Control's view, rebuilt from the log: one line per token decision.
`);
  nb.output(replay.timeline.map((row) => row.line).join('\n'), 'mission-control');
  nb.md('Who was given authority for what: every grant, and the Person Server that authorized it.');
  nb.table(
    replay.delegation.map((edge) => ({ ...edge, at: clock(replay.events.find((event) => event.seq === edge.seq)?.t ?? 0, origin) })),
    ['at', 'from', 'to', 'scope', 'by', 'seq'],
  );

  nb.md(`
## 3. The regulator's questions

\`missionbench replay ${shown(out)} --explain\` answers them per mission: approval, every delegation hop, every
decision with its reason, the termination and the last operation after it.
`);
  nb.output(replay.explain.join('\n'), 'explain');

  const terminated = replay.events.find((event) => event.type === 'mission.terminated');
  const after = replay.events.filter((event) => event.type === 'op.executed' && terminated !== undefined && event.t > terminated.t);
  const last = after[after.length - 1];
  await nb.chart(
    timelineSpec(replay.events, origin, terminated?.t),
    "Every event of the log by actor; the dashed rule is the mission's termination. Anything executed right of it ran after the person ended the mission.",
  );

  // The analysis checks the log again (it may have changed since), and says what it checked.
  const { analysis, checkLines } = await prepareAnalysis(out, {});
  nb.output(checkLines.join('\n'), 'analysis-check');
  let window: Record<string, unknown> | undefined;
  try {
    window = (await analysis.query('revocation_window'))[0];
  } finally {
    analysis.close();
  }
  nb.md(`
## 4. Did anything run after termination?

The runtime stop is measured by the same SQL definition as in every sweep (\`revocation_window\`, from
\`analysis/sql\`): the time from termination to the last operation executed after it, and how many of those
operations were irreversible.
`);
  nb.finding(
    'runtime-stop',
    terminated === undefined
      ? 'The mission was never terminated in this log.'
      : `The mission was terminated at ${clock(terminated.t, origin)} (reason: ${String(terminated.reason ?? '–')}). ` +
          (last === undefined
            ? 'Nothing executed after that.'
            : `${after.length} operation${after.length === 1 ? '' : 's'} still executed after termination; the last, \`${String(last.op)}\` at \`${last.actor}\`${last.irreversible ? ' (irreversible)' : ''}, at ${clock(last.t, origin)}: **${num((last.t - terminated.t) / 1e6)} s after termination**. ` +
              `The analysis agrees: revocation window ${num(window?.max_s)} s, ${num(window?.irreversible_after)} irreversible operation(s) after termination, revocation notice reached ${num(window?.notified)} resource(s) ${num(window?.control_plane_max_s)} s after termination.`),
  );
  nb.md(`
So the revocation did arrive in time, yet the export, already queued when the mission ended, ran anyway:
the gap the atlas calls *revoking a mission does not stop work already in flight* (see the researcher notebook),
closed in the simulator by recalling queued work (\`recall: before-start\`).
`);
  return nb;
}

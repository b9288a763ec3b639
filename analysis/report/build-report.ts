import type { Analysis, Row } from '../database.ts';
import type { AnalysisInput } from '../run-folders.ts';
import {
  containmentNote,
  containmentSpec,
  driftSummaryNote,
  driftSummarySpec,
  driftTimelineSpec,
  LIFECYCLE_COLUMNS,
  lifecycleCosts,
  lifecycleNote,
  lifecycleSpec,
  loadNote,
  loadSpec,
  stopCdfNote,
  stopCdfSpec,
  stopHeatmapNote,
  stopHeatmapSpec,
  tradeoffNote,
  tradeoffSpec,
} from '../../web/charts/specs.ts';
import { sizingAnswer, sizingRows } from '../../web/sizing-answer.ts';
import type { AtlasRow } from '../atlas-row.ts';
import { type AtlasAnswer, atlasSectionHtml, gapAnswerHtml } from './atlas-section.ts';
import { escapeHtml, htmlTable, htmlTable as fullTable, REPORT_CSS } from './html.ts';
import { renderSvg } from './svg.ts';

export interface ReportOptions {
  /** Bounds for the sizing section (the architect's question). */
  bounds: { max_p99_stop_s: number; max_ps_rps: number };
}

/** One analysed sweep of the report: the whole report for a run or sweep, one gap of an atlas. */
export interface ReportPart {
  analysis: Analysis;
  input: AnalysisInput;
  /** For an atlas gap: its heading and what the atlas found (the whole answer, when the atlas has one). */
  gap?: { id: string; title: string; finding: string; answer?: AtlasRow | undefined };
  /** What was checked of its logs before it answered (check-logs.ts checkLines): shown above its sections. */
  check?: string[] | undefined;
}

/** The check of a part's logs: banners of broken logs stand out, the rest is a note. */
function checkNote(part: ReportPart): string {
  return (part.check ?? []).map((line) => `<p class="${line.includes('UNVERIFIED') ? 'unverified' : 'meta'}">${escapeHtml(line)}</p>`).join('');
}

/** Charts side by side; a chart whose data would mislead (absent, all zero, all equal) is its note in words instead. */
const charts = async (...items: Array<[spec: Record<string, unknown>, note: string | null]>) =>
  `<div class="charts">${(await Promise.all(items.map(([spec, note]) => (note === null ? renderSvg(spec) : Promise.resolve(`<p class="note">${escapeHtml(note)}</p>`))))).join('')}</div>`;

/**
 * The sections one analysis has data for, headed at `level`: revocation
 * window, containment, drift, lifecycle, sizing and load. A section whose
 * metrics the runs do not carry is left out (or, for the revocation window,
 * explained), never drawn empty.
 */
async function analysisSections(analysis: Analysis, options: ReportOptions, level: 2 | 3): Promise<string[]> {
  const h = (text: string) => `<h${level}>${escapeHtml(text)}</h${level}>`;
  // In the atlas report (sections at level 3, one set per gap) tables start collapsed, so the page reads as findings and charts.
  const htmlTable = (rows: readonly Row[], columns: readonly string[], name: string) => fullTable(rows, columns, name, { collapsed: level === 3 });
  const [designs, cdf, revocation, load, architect, containment, drift, timeline, lifecycle] = await Promise.all([
    analysis.query('designs'),
    analysis.query('revocation_cdf'),
    analysis.query('revocation_window'),
    analysis.query('load'),
    analysis.query('architect', options.bounds),
    analysis.query('containment'),
    analysis.query('drift'),
    analysis.query('drift_timeline'),
    analysis.query('lifecycle'),
  ]);
  const sections: string[] = [];
  if (cdf.length === 0) {
    sections.push(`${h('Revocation window')}<p class="empty">No mission was terminated in these runs, so there is no runtime stop to measure.</p>`);
  } else {
    const withStops = designs.filter((row) => row.p99_stop_s !== null);
    sections.push(
      `${h('Revocation window')}<p class="help">Runtime stop: time from a mission's termination to the last of its operations that still executed, over every terminated mission of every seed.</p>` +
        (await charts([stopHeatmapSpec(withStops), stopHeatmapNote(withStops)], [stopCdfSpec(cdf), stopCdfNote(cdf)])) +
        htmlTable(
          revocation,
          ['design', 'missions', 'p50_s', 'p95_s', 'p99_s', 'max_s', 'ops_after', 'irreversible_after', 'notified', 'control_plane_p50_s'],
          'revocation-window',
        ),
    );
  }
  if (containment.length > 0) {
    sections.push(
      `${h('Containment')}<p class="help">Executed operations outside the person's intent (the oracle, truth.jsonl), by delegation depth; in red those the audit log alone cannot show.</p>` +
        (await charts([containmentSpec(containment), containmentNote(containment)])) +
        htmlTable(containment, ['design', 'depth', 'ops_executed', 'outside_intent', 'outside_provable', 'outside_oracle_only'], 'containment'),
    );
  }
  if (drift.some((row) => (row.drifting_agents as number) > 0 || (row.false_alarms as number) > 0)) {
    sections.push(
      `${h('Drift and runtime alignment')}<p class="help">Operations the person did not intend (the oracle) that executed, over time, and the runtime monitor's alarms (red marks); how many got through before the first alarm.</p>` +
        (await charts([driftSummarySpec(drift), driftSummaryNote(drift)], [driftTimelineSpec(timeline), null])) +
        htmlTable(
          drift,
          [
            'design',
            'runs',
            'drifting_agents',
            'detection_delay_mean_s',
            'detection_delay_max_s',
            'unintended_before_detection',
            'irreversible_before_detection',
            'undetected_drifts',
            'false_alarms',
          ],
          'drift',
        ),
    );
  }
  if (lifecycle.length > 0) {
    sections.push(
      `${h('Lifecycle costs')}<p class="help">What the mission lifecycle costs: work that ran while a person wanted it paused, work lost, re-approvals, how long work took to resume after a pause or a crash, and how often the person was asked.</p>` +
        (await charts([lifecycleSpec(lifecycle), lifecycleNote(lifecycle)])) +
        (lifecycleNote(lifecycle) === null && lifecycleCosts(lifecycle).flat.length > 0
          ? `<p class="help">Not drawn, the same for every design: ${escapeHtml(lifecycleCosts(lifecycle).flat.join('; '))}.</p>`
          : '') +
        htmlTable(lifecycle, LIFECYCLE_COLUMNS, 'lifecycle'),
    );
  }
  const sized = architect.filter((row) => row.p99_stop_s !== null);
  if (sized.length > 0) {
    const answer = sizingAnswer(architect, options.bounds);
    sections.push(
      `${h('Sizing: runtime stop against Person Server load')}<p class="help">Bounds: p99 runtime stop at most ${options.bounds.max_p99_stop_s} s, PS requests (tokens + status checks) at most ${options.bounds.max_ps_rps} per second. Pareto: no other design is better on both.</p>` +
        `<p class="answer">${answer.cheapest ? '✓' : '✗'} ${escapeHtml(answer.sentence)}<br><small>${escapeHtml(answer.uncertainty)}</small></p>` +
        (await charts([tradeoffSpec(sized, options.bounds), tradeoffNote(sized)], [loadSpec(designs), loadNote(designs)])) +
        htmlTable(sizingRows(answer), ['rank', 'design', 'ps_load_rps', 'ps_load_ci95', 'p99_stop_s', 'missions', 'runs', 'verdict', 'pareto'], 'sizing'),
    );
  }
  sections.push(
    `${h('Load')}` +
      htmlTable(
        load,
        [
          'design',
          'runs',
          'ps_token_rps',
          'ps_peak_rps',
          'ps_load_rps',
          'as_token_rps',
          'revocation_calls',
          'status_checks',
          'approvals',
          'person_interactions',
        ],
        'load',
      ),
  );
  return sections;
}

function describeInput(input: AnalysisInput): string {
  return `${escapeHtml(input.kind)}, ${input.runs.length} runs${input.missing.length > 0 ? ` (${input.missing.length} planned runs not finished)` : ''}${input.axes.length > 0 ? `; grid: ${escapeHtml(input.axes.join(' x '))}` : ''}`;
}

/**
 * One self-contained HTML page, with SVG charts rendered here from the same
 * specs and named queries the dashboard uses: for a run or sweep, its
 * sections; for an atlas, the atlas table, then every measured gap's
 * finding and sections. Nothing to fetch, nothing to run: it can be mailed.
 */
export async function buildReport(
  title: string,
  parts: readonly ReportPart[],
  options: ReportOptions & { atlas?: Array<Record<string, unknown>> | undefined; atlasAnswer?: AtlasAnswer | undefined },
): Promise<string> {
  const body: string[] = [];
  const version = parts[0]?.input.runs[0]?.version ?? '';
  if (options.atlas && options.atlas.length > 0) {
    body.push(`<p class="meta">gap atlas, ${parts.length} measured gaps; missionbench ${escapeHtml(version)}</p>`);
    body.push(
      options.atlasAnswer
        ? atlasSectionHtml(options.atlasAnswer)
        : `<h2>Gap atlas</h2>${htmlTable(options.atlas as Row[], Object.keys(options.atlas[0] as Row))}`,
    );
    for (const part of parts) {
      const gap = part.gap as NonNullable<ReportPart['gap']>;
      body.push(
        `<h2 id="gap-${escapeHtml(gap.id)}">${escapeHtml(gap.title)} <small>(${escapeHtml(gap.id)})</small></h2>` +
          `${gap.answer ? await gapAnswerHtml(gap.answer) : `<p class="finding">${escapeHtml(gap.finding)}</p>`}<p class="meta">${describeInput(part.input)}</p>${checkNote(part)}`,
        ...(await analysisSections(part.analysis, options, 3)),
      );
    }
  } else {
    const part = parts[0] as ReportPart;
    body.push(
      `<p class="meta">${describeInput(part.input)}; missionbench ${escapeHtml(version)}</p>${checkNote(part)}`,
      ...(await analysisSections(part.analysis, options, 2)),
    );
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${REPORT_CSS}</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
${body.join('\n')}
</body></html>
`;
}

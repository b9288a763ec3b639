import embed, { type Result } from 'vega-embed';
import { type AtlasAnswerData, showAtlasAnswer } from './views/atlas-view.ts';
import { containmentSpec, driftSummarySpec, driftTimelineSpec, LIFECYCLE_COLUMNS, lifecycleSpec, loadSpec, stopCdfSpec, stopHeatmapSpec, tradeoffSpec } from './charts/specs.ts';

type Row = Record<string, unknown>;

interface Info {
  dir: string;
  kind: string;
  runs: number;
  missing: number;
  axes: string[];
  truth: boolean;
  atlas: { gaps?: Array<Record<string, unknown>> } | null;
  analysed: string;
  /** The atlas gap whose sweep the views show (null outside an atlas). */
  gap: string | null;
}

/** The atlas gap the views show: every request names it (the server's default is the first measured gap). */
let currentGap: string | null = null;

const $ = <T extends Element = HTMLElement>(selector: string): T => {
  const found = document.querySelector<T>(selector);
  if (!found) throw new Error(`missing element ${selector}`);
  return found;
};

/** GETs one endpoint of the missionbench server; a failure carries the server's message. */
async function api<T>(path: string): Promise<T> {
  const url = new URL(path, window.location.href);
  if (currentGap !== null) url.searchParams.set('gap', currentGap);
  const response = await fetch(url);
  const body = (await response.json()) as T & { error?: string };
  if (!response.ok) throw new Error(body.error ?? `${response.status} ${response.statusText}`);
  return body;
}

function query(name: string, params: Record<string, string | number> = {}): Promise<Row[]> {
  const search = new URLSearchParams(Object.entries(params).map(([key, value]) => [key, String(value)]));
  return api<Row[]>(`/api/query/${name}${search.size > 0 ? `?${search}` : ''}`);
}

function message(target: HTMLElement, kind: 'empty' | 'error' | 'loading', text: string): void {
  target.innerHTML = '';
  const box = document.createElement('div');
  box.className = kind;
  box.dataset.testid = kind;
  box.textContent = text;
  target.append(box);
}

function table(target: HTMLElement, rows: readonly Row[], columns: readonly string[]): void {
  const element = document.createElement('table');
  const head = element.createTHead().insertRow();
  for (const column of columns) head.insertCell().outerHTML = `<th>${column}</th>`;
  const body = element.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    for (const column of columns) {
      const cell = tr.insertCell();
      const value = row[column];
      if (typeof value === 'number') {
        cell.className = 'num';
        cell.textContent = Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
      } else cell.textContent = value === null || value === undefined ? '–' : typeof value === 'object' ? JSON.stringify(value) : String(value);
    }
  }
  target.innerHTML = '';
  target.append(element);
}

async function chart(target: HTMLElement, spec: Record<string, unknown>): Promise<Result> {
  target.innerHTML = '';
  return embed(target, spec as never, { actions: false, renderer: 'svg' });
}

/**
 * A selection in one chart filters another: the designs picked in `from`
 * (its `pick` param) become the `selected` designs of `to`; the count is
 * kept on <body data-...> for the page's tests.
 */
function linkDesignSelection(from: Result, to: Result, marker: string): void {
  from.view.addSignalListener('pick', (_name, value: { design?: string[] } | undefined) => {
    const picked = Array.isArray(value?.design) ? value.design : [];
    void to.view.signal('selected', picked).runAsync();
    document.body.dataset[marker] = String(picked.length);
  });
}

// --- Revocation window explorer: the heatmap's selection filters the curves ---

async function showRevocation(): Promise<void> {
  const heatmap = $('#chart-heatmap');
  const cdfTarget = $('#chart-cdf');
  message(heatmap, 'loading', 'loading runtime-stop figures…');
  const [designs, cdf, summary] = await Promise.all([query('designs'), query('revocation_cdf'), query('revocation_window')]);
  if (cdf.length === 0) {
    message(heatmap, 'empty', 'No mission was terminated in these runs, so there is no runtime stop to measure. Sweep a scenario with interventions (e.g. scenarios/token-lifetime-sizing.yaml) to fill this view.');
    cdfTarget.innerHTML = '';
    return;
  }
  const withStops = designs.filter((row) => row.p99_stop_s !== null);
  const heat = await chart(heatmap, stopHeatmapSpec(withStops));
  const curves = await chart(cdfTarget, stopCdfSpec(cdf));
  linkDesignSelection(heat, curves, 'selectedDesigns');
  table($('#table-revocation'), summary, ['design', 'missions', 'p50_s', 'p95_s', 'p99_s', 'max_s', 'ops_after', 'irreversible_after', 'notified', 'control_plane_p50_s']);
}

// --- Load and sizing: the trade-off chart for the bounds in the form ---

async function sizeDesigns(): Promise<void> {
  const form = $<HTMLFormElement>('#bounds');
  {
    const data = new FormData(form);
    const bounds = { max_p99_stop_s: Number(data.get('max_p99_stop_s')), max_ps_rps: Number(data.get('max_ps_rps')) };
    const tradeoff = $('#chart-tradeoff');
    try {
      const [rows, designs] = await Promise.all([query('architect', bounds), query('designs')]);
      const sized = rows.filter((row) => row.p99_stop_s !== null);
      if (sized.length === 0) message(tradeoff, 'empty', 'No design has a terminated mission, so runtime stop cannot be weighed against load.');
      else await chart(tradeoff, tradeoffSpec(sized, bounds));
      await chart($('#chart-load'), loadSpec(designs));
      table($('#table-sizing'), rows, ['design', 'runs', 'missions', 'p99_stop_s', 'ps_load_rps', 'meets', 'pareto']);
    } catch (error) {
      message(tradeoff, 'error', (error as Error).message);
    }
  }
}

function listenSizing(): void {
  $<HTMLFormElement>('#bounds').addEventListener('submit', (event) => {
    event.preventDefault();
    void sizeDesigns();
  });
}

// --- Containment, drift and lifecycle: the authority, alignment and lifecycle metrics ---

async function showContainment(): Promise<void> {
  const body = $('#containment .body');
  const rows = await query('containment');
  if (rows.length === 0) {
    message(body, 'empty', 'No executed operation carries ground truth in these runs (truth.jsonl records of kind op), so containment cannot be measured. Sweep an authority scenario (e.g. scenarios/vendor-onboarding-chain.yaml over topology.person_servers[0].authority=text,envelope) to see operations outside the intent by hop depth.');
    return;
  }
  body.innerHTML = '<div class="chart" id="chart-containment" data-testid="chart-containment"></div><div class="table"></div>';
  await chart($('#chart-containment'), containmentSpec(rows));
  table(body.querySelector('.table') as HTMLElement, rows, ['design', 'depth', 'ops_executed', 'outside_intent', 'outside_provable', 'outside_oracle_only']);
}

async function showDrift(): Promise<void> {
  const body = $('#drift .body');
  const [summary, timeline] = await Promise.all([query('drift'), query('drift_timeline')]);
  if (!summary.some((row) => (row.drifting_agents as number) > 0 || (row.false_alarms as number) > 0)) {
    message(body, 'empty', 'No agent in these runs executed an operation its person did not intend, and no monitor raised an alarm, so there is no drift to draw. Sweep a drift scenario (e.g. scenarios/due-diligence-drift.yaml over monitor.enabled=false,true) to see drift timelines with the monitor\'s alarms.');
    return;
  }
  body.innerHTML = '<div class="charts"><div class="chart" id="chart-drift-summary" data-testid="chart-drift-summary"></div><div class="chart" id="chart-drift" data-testid="chart-drift"></div></div><div class="table"></div>';
  const bars = await chart($('#chart-drift-summary'), driftSummarySpec(summary));
  const lines = await chart($('#chart-drift'), driftTimelineSpec(timeline));
  linkDesignSelection(bars, lines, 'driftSelected');
  table(body.querySelector('.table') as HTMLElement, summary, ['design', 'runs', 'drifting_agents', 'detection_delay_mean_s', 'detection_delay_max_s', 'unintended_before_detection', 'irreversible_before_detection', 'undetected_drifts', 'false_alarms']);
}

async function showLifecycle(): Promise<void> {
  const body = $('#lifecycle .body');
  const rows = await query('lifecycle');
  if (rows.length === 0) {
    message(body, 'empty', 'No lifecycle event beyond termination in these runs (no pause, cancellation, completion, time-out, re-proposal or runtime crash), so there is no lifecycle cost to compare. Sweep scenarios/compliance-pause.yaml over profile=aauth-r01,aauth-m0,mission-authority to compare terminate-and-re-propose, m0 suspend and the Mission Authority lifecycle, or scenarios/failover-resume.yaml over agents[reconciler].authority_binding=class,runtime for failover.');
    return;
  }
  body.innerHTML = '<div class="chart" id="chart-lifecycle" data-testid="chart-lifecycle"></div><div class="table"></div>';
  await chart($('#chart-lifecycle'), lifecycleSpec(rows));
  table(body.querySelector('.table') as HTMLElement, rows, LIFECYCLE_COLUMNS);
}

function showAtlas(info: Info, onPick: (gap: string) => void): void {
  const body = $('#atlas .body');
  const gaps = info.atlas?.gaps;
  if (!gaps || gaps.length === 0) {
    message(body, 'empty', `${info.dir} is not an atlas folder. The gap atlas (missionbench atlas) runs every seed scenario across profiles and authority models; the other views work on any run or sweep.`);
    return;
  }
  const rows: Array<Record<string, unknown>> = gaps.map((gap) => ({ ...gap, finding: gap.finding ?? `waits for ${String(gap.waits_for)}` }));
  table(body, rows, ['gap', 'title', 'seed', 'status', 'finding']);
  // A measured gap's row, or the picker in the header, shows that gap's sweep in every other view.
  const picker = $<HTMLSelectElement>('#gap-pick');
  picker.length = 0;
  for (const gap of gaps.filter((row) => row.status === 'measured')) picker.add(new Option(`${String(gap.gap)}: ${String(gap.title)}`, String(gap.gap)));
  picker.value = info.gap ?? '';
  $('#gap-picker').hidden = false;
  picker.addEventListener('change', () => onPick(picker.value));
  body.querySelectorAll('tbody tr').forEach((tr, i) => {
    if (rows[i]?.status !== 'measured') return;
    tr.classList.add('pickable');
    tr.addEventListener('click', () => {
      picker.value = String(rows[i]?.gap);
      onPick(picker.value);
    });
  });
  const note = document.createElement('p');
  note.className = 'help';
  note.textContent = 'Click a measured gap (or pick it above) to show its answer here and its sweep in the other views.';
  body.append(note);
  // The answer is its own section right after the atlas table, so the table's rows stay the only rows in #atlas.
  const answer = document.querySelector<HTMLElement>('#atlas-answer') ?? Object.assign(document.createElement('section'), { id: 'atlas-answer' });
  answer.dataset.view = 'atlas-answer';
  $('#atlas').after(answer);
  showAtlasAnswer(answer, info.atlas as AtlasAnswerData, info.gap);
}

// --- Audit replay: from one run's log alone ---

interface Replay {
  verify: { ok: true; events: number; sessionBlocks: number; lastHash: string } | { ok: false; kind: string; line: number; seq: number | null; reason: string };
  missions: Array<{ mission: string; agent: string }>;
  timeline: Array<{ seq: number; line: string }>;
  explain: string[];
  delegation: Array<{ from: string; to: string; scope: string; by: string; seq: number }>;
  events: Array<Row & { seq: number }>;
  total: number;
  truncated: boolean;
}

/** The replay's controls are wired once; showReplay fills them for the current analysis. */
const replay = { load: async (_keepMission: boolean): Promise<void> => {} };

function listenReplay(): void {
  const form = $<HTMLFormElement>('#replay-pick');
  const runSelect = form.elements.namedItem('run') as HTMLSelectElement;
  const missionSelect = form.elements.namedItem('mission') as HTMLSelectElement;
  let events: Replay['events'] = [];
  let position = 0;
  const step = (to: number) => {
    if (events.length === 0) {
      $('#step-position').textContent = 'no events';
      $('#step-event').textContent = '';
      return;
    }
    position = Math.max(0, Math.min(events.length - 1, to));
    const event = events[position] as Row & { seq: number };
    $('#step-position').textContent = `event ${position + 1} of ${events.length} (seq ${event.seq})`;
    $('#step-event').textContent = JSON.stringify(event, null, 2);
    for (const item of document.querySelectorAll('#timeline li')) item.classList.toggle('current', (item as HTMLElement).dataset.seq === String(event.seq));
  };
  replay.load = async (keepMission: boolean) => {
    const status = $('#verify-status');
    status.textContent = 'verifying the chain and signatures…';
    const mission = keepMission ? missionSelect.value : '';
    const search = new URLSearchParams({ run: runSelect.value, mission });
    try {
      const replay = await api<Replay>(`/api/replay?${search}`);
      if (!keepMission) {
        missionSelect.length = 1;
        for (const m of replay.missions) missionSelect.add(new Option(`${m.agent} ${m.mission.slice(0, 12)}…`, m.mission));
      }
      status.innerHTML = replay.verify.ok
        ? `<span class="ok">chain intact</span>: ${replay.verify.events} events, ${replay.verify.sessionBlocks} signed session blocks verified, last hash ${replay.verify.lastHash.slice(0, 16)}…`
        : `<span class="bad">${replay.verify.kind}</span> at line ${replay.verify.line}: ${replay.verify.reason}`;
      const timeline = $('#timeline');
      timeline.innerHTML = '';
      for (const entry of replay.timeline) {
        const item = document.createElement('li');
        item.dataset.seq = String(entry.seq);
        item.textContent = entry.line;
        item.addEventListener('click', () => step(events.findIndex((event) => event.seq === entry.seq)));
        timeline.append(item);
      }
      if (replay.timeline.length === 0) timeline.innerHTML = '<li>no token decisions in this log</li>';
      const delegation = $('#delegation');
      delegation.innerHTML = '';
      for (const edge of replay.delegation) {
        const item = document.createElement('li');
        item.textContent = `${edge.from} → ${edge.to} (${edge.scope}) authorized by ${edge.by}`;
        delegation.append(item);
      }
      if (replay.delegation.length === 0) delegation.innerHTML = '<li>no grants in this log</li>';
      $('#explain').textContent = replay.explain.join('\n');
      events = replay.events;
      step(0);
      if (replay.truncated) $('#step-position').textContent += ` — the first ${events.length} of ${replay.total}`;
    } catch (error) {
      status.innerHTML = '';
      message(status, 'error', (error as Error).message);
    }
  };
  runSelect.addEventListener('change', () => void replay.load(false));
  missionSelect.addEventListener('change', () => void replay.load(true));
  $('#step-first').addEventListener('click', () => step(0));
  $('#step-prev').addEventListener('click', () => step(position - 1));
  $('#step-next').addEventListener('click', () => step(position + 1));
  $('#step-last').addEventListener('click', () => step(events.length - 1));
}

async function showReplay(): Promise<void> {
  const runSelect = $<HTMLFormElement>('#replay-pick').elements.namedItem('run') as HTMLSelectElement;
  const runs = await api<Array<{ run_id: string; design: string; seed: number | null }>>('/api/runs');
  runSelect.length = 0;
  for (const run of runs) runSelect.add(new Option(`${run.run_id}${run.seed === null ? '' : ` (seed ${run.seed})`}`, run.run_id));
  await replay.load(false);
}

/** Every view but the atlas, for the current analysis; a view that fails says why in its place. */
async function showViews(): Promise<void> {
  document.body.dataset.ready = 'false';
  const views: Array<[string, () => Promise<void>]> = [
    ['#chart-heatmap', showRevocation],
    ['#chart-tradeoff', sizeDesigns],
    ['#containment .body', showContainment],
    ['#drift .body', showDrift],
    ['#lifecycle .body', showLifecycle],
    ['#verify-status', showReplay],
  ];
  await Promise.all(views.map(async ([target, show]) => {
    try {
      await show();
    } catch (error) {
      message($(target), 'error', (error as Error).message);
    }
  }));
  document.body.dataset.ready = 'true';
}

function describe(info: Info): string {
  return `${info.dir} — ${info.kind}, ${info.runs} runs${info.missing > 0 ? ` (${info.missing} not finished)` : ''}${info.axes.length > 0 ? `, grid: ${info.axes.join(' x ')}` : ''}${info.gap ? ` (gap ${info.gap})` : ''}`;
}

async function main(): Promise<void> {
  let info: Info;
  try {
    info = await api<Info>('/api/info');
  } catch (error) {
    message($('main'), 'error', `Cannot reach the missionbench server: ${(error as Error).message}`);
    return;
  }
  currentGap = info.gap;
  $('#subject').textContent = describe(info);
  showAtlas(info, (gap) => {
    currentGap = gap;
    const answer = document.querySelector<HTMLElement>('#atlas-answer');
    if (answer) showAtlasAnswer(answer, info.atlas as AtlasAnswerData, gap);
    $('#subject').textContent = `loading gap ${gap}…`;
    void api<Info>('/api/info').then(
      (next) => {
        $('#subject').textContent = describe(next);
        return showViews();
      },
      (error: Error) => message($('#subject'), 'error', error.message),
    );
  });
  listenSizing();
  listenReplay();
  await showViews();
}

void main();

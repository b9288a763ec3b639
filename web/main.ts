import type { Result } from 'vega-embed';
import { drawChart, note } from './chart-frame.ts';
import {
  containmentNote, containmentSpec, driftSummaryNote, driftSummarySpec, driftTimelineSpec, LIFECYCLE_COLUMNS, lifecycleCosts, lifecycleNote, lifecycleSpec, loadNote, loadSpec,
  shortLabel, stopCdfNote, stopCdfSpec, stopHeatmapNote, stopHeatmapSpec, tradeoffNote, tradeoffSpec,
} from './charts/specs.ts';
import { formatWallClock } from './format.ts';
import { sizingAnswer, sizingRows } from './sizing-answer.ts';
import { button, dataTable } from './table.ts';
import { readList, readState, writeList, writeState } from './url-state.ts';

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
  // An absolute path: the page's own query (its state) is not sent along.
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

/** What a view found: shown, or empty with the line saying what would fill it. */
type ViewOutcome = { empty: false } | { empty: true; why: string };
const SHOWN: ViewOutcome = { empty: false };
const empty = (why: string): ViewOutcome => ({ empty: true, why });

/** A chart and a table slot in a view's body, made afresh each time (nothing stale survives a switch). */
function slots(body: HTMLElement, ...names: string[]): HTMLElement[] {
  body.innerHTML = '';
  const charts = document.createElement('div');
  charts.className = 'charts';
  const made = names.map((name) => {
    const element = document.createElement('div');
    element.className = name.startsWith('table') ? 'table' : 'chart';
    element.id = name;
    element.dataset.testid = name;
    (name.startsWith('table') ? body : charts).append(element);
    return element;
  });
  body.prepend(charts);
  return made;
}

/**
 * A selection in one chart filters another: the designs picked in `from`
 * (its `pick` param) become the `selected` designs of `to`, and are kept in
 * the URL under `designs`; the count is kept on <body data-...> for tests.
 */
function linkDesignSelection(from: Result | null, to: Result | null, marker: string): void {
  if (!from || !to) return;
  const saved = readList('designs');
  if (saved.length > 0) {
    void to.view.signal('selected', saved).runAsync();
    document.body.dataset[marker] = String(saved.length);
  }
  from.view.addSignalListener('pick', (_name, value: { design?: string[] } | undefined) => {
    const picked = Array.isArray(value?.design) ? value.design : [];
    void to.view.signal('selected', picked).runAsync();
    writeList('designs', picked);
    document.body.dataset[marker] = String(picked.length);
  });
}

// --- Revocation window explorer: the heatmap's selection filters the curves ---

async function showRevocation(body: HTMLElement): Promise<ViewOutcome> {
  const [designs, cdf, summary] = await Promise.all([query('designs'), query('revocation_cdf'), query('revocation_window')]);
  if (cdf.length === 0) {
    return empty('No mission was terminated in these runs, so there is no runtime stop to measure. A sweep of a scenario with interventions (e.g. scenarios/token-lifetime-sizing.yaml) fills this view.');
  }
  const withStops = designs.filter((row) => row.p99_stop_s !== null);
  const [heatmap, curves, table] = slots(body, 'chart-heatmap', 'chart-cdf', 'table-revocation') as [HTMLElement, HTMLElement, HTMLElement];
  const heat = await drawChart(heatmap, stopHeatmapSpec(withStops), 'runtime-stop-heatmap', stopHeatmapNote(withStops));
  const lines = await drawChart(curves, stopCdfSpec(cdf), 'runtime-stop-curves', stopCdfNote(cdf));
  linkDesignSelection(heat, lines, 'selectedDesigns');
  dataTable(table, summary, ['design', 'missions', 'p50_s', 'p95_s', 'p99_s', 'max_s', 'ops_after', 'irreversible_after', 'notified', 'control_plane_p50_s'], { name: 'revocation-window' });
  return SHOWN;
}

// --- Load and sizing: the architect's answer for the bounds in the form ---

/** The bounds typed in the form, or the field left empty or invalid (an empty field is not 0). */
function readBounds(form: HTMLFormElement): { bounds: { max_p99_stop_s: number; max_ps_rps: number } } | { problem: string } {
  const stop = (form.elements.namedItem('max_p99_stop_s') as HTMLInputElement).value.trim();
  const rps = (form.elements.namedItem('max_ps_rps') as HTMLInputElement).value.trim();
  if (stop === '' || !(Number(stop) >= 0)) return { problem: 'Enter the p99 runtime stop bound in seconds (a number, 0 or more): an empty field is not sized as 0.' };
  if (rps === '' || !(Number(rps) >= 0)) return { problem: 'Enter the Person Server budget in requests per second (a number, 0 or more): an empty field is not sized as 0.' };
  return { bounds: { max_p99_stop_s: Number(stop), max_ps_rps: Number(rps) } };
}

async function showSizing(body: HTMLElement): Promise<ViewOutcome> {
  const form = $<HTMLFormElement>('#bounds');
  const answer = $('#sizing-answer');
  const read = readBounds(form);
  if ('problem' in read) {
    answer.className = 'answer problem';
    answer.textContent = read.problem;
    body.innerHTML = '';
    return SHOWN;
  }
  const { bounds } = read;
  writeState({ stop: String(bounds.max_p99_stop_s), rps: String(bounds.max_ps_rps) });
  const [rows, designs] = await Promise.all([query('architect', bounds), query('designs')]);
  const sized = sizingAnswer(rows, bounds);
  answer.className = `answer ${sized.cheapest ? 'meets' : 'misses'}`;
  answer.textContent = `${sized.cheapest ? '✓' : '✗'} ${sized.sentence}`;
  const caveat = document.createElement('small');
  caveat.className = 'uncertainty';
  caveat.textContent = sized.uncertainty;
  answer.append(document.createElement('br'), caveat);
  const [tradeoff, load, table] = slots(body, 'chart-tradeoff', 'chart-load', 'table-sizing') as [HTMLElement, HTMLElement, HTMLElement];
  await drawChart(tradeoff, tradeoffSpec(rows, bounds), 'tradeoff', tradeoffNote(rows));
  await drawChart(load, loadSpec(designs), 'ps-load', loadNote(designs));
  dataTable(table, sizingRows(sized), ['rank', 'design', 'ps_load_rps', 'ps_load_ci95', 'p99_stop_s', 'missions', 'runs', 'verdict', 'pareto'], {
    name: 'sizing',
    classOf: (row) => (String(row.verdict).startsWith('✓') ? 'meets' : 'misses'),
  });
  return SHOWN;
}

function listenSizing(): void {
  const form = $<HTMLFormElement>('#bounds');
  const stop = readState('stop');
  const rps = readState('rps');
  if (stop !== null) (form.elements.namedItem('max_p99_stop_s') as HTMLInputElement).value = stop;
  if (rps !== null) (form.elements.namedItem('max_ps_rps') as HTMLInputElement).value = rps;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const body = $('#sizing .body');
    void showSizing(body).catch((error: Error) => note(body, 'error', error.message));
  });
}

// --- Containment, drift and lifecycle: the authority, alignment and lifecycle metrics ---

async function showContainment(body: HTMLElement): Promise<ViewOutcome> {
  const rows = await query('containment');
  if (rows.length === 0) {
    return empty('No executed operation carries ground truth in these runs (truth.jsonl records of kind op). A sweep of an authority scenario (e.g. scenarios/vendor-onboarding-chain.yaml over topology.person_servers[0].authority=text,envelope) fills this view with operations outside the intent by hop depth.');
  }
  const [chart, table] = slots(body, 'chart-containment', 'table-containment') as [HTMLElement, HTMLElement];
  await drawChart(chart, containmentSpec(rows), 'containment', containmentNote(rows));
  dataTable(table, rows, ['design', 'depth', 'ops_executed', 'outside_intent', 'outside_provable', 'outside_oracle_only'], { name: 'containment' });
  return SHOWN;
}

async function showDrift(body: HTMLElement): Promise<ViewOutcome> {
  const [summary, timeline] = await Promise.all([query('drift'), query('drift_timeline')]);
  if (!summary.some((row) => (row.drifting_agents as number) > 0 || (row.false_alarms as number) > 0)) {
    return empty('No agent in these runs executed an operation its person did not intend, and no monitor raised an alarm. A sweep of a drift scenario (e.g. scenarios/due-diligence-drift.yaml over monitor.enabled=false,true) fills this view with drift timelines and the monitor\'s alarms.');
  }
  const [barsTarget, linesTarget, table] = slots(body, 'chart-drift-summary', 'chart-drift', 'table-drift') as [HTMLElement, HTMLElement, HTMLElement];
  const bars = await drawChart(barsTarget, driftSummarySpec(summary), 'drift-summary', driftSummaryNote(summary));
  const lines = await drawChart(linesTarget, driftTimelineSpec(timeline), 'drift-timelines');
  linkDesignSelection(bars, lines, 'driftSelected');
  dataTable(table, summary, ['design', 'runs', 'drifting_agents', 'detection_delay_mean_s', 'detection_delay_max_s', 'unintended_before_detection', 'irreversible_before_detection', 'undetected_drifts', 'false_alarms'], { name: 'drift' });
  return SHOWN;
}

async function showLifecycle(body: HTMLElement): Promise<ViewOutcome> {
  const rows = await query('lifecycle');
  if (rows.length === 0) {
    return empty('No lifecycle event beyond termination in these runs (no pause, cancellation, completion, time-out, re-proposal or runtime crash). A sweep of scenarios/compliance-pause.yaml over profile=aauth-r01,aauth-m0,mission-authority, or of scenarios/failover-resume.yaml over agents[reconciler].authority_binding=class,runtime, fills this view.');
  }
  const [chart, table] = slots(body, 'chart-lifecycle', 'table-lifecycle') as [HTMLElement, HTMLElement];
  await drawChart(chart, lifecycleSpec(rows), 'lifecycle', lifecycleNote(rows));
  const { flat } = lifecycleCosts(rows);
  if (flat.length > 0 && lifecycleNote(rows) === null) {
    const line = document.createElement('p');
    line.className = 'help';
    line.textContent = `Not drawn, the same for every design: ${flat.join('; ')}.`;
    chart.append(line);
  }
  dataTable(table, rows, LIFECYCLE_COLUMNS, { name: 'lifecycle' });
  return SHOWN;
}

function showAtlas(info: Info, onPick: (gap: string) => void): ViewOutcome {
  const body = $('#atlas .body');
  const gaps = info.atlas?.gaps;
  if (!gaps || gaps.length === 0) {
    return empty(`${info.dir} is a ${info.kind === 'run' ? 'single run' : info.kind}, not an atlas. \`missionbench atlas\` (what \`npm start\` runs) builds the gap atlas: every seed scenario across profiles and authority models.`);
  }
  const rows: Array<Record<string, unknown>> = gaps.map((gap) => ({ ...gap, finding: gap.finding ?? `waits for ${String(gap.waits_for)}` }));
  body.innerHTML = '';
  const table = document.createElement('div');
  body.append(table);
  dataTable(table, rows, ['gap', 'title', 'seed', 'status', 'finding'], {
    name: 'atlas',
    onPick: (row) => {
      if (row.status !== 'measured') return;
      $<HTMLSelectElement>('#gap-pick').value = String(row.gap);
      onPick(String(row.gap));
    },
  });
  // A measured gap's row, or the picker in the header, shows that gap's sweep in every other view.
  const picker = $<HTMLSelectElement>('#gap-pick');
  picker.length = 0;
  for (const gap of gaps.filter((row) => row.status === 'measured')) picker.add(new Option(`${String(gap.gap)}: ${String(gap.title)}`, String(gap.gap)));
  picker.value = info.gap ?? '';
  $('#gap-picker').hidden = false;
  picker.onchange = () => onPick(picker.value);
  const help = document.createElement('p');
  help.className = 'help';
  help.textContent = 'Click a measured gap (or pick it above) to show its sweep in the other views.';
  body.append(help);
  return SHOWN;
}

// --- Audit replay: from one run's log alone ---

interface Replay {
  verify: { ok: true; events: number; sessionBlocks: number; lastHash: string } | { ok: false; kind: string; line: number; seq: number | null; reason: string };
  missions: Array<{ mission: string; agent: string }>;
  timeline: Array<{ seq: number; line: string }>;
  explain: string[];
  delegation: Array<{ from: string; to: string; scope: string; by: string; seq: number }>;
  hops?: Array<{ parent: string; child: string; depth: number; outcome: string; by: string; reason: string; seq: number }>;
  events: Array<Row & { seq: number; t: number }>;
  clockOrigin?: string;
  total: number;
  truncated: boolean;
}

/** The replay's controls are wired once; showReplay fills them for the current analysis. */
const replay = { load: async (_keepMission: boolean): Promise<void> => {} };

function listItems(target: HTMLElement, items: string[], none: string, onClick?: (index: number) => void): void {
  target.innerHTML = '';
  items.forEach((text, i) => {
    const item = document.createElement('li');
    item.textContent = text;
    if (onClick) item.addEventListener('click', () => onClick(i));
    target.append(item);
  });
  if (items.length === 0) target.innerHTML = `<li class="none">${none}</li>`;
}

function listenReplay(): void {
  const form = $<HTMLFormElement>('#replay-pick');
  const runSelect = form.elements.namedItem('run') as HTMLSelectElement;
  const missionSelect = form.elements.namedItem('mission') as HTMLSelectElement;
  let events: Replay['events'] = [];
  let origin = '00:00';
  let position = 0;
  /** The seq where verification found the chain broken, if it did. */
  let brokenSeq: number | null = null;
  const step = (to: number) => {
    if (events.length === 0) {
      $('#step-position').textContent = 'no events';
      $('#step-event').textContent = '';
      return;
    }
    position = Math.max(0, Math.min(events.length - 1, to));
    const event = events[position] as Replay['events'][number];
    const clock = formatWallClock(origin, event.t);
    $('#step-position').textContent = `event ${position + 1} of ${events.length} (seq ${event.seq}, at ${clock})${event.seq === brokenSeq ? ' — the chain breaks at this event' : ''}`;
    $('#step-event').classList.toggle('broken', event.seq === brokenSeq);
    $('#step-event').textContent = JSON.stringify({ at: clock, ...event }, null, 2);
    writeState({ seq: position === 0 ? null : String(event.seq) });
    for (const item of document.querySelectorAll('#timeline li')) item.classList.toggle('current', (item as HTMLElement).dataset.seq === String(event.seq));
  };
  const stepToSeq = (seq: number) => {
    const index = events.findIndex((event) => event.seq >= seq);
    step(index < 0 ? events.length - 1 : index);
  };
  replay.load = async (keepMission: boolean) => {
    const status = $('#verify-status');
    status.textContent = 'verifying the chain and signatures…';
    const mission = keepMission ? missionSelect.value : '';
    writeState({ run: runSelect.value, mission: mission || null });
    const search = new URLSearchParams({ run: runSelect.value, mission });
    try {
      const data = await api<Replay>(`/api/replay?${search}`);
      origin = data.clockOrigin ?? '00:00';
      brokenSeq = data.verify.ok ? null : data.verify.seq;
      if (!keepMission) {
        missionSelect.length = 1;
        for (const m of data.missions) missionSelect.add(new Option(`${m.agent} ${m.mission.slice(0, 12)}…`, m.mission));
      }
      status.innerHTML = '';
      if (data.verify.ok) {
        status.innerHTML = `<span class="ok">✓ chain intact</span>: ${data.verify.events} events, ${data.verify.sessionBlocks} signed session blocks verified, last hash ${data.verify.lastHash.slice(0, 16)}…`;
      } else {
        const broken = data.verify;
        const text = document.createElement('span');
        text.innerHTML = `<span class="bad">✗ ${broken.kind}</span> at line ${broken.line}${broken.seq === null ? '' : ` (seq ${broken.seq})`}: `;
        text.append(document.createTextNode(broken.reason));
        status.append(text);
        if (broken.seq !== null) status.append(' ', button(`Go to seq ${broken.seq}`, `step to the event where the log breaks (seq ${broken.seq})`, () => stepToSeq(broken.seq as number)));
      }
      listItems($('#timeline'), data.timeline.map((entry) => entry.line), 'no token decisions in this log', (i) => stepToSeq((data.timeline[i] as { seq: number }).seq));
      $('#timeline').querySelectorAll('li').forEach((item, i) => {
        if (data.timeline[i]) item.dataset.seq = String(data.timeline[i].seq);
      });
      listItems($('#delegation'), data.delegation.map((edge) => `${edge.from} → ${edge.to} (${edge.scope}) authorized by ${edge.by}`), 'no token grants in this log');
      listItems($('#hops'), (data.hops ?? []).map((hop) => `${hop.parent} ⇒ ${hop.child} (depth ${hop.depth}) ${hop.outcome} by ${hop.by}: ${hop.reason}`), 'no delegation between agents in this log');
      $('#explain').textContent = data.explain.join('\n');
      events = data.events;
      const seq = readState('seq');
      if (seq !== null && events.some((event) => String(event.seq) === seq)) stepToSeq(Number(seq));
      else step(0);
      if (data.truncated) $('#step-position').textContent += ` — the first ${events.length} of ${data.total}`;
    } catch (error) {
      note(status, 'error', (error as Error).message);
    }
  };
  runSelect.addEventListener('change', () => {
    writeState({ seq: null, mission: null });
    void replay.load(false);
  });
  missionSelect.addEventListener('change', () => {
    writeState({ seq: null });
    void replay.load(true);
  });
  $('#step-first').addEventListener('click', () => step(0));
  $('#step-prev').addEventListener('click', () => step(position - 1));
  $('#step-next').addEventListener('click', () => step(position + 1));
  $('#step-last').addEventListener('click', () => step(events.length - 1));
}

/**
 * A run as the picker names it: a sweep's run by its design's grid values
 * and seed ("2m · push, seed 1"); a single run's folder is ".", so it is
 * named by its scenario or log file; a folder of runs by its folder.
 */
function runLabel(run: { run_id: string; design: string; scenario: string; seed: number | null }, kind: string): string {
  const seed = run.seed === null ? '' : `, seed ${run.seed}`;
  if (run.run_id === '.') {
    const scenario = run.scenario.startsWith('ingested:') ? `log ${run.scenario.slice('ingested:'.length).split('/').at(-1) ?? ''}` : run.scenario;
    return `${scenario} (this folder)${seed}`;
  }
  return kind === 'sweep' && run.design.includes('=') ? `${shortLabel(run.design)}${seed}` : `${run.run_id}${seed}`;
}

async function showReplay(kind: string): Promise<ViewOutcome> {
  const form = $<HTMLFormElement>('#replay-pick');
  const runSelect = form.elements.namedItem('run') as HTMLSelectElement;
  const missionSelect = form.elements.namedItem('mission') as HTMLSelectElement;
  const runs = await api<Array<{ run_id: string; design: string; seed: number | null; scenario: string }>>('/api/runs');
  runSelect.length = 0;
  for (const run of runs) {
    const option = new Option(runLabel(run, kind), run.run_id);
    option.title = run.run_id;
    runSelect.add(option);
  }
  const wanted = readState('run');
  if (wanted !== null && runs.some((run) => run.run_id === wanted)) runSelect.value = wanted;
  const mission = readState('mission');
  await replay.load(false);
  if (mission !== null && [...missionSelect.options].some((option) => option.value === mission)) {
    missionSelect.value = mission;
    await replay.load(true);
  }
  return SHOWN;
}

// --- The page: which views, in which order, what is in the URL ---

/** Marks a view as empty (collapsed to its heading and one line, moved below the others) or shown. */
function settle(view: string, outcome: ViewOutcome): void {
  const section = $(`section[data-view="${view}"]`);
  const tab = $(`#tabs a[data-view="${view}"]`);
  section.classList.toggle('collapsed', outcome.empty);
  tab.classList.toggle('empty-tab', outcome.empty);
  if (outcome.empty) {
    note($(`section[data-view="${view}"] .body`), 'empty', outcome.why);
    tab.title = 'nothing to show for this folder';
  } else tab.removeAttribute('title');
}

/** Puts the views in reading order: the one that fits the folder first, views with data next, empty ones last (the tabs follow). */
function orderViews(info: Info): void {
  const main = $('main');
  const nav = $('#tabs');
  const first = info.atlas ? 'atlas' : info.kind === 'run' ? 'replay' : 'revocation';
  const sections = [...main.querySelectorAll<HTMLElement>(':scope > section')];
  const rank = (section: HTMLElement) => (section.dataset.view === first ? 0 : section.classList.contains('collapsed') ? 2 : 1);
  const ordered = sections.map((section, i) => ({ section, i })).sort((a, b) => rank(a.section) - rank(b.section) || a.i - b.i).map(({ section }) => section);
  for (const section of ordered) {
    main.append(section);
    nav.append($(`#tabs a[data-view="${section.dataset.view}"]`));
  }
  document.body.dataset.firstView = first;
}

/** Every view but the atlas, for the current analysis; a view that fails says why in its place. */
async function showViews(kind: string): Promise<void> {
  document.body.dataset.ready = 'false';
  const views: Array<[string, (body: HTMLElement) => Promise<ViewOutcome>]> = [
    ['revocation', showRevocation],
    ['sizing', showSizing],
    ['containment', showContainment],
    ['drift', showDrift],
    ['lifecycle', showLifecycle],
  ];
  await Promise.all([
    ...views.map(async ([view, show]) => {
      const body = $(`section[data-view="${view}"] .body`);
      note(body, 'loading', 'loading…');
      try {
        settle(view, await show(body));
      } catch (error) {
        settle(view, SHOWN);
        note(body, 'error', (error as Error).message);
      }
    }),
    showReplay(kind).catch((error: Error) => note($('#verify-status'), 'error', error.message)),
  ]);
  document.body.dataset.ready = 'true';
}

function describe(info: Info): string {
  const text = describeText(info);
  $('#subject').title = text;
  return text;
}

function describeText(info: Info): string {
  return `${info.dir} — ${info.kind}, ${info.runs} ${info.runs === 1 ? 'run' : 'runs'}${info.missing > 0 ? ` (${info.missing} not finished)` : ''}${info.axes.length > 0 ? `, grid: ${info.axes.join(' x ')}` : ''}${info.gap ? ` (gap ${info.gap})` : ''}`;
}

/** Scrolls to a view (its heading clear of the sticky header: see scroll-margin-top) and records it in the URL. */
function goToView(view: string, behavior: ScrollBehavior = 'auto'): void {
  const section = document.querySelector<HTMLElement>(`section[data-view="${view}"]`);
  if (!section) return;
  section.scrollIntoView({ behavior, block: 'start' });
  writeState({ view });
  for (const tab of document.querySelectorAll<HTMLElement>('#tabs a')) {
    if (tab.dataset.view === view) tab.setAttribute('aria-current', 'true');
    else tab.removeAttribute('aria-current');
  }
}

function listenTabs(): void {
  for (const tab of document.querySelectorAll<HTMLAnchorElement>('#tabs a')) {
    tab.addEventListener('click', (event) => {
      event.preventDefault();
      goToView(tab.dataset.view as string);
    });
  }
}

async function loadInfo(): Promise<Info> {
  try {
    return await api<Info>('/api/info');
  } catch (error) {
    // A link naming a gap this atlas does not have: fall back to the first gap, and say so.
    if (currentGap === null) throw error;
    currentGap = null;
    writeState({ gap: null });
    const info = await api<Info>('/api/info');
    note($('#banners'), 'note', `${(error as Error).message}; showing the first measured gap instead.`);
    return info;
  }
}

/** The sticky header's height, for scroll-margin-top: it wraps to more lines in a narrow window. */
function trackHeaderHeight(): void {
  const sync = () => document.documentElement.style.setProperty('--header-height', `${$('header').offsetHeight}px`);
  sync();
  window.addEventListener('resize', sync);
}

async function main(): Promise<void> {
  trackHeaderHeight();
  currentGap = readState('gap');
  let info: Info;
  try {
    info = await loadInfo();
  } catch (error) {
    note($('main'), 'error', `Cannot reach the missionbench server: ${(error as Error).message}`);
    return;
  }
  currentGap = info.gap;
  if (info.gap !== null) writeState({ gap: info.gap });
  $('#subject').textContent = describe(info);
  const atlas = showAtlas(info, (gap) => {
    currentGap = gap;
    writeState({ gap, designs: null, run: null, mission: null, seq: null });
    $('#subject').textContent = `loading gap ${gap}…`;
    void api<Info>('/api/info').then(
      (next) => {
        $('#subject').textContent = describe(next);
        return showViews(next.kind);
      },
      (error: Error) => note($('#subject'), 'error', error.message),
    );
  });
  settle('atlas', atlas);
  if (atlas.empty) $('#gap-picker').hidden = true;
  listenTabs();
  listenSizing();
  listenReplay();
  await showViews(info.kind);
  orderViews(info);
  const view = readState('view');
  if (view !== null) goToView(view);
}

void main();

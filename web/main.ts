import embed, { type Result } from 'vega-embed';
import { containmentSpec, loadSpec, stopCdfSpec, stopHeatmapSpec, tradeoffSpec } from './charts/specs.ts';

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
}

const $ = <T extends Element = HTMLElement>(selector: string): T => {
  const found = document.querySelector<T>(selector);
  if (!found) throw new Error(`missing element ${selector}`);
  return found;
};

/** GETs one endpoint of the missionbench server; a failure carries the server's message. */
async function api<T>(path: string): Promise<T> {
  const response = await fetch(path);
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
  heat.view.addSignalListener('pick', (_name, value: { design?: string[] } | undefined) => {
    const picked = Array.isArray(value?.design) ? value.design : [];
    void curves.view.signal('selected', picked).runAsync();
    document.body.dataset.selectedDesigns = String(picked.length);
  });
  table($('#table-revocation'), summary, ['design', 'missions', 'p50_s', 'p95_s', 'p99_s', 'max_s', 'ops_after', 'irreversible_after', 'notified', 'control_plane_p50_s']);
}

// --- Load and sizing: the trade-off chart for the bounds in the form ---

async function showSizing(): Promise<void> {
  const form = $<HTMLFormElement>('#bounds');
  const run = async () => {
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
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void run();
  });
  await run();
}

// --- Views whose metrics come with later parts of the workbench ---

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

function showPending(): void {
  message($('#drift .body'), 'empty', 'No drift or alignment-monitor events in these runs: this view shows them for scenarios with drifting or injected agents.');
  message($('#lifecycle .body'), 'empty', 'No lifecycle events beyond termination in these runs: this view compares suspend, cancel, timed-out and terminate-only lifecycles when runs contain them.');
}

function showAtlas(info: Info): void {
  const body = $('#atlas .body');
  const gaps = info.atlas?.gaps;
  if (!gaps || gaps.length === 0) {
    message(body, 'empty', `${info.dir} is not an atlas folder. The gap atlas (missionbench atlas) runs every seed scenario across profiles and authority models; the other views work on any run or sweep.`);
    return;
  }
  const rows = gaps.map((gap) => ({ ...gap, finding: gap.finding ?? `waits for ${String(gap.waits_for)}` }));
  table(body, rows, ['gap', 'title', 'seed', 'status', 'finding']);
  const note = document.createElement('p');
  note.className = 'help';
  note.textContent = `The other views show the sweep of the first measured gap (${info.analysed}); serve a gap's folder to explore another.`;
  body.append(note);
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

async function showReplay(): Promise<void> {
  const form = $<HTMLFormElement>('#replay-pick');
  const runSelect = form.elements.namedItem('run') as HTMLSelectElement;
  const missionSelect = form.elements.namedItem('mission') as HTMLSelectElement;
  const runs = await api<Array<{ run_id: string; design: string; seed: number | null }>>('/api/runs');
  for (const run of runs) runSelect.add(new Option(`${run.run_id}${run.seed === null ? '' : ` (seed ${run.seed})`}`, run.run_id));
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
  const load = async (keepMission: boolean) => {
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
  runSelect.addEventListener('change', () => void load(false));
  missionSelect.addEventListener('change', () => void load(true));
  $('#step-first').addEventListener('click', () => step(0));
  $('#step-prev').addEventListener('click', () => step(position - 1));
  $('#step-next').addEventListener('click', () => step(position + 1));
  $('#step-last').addEventListener('click', () => step(events.length - 1));
  await load(false);
}

async function main(): Promise<void> {
  let info: Info;
  try {
    info = await api<Info>('/api/info');
  } catch (error) {
    message($('main'), 'error', `Cannot reach the missionbench server: ${(error as Error).message}`);
    return;
  }
  $('#subject').textContent = `${info.dir} — ${info.kind}, ${info.runs} runs${info.missing > 0 ? ` (${info.missing} not finished)` : ''}${info.axes.length > 0 ? `, grid: ${info.axes.join(' x ')}` : ''}`;
  showAtlas(info);
  showPending();
  const views: Array<[string, () => Promise<void>]> = [['#chart-heatmap', showRevocation], ['#chart-tradeoff', showSizing], ['#containment .body', showContainment], ['#verify-status', showReplay]];
  await Promise.all(views.map(async ([target, show]) => {
    try {
      await show();
    } catch (error) {
      message($(target), 'error', (error as Error).message);
    }
  }));
  document.body.dataset.ready = 'true';
}

void main();

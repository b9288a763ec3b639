/** The audit replay: one run's log alone, verified, with its decisions, grants, delegation and every event. */
import { api } from './api.ts';
import { note } from './chart-frame.ts';
import { shortLabel } from './charts/specs.ts';
import { formatWallClock } from './format.ts';
import { asksOfOneView } from './still-wanted.ts';
import { button } from './table.ts';
import { readState, writeState } from './url-state.ts';
import { $, SHOWN, type ViewOutcome } from './view.ts';

type Row = Record<string, unknown>;

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
const replay = { load: async (_keepMission: boolean): Promise<void> => {}, clear: (): void => {} };

/** A pick's answer lands only if no draw, gap switch or later pick overtook it (still-wanted.ts). */
const askReplay = asksOfOneView();

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

export function listenReplay(): void {
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
    $('#step-position').textContent =
      `event ${position + 1} of ${events.length} (seq ${event.seq}, at ${clock})${event.seq === brokenSeq ? ' — the chain breaks at this event' : ''}`;
    $('#step-event').classList.toggle('broken', event.seq === brokenSeq);
    $('#step-event').textContent = JSON.stringify({ at: clock, ...event }, null, 2);
    writeState({ seq: position === 0 ? null : String(event.seq) });
    for (const item of document.querySelectorAll('#timeline li')) item.classList.toggle('current', (item as HTMLElement).dataset.seq === String(event.seq));
  };
  // A failed answer empties what the last one drew: a run's decisions, grants and events never sit under another run's or gap's error.
  replay.clear = () => {
    events = [];
    brokenSeq = null;
    for (const list of ['#timeline', '#delegation', '#hops']) $(list).innerHTML = '';
    $('#explain').textContent = '';
    $('#step-event').classList.remove('broken');
    step(0);
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
    const wanted = askReplay();
    try {
      const data = await api<Replay>(`/api/replay?${search}`);
      if (!wanted()) return;
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
        if (broken.seq !== null)
          status.append(
            ' ',
            button(`Go to seq ${broken.seq}`, `step to the event where the log breaks (seq ${broken.seq})`, () => stepToSeq(broken.seq as number)),
          );
      }
      listItems(
        $('#timeline'),
        data.timeline.map((entry) => entry.line),
        'no token decisions in this log',
        (i) => stepToSeq((data.timeline[i] as { seq: number }).seq),
      );
      $('#timeline')
        .querySelectorAll('li')
        .forEach((item, i) => {
          if (data.timeline[i]) item.dataset.seq = String(data.timeline[i].seq);
        });
      listItems(
        $('#delegation'),
        data.delegation.map((edge) => `${edge.from} → ${edge.to} (${edge.scope}) authorized by ${edge.by}`),
        'no token grants in this log',
      );
      listItems(
        $('#hops'),
        (data.hops ?? []).map((hop) => `${hop.parent} ⇒ ${hop.child} (depth ${hop.depth}) ${hop.outcome} by ${hop.by}: ${hop.reason}`),
        'no delegation between agents in this log',
      );
      $('#explain').textContent = data.explain.join('\n');
      events = data.events;
      const seq = readState('seq');
      if (seq !== null && events.some((event) => String(event.seq) === seq)) stepToSeq(Number(seq));
      else step(0);
      if (data.truncated) $('#step-position').textContent += ` — the first ${events.length} of ${data.total}`;
    } catch (error) {
      if (!wanted()) return;
      replay.clear();
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

export async function showReplay(kind: string): Promise<ViewOutcome> {
  const form = $<HTMLFormElement>('#replay-pick');
  const runSelect = form.elements.namedItem('run') as HTMLSelectElement;
  const missionSelect = form.elements.namedItem('mission') as HTMLSelectElement;
  let runs: Array<{ run_id: string; design: string; seed: number | null; scenario: string }>;
  try {
    runs = await api('/api/runs');
  } catch (error) {
    // No runs to pick from: nothing of the analysis drawn before stays (the caller says why in the status line).
    runSelect.length = 0;
    missionSelect.length = 1;
    replay.clear();
    throw error;
  }
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

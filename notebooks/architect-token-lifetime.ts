/**
 * Notebook (architect): sizing token lifetime and revocation mode. Sweeps
 * scenarios/token-lifetime-sizing.yaml over auth-token lifetime x revocation
 * mode, analyses it (cli/analysis-session.ts) and answers the `architect`
 * named query for explicit bounds.
 */
import { join } from 'node:path';
import type { Row } from '../analysis/database.ts';
import { prepareAnalysis } from '../cli/analysis-session.ts';
import { loadSpec, stopHeatmapSpec, tradeoffSpec } from '../web/charts/specs.ts';
import { missionbench, Notebook, num, shown } from './lib/notebook.ts';

/** The architect's bounds: p99 runtime stop and Person Server requests per second. */
export const BOUNDS = { max_p99_stop_s: 120, max_ps_rps: 0.2 };
const LIFETIMES = ['1m', '5m', '15m', '1h'];
const MODES = ['none', 'push', 'introspect', 'cache'];
/** Few seeds keep the build under a minute; the figures are pooled over them (raise for a real decision). */
const SEEDS = '1..2';

export async function build(work: string): Promise<Notebook> {
  const nb = new Notebook('architect-token-lifetime', 'Architect: sizing token lifetime and revocation');
  const out = join(work, 'sizing');
  const args = [
    'sweep',
    'scenarios/token-lifetime-sizing.yaml',
    '--grid',
    `tokens.auth_ttl=${LIFETIMES.join(',')}`,
    '--grid',
    `topology.resources[ledger].revocation.mode=${MODES.join(',')}`,
    '--seeds',
    SEEDS,
    '--workers',
    '2',
    '--resume',
    '--out',
    out,
  ];
  nb.md(`
An architect deploying mission-scoped tokens must choose how long auth tokens live and how a resource
learns that a mission was terminated. Short tokens bound how long work continues after termination (the
*runtime stop*) but every renewal is a request to the Person Server; revocation by push, introspection or a
status cache shortens the stop independently of the lifetime, at its own cost in PS requests.

The question, with the bounds made explicit: **which designs keep the p99 runtime stop at or under
${BOUNDS.max_p99_stop_s} s while the Person Server answers at most ${BOUNDS.max_ps_rps} requests per second
(tokens plus status checks)?** The scenario \`token-lifetime-sizing\` has twelve agents on a ledger (reads and
irreversible posts), tokens renewed on expiry, each mission terminated at a random time. We sweep
${LIFETIMES.length} lifetimes x ${MODES.length} revocation modes over seeds ${SEEDS}
(${LIFETIMES.length * MODES.length * 2} runs; few seeds to keep this notebook quick):
`);
  nb.command(`npx missionbench ${args.map((arg) => (arg === out ? shown(out) : /[[\]]/.test(arg) ? `'${arg}'` : arg)).join(' ')}`);
  missionbench(args);
  nb.command(`npx missionbench size ${shown(out)} --max-p99-stop ${BOUNDS.max_p99_stop_s}s --max-ps-rps ${BOUNDS.max_ps_rps}`);

  const { analysis, checkLines } = await prepareAnalysis(out, {});
  // What was checked of the logs before the numbers below were computed from them.
  nb.output(checkLines.join('\n'), 'log-check');
  let architect: Row[];
  let designs: Row[];
  let replications: Row[];
  try {
    [architect, designs, replications] = await Promise.all([analysis.query('architect', BOUNDS), analysis.query('designs'), analysis.query('replications')]);
  } finally {
    analysis.close();
  }

  const meeting = architect.filter((row) => row.meets === true);
  const cheapest = [...meeting].sort((a, b) => Number(a.ps_load_rps) - Number(b.ps_load_rps) || Number(a.p99_stop_s) - Number(b.p99_stop_s))[0];
  nb.md(`
## The trade-off

Every design is a point: its p99 runtime stop (over all terminated missions of all seeds) against its mean PS
load. The bounds are drawn as rules; the dashed line joins the designs no other design beats on both
(the trade-off curve).
`);
  await nb.chart(
    tradeoffSpec(
      architect.filter((row) => row.p99_stop_s !== null),
      BOUNDS,
    ),
  );
  nb.finding(
    'recommendation',
    meeting.length === 0
      ? `No design meets both bounds: relax one of them along the trade-off curve.`
      : `${meeting.length} of ${architect.length} designs meet both bounds. The one with the least Person Server load is
**\`${cheapest?.design}\`**: p99 runtime stop ${num(cheapest?.p99_stop_s)} s at ${num(cheapest?.ps_load_rps)} PS requests per second.
Where revocation reaches the resource, it, not the lifetime, bounds the stop, so the lifetime can be as long as the
load bound likes; with TTL only, the lifetime must be short enough for the stop bound, and each renewal costs PS load.`,
  );
  nb.table(architect, ['design', 'runs', 'missions', 'p99_stop_s', 'ps_load_rps', 'meets', 'pareto']);

  const ttlOnly = designs.filter((row) => String(row.design).endsWith('revocation.mode=none'));
  nb.md(`
## Why lifetime alone does not do it

With revocation off (\`mode=none\`) the only stop is the token's expiry, so the runtime stop grows with the
lifetime, while the PS load falls with it: the two bounds pull in opposite directions.
`);
  nb.finding(
    'ttl-only',
    `TTL only, p99 runtime stop by lifetime: ${ttlOnly.map((row) => `${(row.params as Record<string, unknown>).tokens_auth_ttl ?? row.design} → ${num(row.p99_stop_s)} s at ${num(row.ps_load_rps)} req/s`).join('; ')}.`,
  );
  await nb.chart(
    stopHeatmapSpec(designs.filter((row) => row.p99_stop_s !== null)),
    "p99 runtime stop per design (the dashboard's heatmap): lifetime across, revocation mode down.",
  );
  await nb.chart(loadSpec(designs), 'Mean Person Server requests per second per design: introspection pays a status check per request whatever the lifetime.');

  const stopCis = replications.filter((row) => row.metric === 'revocation_window_p99_s');
  nb.md(`
## How sure are we?

The per-run p99 stop varies between seeds; with only ${SEEDS.split('..')[1]} seeds the intervals are wide, so treat a design near a
bound as undecided and re-run the sweep with more seeds (\`--seeds 1..30\`) before committing to it. Each interval is a 95%
interval of the mean that stays inside the metric's range; \`interval_method\` says how it was made (docs/metrics.md).
`);
  nb.table(stopCis, ['design', 'metric', 'n', 'mean', 'sd', 'ci95_low', 'ci95_high', 'interval_method']);
  return nb;
}

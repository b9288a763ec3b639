import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario, type RunManifest } from '../../sim/run.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import { readLines, SCENARIOS, tempDir } from '../helpers.ts';

const BIN = new URL('../../bin/missionbench.mjs', import.meta.url).pathname;

function run(name: string, overrides: string[] = [], seed?: number): { manifest: RunManifest; dir: string } {
  const dir = join(tempDir(), name);
  const manifest = runScenario(loadScenario(join(SCENARIOS, `${name}.yaml`), overrides), { outDir: dir, seed });
  return { manifest, dir };
}

function events(dir: string): Array<Record<string, unknown>> {
  return readLines(join(dir, 'events.jsonl')).map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('travel-booking (seed 001)', () => {
  it("replays as seed 001's six-line Mission Control trail, exactly", () => {
    const { dir } = run('travel-booking');
    const replay = spawnSync(process.execPath, [BIN, 'replay', dir], { encoding: 'utf8' });
    expect(replay.status).toBe(0);
    // First what the check of the log proved, then the trail itself.
    const [checked, ...trail] = replay.stdout.trim().split('\n');
    expect(checked).toMatch(/^checked: \d+ events, chain intact, sealed; simulated log: /);
    expect(trail).toEqual([
      '10:00 Agent -> flights.example scope: search granted',
      '10:02 Agent -> flights.example scope: fare.hold granted',
      '10:05 Agent -> hotels.example scope: search granted',
      '10:08 Agent -> hotels.example scope: reserve granted',
      '10:12 Agent -> restaurants.example scope: book granted',
      '10:15 Agent -> payments.example scope: charge denied — outside mission scope',
    ]);
  });

  it('executes the five granted operations and never the charge', () => {
    const { dir, manifest } = run('travel-booking');
    const executed = events(dir)
      .filter((e) => e.type === 'op.executed')
      .map((e) => `${e.actor}/${e.op}`);
    expect(executed).toEqual([
      'resource:flights.example/search',
      'resource:flights.example/fare.hold',
      'resource:hotels.example/search',
      'resource:hotels.example/reserve',
      'resource:restaurants.example/book',
    ]);
    expect(manifest.summary.missions[0]?.operations_executed).toBe(5);
  });

  it('ties every decision to the approved mission by its s256 (r01: the AAuth-Mission header)', () => {
    const { dir } = run('travel-booking');
    const log = events(dir);
    const approved = log.find((e) => e.type === 'mission.approved')!;
    expect(approved.mission).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const decisions = log.filter((e) => e.type === 'token.auth_granted');
    expect(decisions).toHaveLength(5);
    for (const decision of decisions) {
      expect(decision.mission).toBe(approved.mission);
      expect(decision.aauth_mission).toEqual({ approver: 'https://ps.example', s256: approved.mission });
    }
    // The mission reached the PS in the resource token, copied by the resource from the agent's AAuth-Mission header.
    const resourceTokens = log.filter((e) => e.type === 'token.resource_issued');
    expect(resourceTokens).toHaveLength(6);
    for (const token of resourceTokens) expect(token.aauth_mission).toEqual({ approver: 'https://ps.example', s256: approved.mission });
  });

  it('carries mission_s256 in tokens under aauth-r11 instead', () => {
    const { dir } = run('travel-booking', ['profile=aauth-r11']);
    const granted = events(dir).filter((e) => e.type === 'token.auth_granted');
    expect(granted[0]?.mission_s256).toBe(granted[0]?.mission);
    expect(granted[0]?.aauth_mission).toBeUndefined();
  });
});

describe('bulk-export-after-terminate (seed 000)', () => {
  const TERMINATED_AT = 600;

  it('with push revocation but no recall, the queued export completes after termination', () => {
    const { manifest, dir } = run('bulk-export-after-terminate');
    const outcome = manifest.summary.missions[0]!;
    // The person acts at 600 s; the PS terminates when it serves the request, one network latency and its queue later.
    expect(outcome.terminated_at_s).toBeGreaterThan(TERMINATED_AT);
    expect(outcome.terminated_at_s).toBeLessThan(TERMINATED_AT + 1);
    expect(outcome.operations_after_termination).toBe(1);
    expect(outcome.irreversible_after_termination).toBe(1);
    expect(outcome.revocation_window_s).toBeGreaterThan(60);
    const log = events(dir);
    const revoked = log.find((e) => e.type === 'revocation.received')!;
    const exported = log.find((e) => e.type === 'op.executed' && e.op === 'bulk_export')!;
    // The control plane did its job: the revocation arrived before the export ran.
    expect(revoked.t as number).toBeLessThan(exported.t as number);
    expect((revoked.t as number) / 1e6).toBeGreaterThanOrEqual(TERMINATED_AT);
  });

  it('with TTL-only revocation the export completes after termination too', () => {
    const { manifest, dir } = run('bulk-export-after-terminate', ['topology.resources[export-service].revocation.mode=none']);
    expect(manifest.summary.missions[0]?.irreversible_after_termination).toBe(1);
    expect(events(dir).some((e) => e.type === 'revocation.sent' && e.resource === 'export-service')).toBe(false);
    expect(events(dir).some((e) => e.type === 'revocation.sent' && e.resource === 'crm')).toBe(true);
  });

  it('with push revocation and recall before start, the export never runs', () => {
    const { manifest, dir } = run('bulk-export-after-terminate', ['topology.resources[export-service].recall=before-start']);
    const outcome = manifest.summary.missions[0]!;
    expect(outcome.operations_after_termination).toBe(0);
    expect(outcome.revocation_window_s).toBe(0);
    const log = events(dir);
    expect(log.filter((e) => e.type === 'op.recalled').map((e) => e.op)).toEqual(['bulk_export']);
    expect(log.some((e) => e.type === 'op.executed' && e.op === 'bulk_export')).toBe(false);
  });
});

describe('ttl-only-window', () => {
  it('mean termination-to-last-operation time matches the residual-life expectation', () => {
    const loaded = loadScenario(join(SCENARIOS, 'ttl-only-window.yaml'));
    const dir = join(tempDir(), 'ttl');
    const windows: number[] = [];
    const SEEDS = 600;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const outcome = runScenario(loaded, { seed, outDir: dir }).summary.missions[0]!;
      windows.push(outcome.revocation_window_s!);
    }
    const mean = windows.reduce((sum, w) => sum + w, 0) / SEEDS;
    // Renewal theory: a random termination time falls in a token's life with
    // probability L/(L+G) (G: the gap between expiry and the next grant, the
    // forward recurrence of the agent's op cycle, ~5.1s) and leaves a residual
    // life uniform on (0, L); the last operation comes a backward recurrence
    // (beta ~5s) before expiry: E = L/(L+G) * (L/2 - beta + beta^2/L).
    const L = 600;
    const G = 5.1;
    const beta = 5;
    const expected = (L / (L + G)) * (L / 2 - beta + (beta * beta) / L);
    // Tolerance: 5% (the sample mean of 600 seeds has a standard error of about 2.4%).
    expect(Math.abs(mean - expected) / expected).toBeLessThan(0.05);
    expect(Math.max(...windows)).toBeLessThanOrEqual(L);
  });
});

describe('how a resource learns of revocation bounds the window (ttl-only-window, seed 1)', () => {
  const windowWith = (overrides: string[]) => run('ttl-only-window', overrides, 1).manifest.summary.missions[0]!;
  const set = (path: string, value: string) => `topology.resources[records].revocation.${path}=${value}`;

  it('TTL only: the agent works on for most of its token life', () => {
    expect(windowWith([]).revocation_window_s).toBeGreaterThan(30);
  });

  it('introspection per request: nothing executes after the next status check', () => {
    const outcome = windowWith([set('mode', 'introspect')]);
    expect(outcome.revocation_window_s).toBeLessThan(1);
  });

  it('a status cache keeps revoked tokens working for at most its TTL', () => {
    const windows = [1, 2, 3, 4, 5, 6].map(
      (seed) => run('ttl-only-window', [set('mode', 'cache'), set('cache_ttl', '1m')], seed).manifest.summary.missions[0]!.revocation_window_s!,
    );
    for (const window of windows) expect(window).toBeLessThanOrEqual(60 + 1);
    // A fresh cached "active" answer outlives the termination in some runs.
    expect(windows.some((window) => window > 0)).toBe(true);
  });

  it('push: the window is about one delivery latency', () => {
    const outcome = windowWith([set('mode', 'push'), set('latency', 'const(20s)')]);
    expect(outcome.revocation_window_s).toBeGreaterThan(0);
    expect(outcome.revocation_window_s).toBeLessThanOrEqual(21);
  });

  it('push with every call lost falls back to the TTL', () => {
    const lost = windowWith([set('mode', 'push'), set('loss', '1')]);
    expect(lost.revocation_window_s).toBe(windowWith([]).revocation_window_s);
  });

  it('an event stream delivers after its delay', () => {
    const outcome = windowWith([set('mode', 'events'), set('latency', 'const(45s)')]);
    expect(outcome.revocation_window_s).toBeGreaterThan(0);
    expect(outcome.revocation_window_s).toBeLessThanOrEqual(46);
  });
});

describe('lifecycle per profile', () => {
  const base = ['interventions[0].at=const(40m)'];

  it('aauth-m0 suspends and resumes: work pauses, then continues under the same mission', () => {
    const { dir } = run('ttl-only-window', [
      ...base,
      'profile=aauth-m0',
      'interventions[0].action=suspend',
      'topology.resources[records].revocation.mode=introspect',
    ]);
    const log = events(dir);
    expect(log.some((e) => e.type === 'mission.suspended')).toBe(true);
    expect(log.some((e) => e.type === 'mission.terminated')).toBe(false);
    expect(log.some((e) => e.type === 'token.auth_denied' && e.reason === 'mission suspended')).toBe(true);
  });

  it('aauth-r01 has no suspend: a pause terminates the mission', () => {
    const { dir } = run('ttl-only-window', [...base, 'interventions[0].action=suspend']);
    const log = events(dir);
    expect(log.find((e) => e.type === 'mission.terminated')?.reason).toBe('administrative');
    expect(log.some((e) => e.type === 'agent.stopped')).toBe(true);
  });

  it('oauth has no mission: decisions carry no s256', () => {
    const { dir } = run('travel-booking', ['profile=oauth']);
    const log = events(dir);
    expect(log.some((e) => e.type === 'mission.approved')).toBe(false);
    expect(log.filter((e) => e.type === 'token.auth_granted').every((e) => e.mission === null)).toBe(true);
  });
});

describe('four-party federation and deferred approval (travel-booking variants)', () => {
  const fourParty = [
    'topology.access_servers=[{id: hotels-as}, {id: dining-as, trust: conservative, sensitive_classes: [dining]}]',
    'topology.resources[hotels.example].access_server=hotels-as',
    'topology.resources[restaurants.example].access_server=dining-as',
  ];

  it('relays AS-issued tokens; the PS sends the AS the mission s256, never its body', () => {
    const { dir } = run('travel-booking', fourParty);
    const log = events(dir);
    const hotelGrants = log.filter((e) => e.type === 'token.auth_granted' && e.resource === 'hotels.example');
    expect(hotelGrants).toHaveLength(2);
    for (const grant of hotelGrants) expect(String(grant.jti)).toMatch(/^as:hotels-as#/);
    const federated = log.filter((e) => e.type === 'federation.received');
    expect(federated.length).toBe(3);
    for (const event of federated) {
      expect(event.mission).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(JSON.stringify(event)).not.toContain('Lisbon');
    }
  });

  it('a conservative AS refuses its sensitive class by its own policy', () => {
    const { dir } = run('travel-booking', fourParty);
    const replay = spawnSync(process.execPath, [BIN, 'replay', dir], { encoding: 'utf8' });
    expect(replay.stdout).toContain('10:12 Agent -> restaurants.example scope: book denied — AS policy: dining is a sensitive class');
    expect(events(dir).some((e) => e.type === 'op.executed' && e.op === 'book')).toBe(false);
  });

  it('defers to the person (202 + polling) and starts work only after approval', () => {
    const { dir } = run('travel-booking', [
      'topology.person_servers[0].approval=person',
      'people[0].approval_latency=const(90s)',
      'topology.person_servers[0].poll_interval=10s',
    ]);
    const log = events(dir);
    const deferred = log.find((e) => e.type === 'mission.deferred')!;
    expect(deferred.status).toBe(202);
    const approved = log.find((e) => e.type === 'mission.approved')!;
    expect(approved.t as number).toBeGreaterThanOrEqual(90_000_000);
    const firstGrant = log.find((e) => e.type === 'token.auth_granted')!;
    expect(firstGrant.t as number).toBeGreaterThan(approved.t as number);
    // The agent polls every 10 s: its first grant comes within one poll interval of the approval.
    expect((firstGrant.t as number) - (approved.t as number)).toBeLessThan(11_000_000);
  });
});

describe('clarification and PS outages (travel-booking variants)', () => {
  it('runs the clarification rounds before approval, one person latency each', () => {
    const { dir } = run('travel-booking', [
      'topology.person_servers[0].approval=person',
      'topology.person_servers[0].clarification_rounds=2',
      'people[0].approval_latency=const(60s)',
    ]);
    const log = events(dir);
    expect(log.filter((e) => e.type === 'mission.clarification').map((e) => e.round)).toEqual([1, 2]);
    expect(log.filter((e) => e.type === 'person.asked').map((e) => e.question)).toEqual(['clarify mission', 'clarify mission', 'approve mission']);
    expect(log.find((e) => e.type === 'mission.approved')!.t as number).toBeGreaterThanOrEqual(180_000_000);
  });

  it('a PS outage delays token decisions until it is back', () => {
    const { dir } = run('travel-booking', ['topology.person_servers[0].outages=[{at: 4m, for: 3m}]']);
    const log = events(dir);
    expect(log.some((e) => e.type === 'ps.unavailable')).toBe(true);
    const replay = spawnSync(process.execPath, [BIN, 'replay', dir], { encoding: 'utf8' }).stdout;
    expect(replay).toContain('10:07 Agent -> hotels.example scope: search granted');
    expect(replay).toContain('10:08 Agent -> hotels.example scope: reserve granted');
  });
});

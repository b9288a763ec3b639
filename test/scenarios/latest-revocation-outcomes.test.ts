import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Analysis } from '../../analysis/database.ts';
import { ingestAnalysis } from '../../analysis/ingest.ts';
import { viewDefinitions } from '../../analysis/queries.ts';
import { discoverRuns } from '../../analysis/run-folders.ts';
import { runScenario } from '../../sim/run.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import { SCENARIOS, tempDir } from '../helpers.ts';
import { type Event, runEvents as run } from './run-events.ts';

const H = 3_600_000_000;
const M = 60_000_000;
// after-hours-concierge: the hotel's reservation chains a hold at payments; the mission is terminated at 2h30m.
// The payment processor's revocation endpoint is down from 2h to 3h; calls are retried every 10 minutes.
const PAYMENTS_DOWN = [
  'topology.resources[payments.example].revocation={mode: push, outages: [{at: 2h, for: 1h}], retries: 5, retry_interval: 10m}',
  'topology.resources[hotels.example].revocation={mode: push, retry_after: 1m}',
];

describe('aauth-latest: a downstream recipient that is down', () => {
  it('answers revocation_unavailable to the cascading resource, logged with the exposure; the cascade finishes once a retry gets through', () => {
    const events = run('after-hours-concierge', ['profile=aauth-latest', ...PAYMENTS_DOWN]);
    const hold = events.find((e) => e.type === 'token.auth_granted' && e.resource === 'payments.example') as Event;
    const unavailable = events.filter((e) => e.type === 'revocation.unavailable');
    expect(unavailable.length).toBeGreaterThanOrEqual(2);
    for (const event of unavailable) {
      expect(event).toMatchObject({
        actor: 'resource:hotels.example',
        to: 'payments.example',
        downstream_jti: hold.jti,
        error: 'revocation_unavailable',
        exposed_until: hold.exp,
        retry: true,
      });
      expect(event.t).toBeLessThan(3 * H);
    }
    const done = events.find((e) => e.type === 'revocation.cascade_done') as Event;
    expect(done.t).toBeGreaterThanOrEqual(3 * H);
    const complete = events.find((e) => e.type === 'revocation.complete') as Event;
    expect(complete.t).toBeGreaterThan(done.t);
    expect(events.some((e) => e.type === 'revocation.received' && e.actor === 'resource:payments.example' && e.t >= 3 * H && e.t < 3 * H + 20 * M)).toBe(true);
  });

  it('aauth-r11: the same outage delays the cascade just as long, but the log does not say why', () => {
    const events = run('after-hours-concierge', ['profile=aauth-r11', ...PAYMENTS_DOWN]);
    expect(events.filter((e) => e.type === 'revocation.unavailable')).toEqual([]);
    expect((events.find((e) => e.type === 'revocation.cascade_done') as Event).t).toBeGreaterThanOrEqual(3 * H);
  });
});

describe('aauth-latest: the first recipient cannot revoke', () => {
  it("answers the PS's own call revocation_unsupported, with how long the token stays usable; r11 does not call it", () => {
    const NONE = 'topology.resources[flights.example].revocation.mode=none';
    const events = run('after-hours-concierge', ['profile=aauth-latest', NONE]);
    const unsupported = events.filter((e) => e.type === 'revocation.unsupported' && e.actor === 'ps:ps.example');
    expect(unsupported.length).toBeGreaterThan(0);
    const live = events.filter((e) => (e.type === 'token.auth_granted' || e.type === 'token.person_issued') && e.resource === 'flights.example');
    for (const event of unsupported) {
      const token = live.find((e) => e.jti === event.jti) as Event;
      expect(event).toMatchObject({ to: 'flights.example', error: 'revocation_unsupported', exposed_until: token.exp });
      expect(event).not.toHaveProperty('downstream_jti');
      // The PS's call went out first; the answer is logged a round trip later, and the resource revoked nothing.
      const sent = events.find((e) => e.type === 'revocation.sent' && e.jti === event.jti) as Event;
      expect(event.t).toBeGreaterThan(sent.t);
      expect(events.some((e) => e.type === 'revocation.received' && e.jti === event.jti)).toBe(false);
    }
    const r11 = run('after-hours-concierge', ['profile=aauth-r11', NONE]);
    expect(r11.some((e) => e.type === 'revocation.unsupported' || (e.type === 'revocation.sent' && e.resource === 'flights.example'))).toBe(false);
  });
});

describe('aauth-latest, four-party: the PS revokes at the resource itself and notifies the AS, which answers with its downstream list', () => {
  // law-firm-cross-domain: the AS of the law firm issues the counsel tokens; the mission is terminated at 20m.
  const TERMINATE = 'interventions=[{at: const(20m), person: erin, agent: reviewer, action: terminate}]';

  it('the PS calls counsel with the AS-issued token (as -11), then notifies the AS; the AS revokes it at counsel and lists what counsel answered', () => {
    const events = run('law-firm-cross-domain', ['profile=aauth-latest', TERMINATE]);
    const issued = events.find((e) => e.type === 'token.as_issued') as Event;
    const sent = events.filter((e) => e.type === 'revocation.sent' && e.jti === issued.jti).map((e) => [e.actor, e.resource]);
    expect(sent).toEqual([
      ['ps:ps.enterprise', 'counsel.lawfirm'],
      ['ps:ps.enterprise', 'as.lawfirm'],
      ['as:as.lawfirm', 'counsel.lawfirm'],
    ]);
    expect(events.find((e) => e.type === 'revocation.answered' && e.jti === issued.jti)).toMatchObject({ actor: 'ps:ps.enterprise', status: 200 });
    expect(events.find((e) => e.type === 'revocation.downstream')).toMatchObject({
      as: 'as.lawfirm',
      jti: issued.jti,
      downstream: [{ to: 'counsel.lawfirm', jti: issued.jti, outcome: 'sent' }],
    });
    expect(events.find((e) => e.type === 'revocation.received' && e.jti === issued.jti)?.actor).toBe('resource:counsel.lawfirm');
    expect(events.some((e) => e.type === 'revocation.complete' && e.actor === 'as:as.lawfirm')).toBe(true);
  });

  it("the AS's list says what counsel answered, not what its configuration says: down on every attempt, revocation_unavailable", () => {
    const down = 'topology.resources[counsel.lawfirm].revocation={mode: push, outages: [{at: 19m, for: 2h}], retries: 1, retry_interval: 1m}';
    const events = run('law-firm-cross-domain', ['profile=aauth-latest', TERMINATE, down]);
    const issued = events.find((e) => e.type === 'token.as_issued') as Event;
    const downstream = events.find((e) => e.type === 'revocation.downstream') as Event;
    expect(downstream.downstream).toEqual([{ to: 'counsel.lawfirm', jti: issued.jti, outcome: 'revocation_unavailable', exposed_until: issued.exp }]);
    // The AS answered after its own last attempt was refused, not at once.
    const asLast = events.filter((e) => e.type === 'revocation.unavailable' && e.actor === 'as:as.lawfirm' && e.jti === issued.jti);
    expect(asLast.map((e) => e.retry)).toEqual([true, false]);
    expect(downstream.t).toBeGreaterThan(asLast[1]?.t as number);
  });

  it("a counsel endpoint that cannot revoke shows in the AS's list with the exposure it leaves", () => {
    const events = run('law-firm-cross-domain', ['profile=aauth-latest', TERMINATE, 'topology.resources[counsel.lawfirm].revocation.mode=none']);
    const issued = events.find((e) => e.type === 'token.as_issued') as Event;
    expect((events.find((e) => e.type === 'revocation.downstream') as Event).downstream).toEqual([
      { to: 'counsel.lawfirm', jti: issued.jti, outcome: 'revocation_unsupported', exposed_until: issued.exp },
    ]);
  });

  it('aauth-r11: the PS revokes the AS-issued token at counsel itself; there is no downstream list', () => {
    const events = run('law-firm-cross-domain', ['profile=aauth-r11', TERMINATE]);
    const issued = events.find((e) => e.type === 'token.as_issued') as Event;
    expect(events.find((e) => e.type === 'revocation.sent' && e.jti === issued.jti)).toMatchObject({ actor: 'ps:ps.enterprise', resource: 'counsel.lawfirm' });
    expect(events.some((e) => e.type === 'revocation.downstream')).toBe(false);
  });
});

describe("aauth-latest, four-party: the PS's notice to the AS travels its own link, and the AS can be down", () => {
  const TERMINATE = 'interventions=[{at: const(20m), person: erin, agent: reviewer, action: terminate}]';
  const T = 20 * M;
  const S = 1_000_000;
  const LINK = (loss: number) => `network.server_links=[{ps: ps.enterprise, as: as.lawfirm, loss: ${loss}}]`;
  const toAs = (events: Event[], type: string) =>
    events.filter((e) => e.type === type && e.actor === 'ps:ps.enterprise' && (e.resource ?? e.to) === 'as.lawfirm');

  it('link loss 1.0: the notice is sent again after each network.timeout (30 s), network.retries (3) times, then given up as revocation_unavailable', () => {
    const events = run('law-firm-cross-domain', ['profile=aauth-latest', TERMINATE, LINK(1)]);
    // The PS terminates when the person's request reaches it (one latency and its queue after 20m), and notifies then.
    const T = (events.find((e) => e.type === 'mission.terminated') as Event).t;
    expect(T).toBeGreaterThan(20 * M);
    expect(T).toBeLessThan(20 * M + S);
    expect(toAs(events, 'revocation.sent').map((e) => [e.t - T, e.attempt])).toEqual([
      [0, 0],
      [30 * S, 1],
      [60 * S, 2],
      [90 * S, 3],
    ]);
    expect(toAs(events, 'revocation.lost').map((e) => [e.t - T, e.attempt])).toEqual([
      [30 * S, 0],
      [60 * S, 1],
      [90 * S, 2],
      [120 * S, 3],
    ]);
    expect(toAs(events, 'revocation.unavailable')).toMatchObject([{ t: T + 120 * S, attempt: 3, error: 'revocation_unavailable', retry: false }]);
    // The AS never heard of it: it revoked nothing and answered nothing.
    expect(events.some((e) => e.actor === 'as:as.lawfirm' && e.type.startsWith('revocation.'))).toBe(false);
    expect(events.some((e) => e.type === 'revocation.downstream')).toBe(false);
    // The PS's own revocation at counsel is unaffected (a different link).
    const issued = events.find((e) => e.type === 'token.as_issued') as Event;
    expect(events.find((e) => e.type === 'revocation.answered' && e.jti === issued.jti)).toMatchObject({ actor: 'ps:ps.enterprise', status: 200 });
  });

  it('an AS outage: the AS answers 503 with its Retry-After (retry_interval), the PS logs revocation_unavailable when the answer is back, waits the Retry-After and gives up after its own network.retries', () => {
    const outage = 'topology.access_servers[as.lawfirm].revocation={outages: [{at: 19m, for: 1h}], retry_interval: 1m}';
    const events = run('law-firm-cross-domain', ['profile=aauth-latest', TERMINATE, outage, 'network.retries=2']);
    const sent = toAs(events, 'revocation.sent');
    const unavailable = toAs(events, 'revocation.unavailable');
    expect(unavailable.map((e) => [e.attempt, e.retry])).toEqual([
      [0, true],
      [1, true],
      [2, false],
    ]);
    sent.forEach((call, index) => {
      const answer = unavailable[index] as Event;
      // A round trip on the link: the answer is logged after the call went out, not with it.
      expect(answer.t).toBeGreaterThan(call.t);
      // The next notice goes one retry_interval after the answer.
      if (index > 0) expect(call.t - (unavailable[index - 1] as Event).t).toBe(60 * S);
    });
    expect(events.some((e) => e.type === 'revocation.downstream')).toBe(false);
    // How many times is the PS's own setting: with network.retries=4, the same outage gets five notices.
    const patient = run('law-firm-cross-domain', ['profile=aauth-latest', TERMINATE, outage, 'network.retries=4']);
    expect(toAs(patient, 'revocation.unavailable').map((e) => e.retry)).toEqual([true, true, true, true, false]);
    // A setting on the AS for the PS's retries is refused: it is not the AS's to choose.
    expect(() => run('law-firm-cross-domain', ['profile=aauth-latest', TERMINATE, 'topology.access_servers[as.lawfirm].revocation={retries: 2}'])).toThrow(
      /topology\.access_servers\[\d+\]\.revocation/,
    );

    // A shorter outage: the second notice gets through and the AS answers with its downstream list.
    const brief = 'topology.access_servers[as.lawfirm].revocation={outages: [{at: 19m, for: 90s}], retry_interval: 1m}';
    const recovered = run('law-firm-cross-domain', ['profile=aauth-latest', TERMINATE, brief]);
    expect(toAs(recovered, 'revocation.unavailable').map((e) => e.retry)).toEqual([true]);
    const downstream = recovered.find((e) => e.type === 'revocation.downstream') as Event;
    expect(downstream.t).toBeGreaterThan(T + 60 * S);
  });

  it('the revocation window (SQL control plane) grows by the notices lost on the link', async () => {
    const controlPlane = async (extra: string[]): Promise<number> => {
      const dir = join(tempDir(), 'window');
      runScenario(loadScenario(join(SCENARIOS, 'law-firm-cross-domain.yaml'), ['profile=aauth-latest', TERMINATE, ...extra]), { outDir: join(dir, 'run') });
      await ingestAnalysis(discoverRuns(dir), viewDefinitions());
      const analysis = await Analysis.open(dir);
      try {
        const [row] = await analysis.query('revocation_window');
        return Number(row?.control_plane_max_s);
      } finally {
        analysis.close();
      }
    };
    const without = await controlPlane([]);
    // Loss 0.8 on this seed: the first two notices are lost, the third reaches the AS, which revokes at counsel a minute late.
    const lossy = await controlPlane([LINK(0.8)]);
    expect(without).toBeLessThan(1);
    // Two lost notices: two network.timeouts (30 s each) before the one that arrives.
    expect(lossy).toBeGreaterThanOrEqual(60);
    expect(lossy - without).toBeGreaterThan(59);
  });
});

describe('rate_limited and the 202 poll, on scenarios', () => {
  const TERMINATE = 'interventions=[{at: const(20m), person: erin, agent: reviewer, action: terminate}]';

  it('a resource past its rate limit answers 429 rate_limited; the PS waits the Retry-After and calls again', () => {
    const limited = 'topology.resources[docs.enterprise].revocation={mode: push, rate_limit: {calls: 1, per: 1m}}';
    const events = run('law-firm-cross-domain', ['profile=aauth-latest', TERMINATE, limited]);
    const refused = events.filter((e) => e.type === 'revocation.rate_limited');
    expect(refused).toHaveLength(1);
    const [answer] = refused as [Event];
    expect(answer).toMatchObject({ actor: 'ps:ps.enterprise', to: 'docs.enterprise', attempt: 0, error: 'rate_limited' });
    // Retry-After: until the first call leaves the one-minute window.
    const first = events.find((e) => e.type === 'revocation.received' && e.actor === 'resource:docs.enterprise') as Event;
    const again = events.find((e) => e.type === 'revocation.sent' && e.jti === answer.jti && e.attempt === 1) as Event;
    expect(again.t).toBe(answer.t + (answer.retry_after_us as number));
    expect(again.t).toBeGreaterThan(first.t + 50 * 1_000_000);
    expect(events.some((e) => e.type === 'revocation.received' && e.jti === answer.jti && e.t > again.t)).toBe(true);
    // An AS's revocation endpoint may be limited too: two AS-issued tokens live at 40m, one notice a minute.
    const asLimited = run('law-firm-cross-domain', [
      'profile=aauth-latest',
      'interventions=[{at: const(40m), person: erin, agent: reviewer, action: terminate}]',
      'topology.access_servers[as.lawfirm].revocation={rate_limit: {calls: 1, per: 1m}}',
    ]);
    const asRefused = asLimited.filter((e) => e.type === 'revocation.rate_limited' && e.to === 'as.lawfirm');
    expect(asRefused).toHaveLength(1);
    const notified = asLimited.filter((e) => e.type === 'revocation.downstream');
    expect(notified).toHaveLength(2);
    expect((notified[1] as Event).t).toBeGreaterThan((asRefused[0] as Event).t + ((asRefused[0] as Event).retry_after_us as number));
    // Off by default: the same run without the knob has no 429.
    expect(run('law-firm-cross-domain', ['profile=aauth-latest', TERMINATE]).some((e) => e.type === 'revocation.rate_limited')).toBe(false);
  });

  it('a 202 is polled: each answer reaches the PS a round trip after the last, Retry-After apart, and the 200 only after the cascade is done there', () => {
    for (const [profile, retryAfter] of [
      ['aauth-latest', 60_000_000],
      ['aauth-r11', 1_000_000], // retry_after's default: 1s
    ] as const) {
      const hotels =
        retryAfter === 1_000_000
          ? 'topology.resources[hotels.example].revocation={mode: push}'
          : 'topology.resources[hotels.example].revocation={mode: push, retry_after: 1m}';
      const events = run('after-hours-concierge', [`profile=${profile}`, PAYMENTS_DOWN[0] as string, hotels]);
      // The hold's reservation token: hotels cascades it to payments (down for an hour), so it answers 202 until that is done.
      const held = events.find((e) => e.type === 'revocation.answered' && e.resource === 'hotels.example' && e.status === 202) as Event;
      const answers = events.filter((e) => e.type === 'revocation.answered' && e.jti === held.jti);
      expect(answers.length).toBeGreaterThan(2);
      expect(answers.slice(0, -1).every((e) => e.status === 202 && e.retry_after_us === retryAfter)).toBe(true);
      const last = answers.at(-1) as Event;
      expect(last.status).toBe(200);
      for (let i = 1; i < answers.length; i++) expect((answers[i] as Event).t - (answers[i - 1] as Event).t).toBeGreaterThan(retryAfter);
      // The PS learns of the cascade's end only from a poll answered after it: strictly later, never at the same instant.
      const done = events.find((e) => e.type === 'revocation.cascade_done' && e.actor === 'resource:hotels.example') as Event;
      expect(last.t).toBeGreaterThan(done.t);
      expect((answers.at(-2) as Event).t).toBeLessThan(done.t + retryAfter + 1);
    }
  });
});

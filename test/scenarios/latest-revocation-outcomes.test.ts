import { describe, expect, it } from 'vitest';
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

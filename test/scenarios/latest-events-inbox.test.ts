import { describe, expect, it } from 'vitest';
import { type Event, runEvents as run } from './run-events.ts';

/** Operations executed after the mission was terminated, and the time from termination to the last of them. */
function afterTermination(events: Event[]): { ops: number; windowUs: number } {
  const terminated = (events.find((e) => e.type === 'mission.terminated') as Event).t;
  const late = events.filter((e) => e.type === 'op.executed' && e.t > terminated);
  return { ops: late.length, windowUs: late.length === 0 ? 0 : (late.at(-1) as Event).t - terminated };
}

describe('aauth-latest events inbox: the PS tells the agent its mission ended', () => {
  // ttl-only-window: the resource is never told of revocations (TTL only); the agent works continuously; the person terminates at a random time.
  // Seeds where r11's agent still held a live token when the mission was terminated.
  const SEEDS = [2, 3, 5];

  it('under r11 the agent keeps working until its token runs out; under latest it stops one message after the termination', () => {
    for (const seed of SEEDS) {
      const r11 = afterTermination(run('ttl-only-window', ['profile=aauth-r11'], seed));
      expect(r11.ops, `seed ${seed}`).toBeGreaterThan(0);
      const events = run('ttl-only-window', ['profile=aauth-latest'], seed);
      expect(afterTermination(events), `seed ${seed}`).toEqual({ ops: 0, windowUs: 0 });
      const terminated = events.find((e) => e.type === 'mission.terminated') as Event;
      const pushed = events.find((e) => e.type === 'event.pushed') as Event;
      const received = events.find((e) => e.type === 'event.received') as Event;
      expect(pushed).toMatchObject({ actor: 'ps:ps', to: 'ap:worker', agent: 'worker', event: 'mission.terminated', t: terminated.t });
      expect(received).toMatchObject({ actor: 'ap:worker', mission: terminated.mission });
      expect(received.t).toBeGreaterThan(terminated.t);
      // It stopped without asking the PS for a token it would have been refused.
      const stopped = events.find((e) => e.type === 'agent.stopped') as Event;
      expect(stopped.t).toBeGreaterThanOrEqual(received.t);
      expect(events.some((e) => e.type === 'token.auth_denied' && e.t > terminated.t)).toBe(false);
    }
  });

  it('r11 has no inbox: no events are pushed', () => {
    const events = run('ttl-only-window', ['profile=aauth-r11'], 2);
    expect(events.some((e) => e.type.startsWith('event.'))).toBe(false);
  });

  it("does not reach work already sent: seed 000's queued export still runs after the termination", () => {
    const events = run('bulk-export-after-terminate', ['profile=aauth-latest']);
    const terminated = (events.find((e) => e.type === 'mission.terminated') as Event).t;
    expect(events.some((e) => e.type === 'event.received')).toBe(true);
    expect(events.some((e) => e.type === 'op.executed' && e.op === 'bulk_export' && e.t > terminated)).toBe(true);
  });
});

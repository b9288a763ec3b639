import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../sim/engine/simulation.ts';
import { ServiceDoor } from '../../../sim/protocol/service-door.ts';
import { compilePersonServer } from '../../../sim/scenario/compile.ts';
import type { PersonServerDef } from '../../../sim/scenario/schema.ts';
import { WorldContext } from '../../../sim/world/context.ts';
import { RecordingSink } from '../world/recording-sink.ts';

const MS = 1_000;
const S = 1_000_000;

function door(def: Partial<PersonServerDef>) {
  const sim = new Simulation();
  const audit = new RecordingSink();
  const front = new ServiceDoor(new WorldContext(sim, 1, audit), 'ps:home', compilePersonServer({ id: 'home', ...def } as PersonServerDef));
  const seen: string[] = [];
  const knock = (name: string, at: number) =>
    sim.schedule(at, () =>
      front.serve(
        () => seen.push(`${sim.now} ${name} served`),
        () => seen.push(`${sim.now} ${name} 503`),
      ),
    );
  return { sim, audit, front, seen, knock };
}

describe('ServiceDoor', () => {
  it('serves requests through its queue: one server, one service time each, in arrival order', () => {
    const { sim, seen, knock } = door({ queue: { servers: 1, service: 'const(5ms)' } });
    knock('a', 0);
    knock('b', 0);
    knock('c', 1 * MS);
    sim.run();
    expect(seen).toEqual([`${5 * MS} a served`, `${10 * MS} b served`, `${15 * MS} c served`]);
  });

  it('answers 503 at once during an outage, logged as ps.unavailable, and serves again after it', () => {
    const { sim, audit, front, seen, knock } = door({ queue: { servers: 1, service: 'const(5ms)' }, outages: [{ at: '10s', for: '5s' }] });
    knock('before', 9 * S);
    knock('during', 10 * S);
    knock('last-instant', 15 * S - 1);
    knock('after', 15 * S);
    sim.run();
    expect(seen).toEqual([`${9 * S + 5 * MS} before served`, `${10 * S} during 503`, `${15 * S - 1} last-instant 503`, `${15 * S + 5 * MS} after served`]);
    expect(audit.events.map((event) => [event.t, event.type, event.fields])).toEqual([
      [10 * S, 'ps.unavailable', { status: 503 }],
      [15 * S - 1, 'ps.unavailable', { status: 503 }],
    ]);
    expect(front.down).toBe(false);
  });

  it('answers 503 when its queue is full, logged as ps.overloaded', () => {
    const { sim, audit, seen, knock } = door({ queue: { servers: 1, capacity: 1, service: 'const(5ms)' } });
    knock('a', 0);
    knock('b', 0);
    sim.run();
    expect(seen).toEqual(['0 b 503', `${5 * MS} a served`]);
    expect(audit.ofType('ps.overloaded')).toHaveLength(1);
  });
});

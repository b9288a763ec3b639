import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../sim/run.ts';
import { loadScenario } from '../../../sim/scenario/load.ts';
import { readLines, tempDir, writeScenario } from '../../helpers.ts';

type Event = { t: number; type: string; actor: string } & Record<string, unknown>;

/** One agent buying once; `network` is the scenario's network section (flow YAML). */
function run(network: string): Event[] {
  const text = `name: lossy
description: retrying request unit scenario
duration: 1h
profile: aauth-r01
network: ${network}
topology:
  person_servers: [{ id: ps, approval: immediate }]
  resources:
    - { id: shop, queue: { servers: 1, service: 100ms }, operations: [{ name: buy, class: goods, action: transfer }] }
people: [{ id: owner }]
agents:
  - id: a
    person: owner
    ps: ps
    mission: { description: Buy., scope: [shop/buy] }
    plan:
      - { op: shop/buy }
`;
  const dir = join(tempDir(), 'run');
  runScenario(loadScenario(writeScenario(text)), { outDir: dir, seed: 1 });
  return readLines(join(dir, 'events.jsonl')).map((line) => JSON.parse(line) as Event);
}

const wire = (log: Event[]) =>
  log
    .filter((e) => e.type === 'message.lost' || e.type === 'agent.retry' || e.type.startsWith('agent.'))
    .map(
      (e) =>
        `${e.t} ${e.type} ${e.actor} ${JSON.stringify({ ...e, t: undefined, type: undefined, actor: undefined, mission: undefined, seq: undefined, hash: undefined, prev: undefined })}`,
    );

describe('retrying requests over a lost link', () => {
  it('sends again after each timeout, up to the retries, then gives up', () => {
    expect(wire(run('{ latency: const(10ms), timeout: 10s, retries: 2, links: [{ agent: a, peer: ps, loss: 1 }] }'))).toEqual([
      '0 message.lost agent:a {"to":"ps:ps"}',
      '10000000 agent.retry agent:a {"to":"ps:ps","attempt":1,"timeout_us":10000000}',
      '10000000 message.lost agent:a {"to":"ps:ps"}',
      '20000000 agent.retry agent:a {"to":"ps:ps","attempt":2,"timeout_us":10000000}',
      '20000000 message.lost agent:a {"to":"ps:ps"}',
      '30000000 agent.stopped agent:a {"reason":"no answer from ps:ps after 3 attempts"}',
    ]);
  });

  it('an answer slower than the timeout on a lossy link: sent again, and the first answer wins', () => {
    const log = wire(run('{ latency: const(6s), timeout: 10s, retries: 2, links: [{ agent: a, peer: ps, loss: 0.000001 }] }'));
    // Each PS round trip takes 12 s: every request is sent once more at its 10 s timeout, and the first answer (at 12 s) is used.
    expect(log[0]).toBe('10000000 agent.retry agent:a {"to":"ps:ps","attempt":1,"timeout_us":10000000}');
    expect(log.filter((line) => line.includes('agent.retry')).every((line) => line.includes('"attempt":1,'))).toBe(true);
    expect(log.filter((line) => line.includes('message.lost') || line.includes('agent.stopped'))).toEqual([]);
    expect(log.at(-1)).toMatch(/ agent\.finished agent:a /);
  });

  it('a link without loss is never retried, however slow', () => {
    const log = wire(run('{ latency: const(6s), timeout: 10s, retries: 2 }'));
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(/ agent\.finished agent:a /);
  });
});

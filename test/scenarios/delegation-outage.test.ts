import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../sim/engine/simulation.ts';
import type { LoggedEvent } from '../../sim/log/read-log.ts';
import type { PersonServer } from '../../sim/protocol/person-server.ts';
import type { DelegationAnswer } from '../../sim/protocol/ps-messages.ts';
import { runScenario } from '../../sim/run.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import { WorldContext } from '../../sim/world/context.ts';
import { World } from '../../sim/world/world.ts';
import { RecordingSink } from '../sim/world/recording-sink.ts';
import { readLines, SCENARIOS, tempDir } from '../helpers.ts';

/**
 * A Person Server that is down answers a delegation request 503 with its
 * Retry-After (`unavailable`), not 202 (`pending`: the PS will decide
 * later). A sub-agent waits either out, as it always did: under an outage
 * from 4 min to 14 min, vendor-onboarding-chain's two hops (asked at 5 and
 * 12 min) are minted once the PS is back.
 */
const MINUTE = 60_000_000;
const SCENARIO = join(SCENARIOS, 'vendor-onboarding-chain.yaml');
const OUTAGE = 'topology.person_servers[0].outages=[{at: 4m, for: 10m}]';

describe('a delegation request during a Person Server outage', () => {
  it('is answered unavailable with the Retry-After the PS gives every caller (its poll interval)', () => {
    const { spec } = loadScenario(SCENARIO, [OUTAGE, 'duration=20m']);
    const sim = new Simulation();
    const world = new World(new WorldContext(sim, 1, new RecordingSink()), spec);
    const ps = world.protocol.personServers.get('ps.acme') as PersonServer;
    const answers: DelegationAnswer[] = [];
    sim.schedule(6 * MINUTE, () => ps.requestDelegation('onboarding', 'procurement', 'raise the PO', undefined, (answer) => answers.push(answer)));
    sim.run(7 * MINUTE);
    expect(answers).toEqual([{ status: 'unavailable', retryAfter: 5_000_000 }]);
  });

  it('a sub-agent waits the outage out and is minted after it, as for a deferral', () => {
    const dir = join(tempDir(), 'run');
    runScenario(loadScenario(SCENARIO, [OUTAGE]), { outDir: dir }); // the scenario's own seed (3), under which both hops are minted
    const events = readLines(join(dir, 'events.jsonl')).map((line) => JSON.parse(line) as LoggedEvent);
    const granted = events.filter((e) => e.type === 'delegation.granted');
    expect(granted.map((e) => e.child)).toEqual(['procurement', 'reconciliation']);
    for (const e of granted) expect(e.t).toBeGreaterThanOrEqual(14 * MINUTE);
    expect(events.filter((e) => e.type === 'agent.stopped' && /delegation/.test(String(e.reason)))).toEqual([]);
    expect(events.filter((e) => e.type === 'ps.unavailable').length).toBeGreaterThan(0);
  });
});

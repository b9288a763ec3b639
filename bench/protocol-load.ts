import type { Scenario } from '../sim/scenario/schema.ts';

/** Agent i starts at i mod this many seconds, so from then on every agent is at work. */
export const PROTOCOL_START_SPREAD_S = 600;

/**
 * A protocol workload for benchmarks: `agents` agents under one Person
 * Server, each working through a repeating three-step plan over shared
 * resources for one simulated hour, tokens renewed as they expire. `think`,
 * the mean wait before each step, is there for experiments that change the
 * event rate apart from the number of agents (docs/benchmarks/scaling.md);
 * the benchmarks use the default.
 */
export function protocolLoadScenario(agents: number, duration = '1h', think = '30s'): Scenario {
  const resources = ['crm', 'mail', 'files'].map((id) => ({
    id,
    queue: { servers: 64, service: 'exp(50ms)' },
    operations: [{ name: 'read' }, { name: 'write' }],
  }));
  return {
    name: `protocol-load-${agents}`,
    description: 'benchmark load',
    duration,
    seed: 1,
    profile: 'aauth-r11',
    topology: { person_servers: [{ id: 'ps', queue: { servers: 16, service: 'exp(1ms)' } }], resources },
    people: [{ id: 'owner' }],
    agents: Array.from({ length: agents }, (_, i) => ({
      id: `agent-${i}`,
      person: 'owner',
      ps: 'ps',
      start: `${i % PROTOCOL_START_SPREAD_S}s`,
      mission: { description: `task ${i}`, scope: ['crm/read', 'mail/write', 'files/read'] },
      plan: [
        { op: 'crm/read', after: `exp(${think})` },
        { op: 'mail/write', after: `exp(${think})` },
        { op: 'files/read', after: `exp(${think})` },
      ],
      repeat: true,
    })),
  };
}

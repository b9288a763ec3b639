import type { Scenario } from '../sim/scenario/schema.ts';

/**
 * A protocol workload for benchmarks: `agents` agents under one Person
 * Server, each working through a repeating three-step plan over shared
 * resources for one simulated hour, tokens renewed as they expire.
 */
export function protocolLoadScenario(agents: number, duration = '1h'): Scenario {
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
      start: `${i % 600}s`,
      mission: { description: `task ${i}`, scope: ['crm/read', 'mail/write', 'files/read'] },
      plan: [
        { op: 'crm/read', after: 'exp(30s)' },
        { op: 'mail/write', after: 'exp(30s)' },
        { op: 'files/read', after: 'exp(30s)' },
      ],
      repeat: true,
    })),
  };
}

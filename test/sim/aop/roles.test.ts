import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AauthChain } from '../../../sim/aop/aauth-chain.ts';
import { AttackOracle } from '../../../sim/aop/attack-oracle.ts';
import { Attacker } from '../../../sim/aop/attacker.ts';
import { StandingPlans } from '../../../sim/aop/eod.ts';
import { Gec } from '../../../sim/aop/gec.ts';
import { GecIntake } from '../../../sim/aop/gec-intake.ts';
import { GecLink } from '../../../sim/aop/gec-link.ts';
import { GecReplanning } from '../../../sim/aop/gec-replanning.ts';
import { HemEscalation } from '../../../sim/aop/hem-escalation.ts';
import { OrchestrationTally } from '../../../sim/aop/metrics.ts';
import { MissionDesk } from '../../../sim/aop/mission-desk.ts';
import { Orchestrator } from '../../../sim/aop/orchestrator.ts';
import { MissionPlan } from '../../../sim/aop/plan.ts';
import { MissionStatus } from '../../../sim/aop/status.ts';
import { SubAgent } from '../../../sim/aop/sub-agent.ts';
import { Simulation } from '../../../sim/engine/simulation.ts';
import { loadScenario } from '../../../sim/scenario/load.ts';
import { WorldContext } from '../../../sim/world/context.ts';
import { trueIntents, World } from '../../../sim/world/world.ts';
import { importGraph, type ImportGraph } from '../../architecture/import-graph.ts';
import { SCENARIOS } from '../../helpers.ts';
import { RecordingSink } from '../world/recording-sink.ts';

/**
 * Issue 17 ("a party still decides from state it could not have received"):
 * the AOP roles are separate classes, and none is handed another's state.
 * Two checks: no role's file imports another role's files (so no role can
 * even name another's class or state), and at run time no role instance
 * reaches, through anything it holds, an instance of another role's classes
 * (roles hold each other only as inboxes of functions, ports.ts).
 */

/** The roles, and `shared`: what they all hold (the GEC channel, the oracle's ledger, the tally, the PS client). */
type Role = 'orchestrator' | 'sub-agent' | 'gec' | 'attacker' | 'shared';

/** The files of each role, and its state classes. */
const FILES: Record<Exclude<Role, 'shared'>, readonly string[]> = {
  orchestrator: ['sim/aop/orchestrator.ts'],
  'sub-agent': ['sim/aop/sub-agent.ts'],
  attacker: ['sim/aop/attacker.ts'],
  gec: [
    'sim/aop/mission-desk.ts',
    'sim/aop/gec-desk.ts',
    'sim/aop/gec-intake.ts',
    'sim/aop/gec-replanning.ts',
    'sim/aop/gec.ts',
    'sim/aop/hem-escalation.ts',
    'sim/aop/status.ts',
    'sim/aop/plan.ts',
  ],
};
// biome-ignore lint/suspicious/noExplicitAny: any class
type Class = abstract new (...args: any[]) => object;
const CLASSES: ReadonlyArray<[Class, Role[]]> = [
  [Orchestrator, ['orchestrator']],
  [SubAgent, ['sub-agent']],
  [Attacker, ['attacker']],
  [MissionDesk, ['gec']],
  [GecIntake, ['gec']],
  [GecReplanning, ['gec']],
  [Gec, ['gec']],
  [HemEscalation, ['gec']],
  [MissionStatus, ['gec']],
  [MissionPlan, ['gec']],
  // The Standing Plan Objects where they are stored: the GEC resolves references there, an attacker alters them,
  // the oracle compares them with the reviewed ones.
  [StandingPlans, ['gec', 'attacker', 'shared']],
];
/** What every role may hold and the walk does not enter from a role (each is walked as `shared`): the context, the GEC channel, the oracle's write-only ledger, the tally, the PS client. */
const BOUNDARIES: readonly Class[] = [WorldContext, GecLink, AttackOracle, OrchestrationTally, AauthChain];

/** The files a role's files import that belong to another role. */
function crossImports(graph: ImportGraph): string[] {
  const found: string[] = [];
  const owner = new Map<string, Role>();
  for (const [role, files] of Object.entries(FILES) as Array<[Role, string[]]>) for (const file of files) owner.set(file, role);
  for (const [file, role] of owner) {
    for (const target of graph.get(file) ?? []) {
      const other = owner.get(target);
      if (other !== undefined && other !== role) found.push(`${file} (${role}) imports ${target} (${other})`);
    }
  }
  return found;
}

/** Every instance of another role's classes that `root` (a role of `role`) reaches through what it holds. */
function crossHoldings(root: object, role: Role): string[] {
  const found: string[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown, path: string): void => {
    if (value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (value !== root) {
      const owners = CLASSES.find(([cls]) => value instanceof cls)?.[1];
      if (owners && !owners.includes(role)) {
        found.push(`${path}: ${value.constructor.name} (${owners.join(', ')})`);
        return;
      }
      if (BOUNDARIES.some((cls) => value instanceof cls)) return;
    }
    if (value instanceof Map) {
      for (const [key, item] of value) visit(item, `${path}.get(${String(key)})`);
    } else if (value instanceof Set || Array.isArray(value)) {
      for (const [i, item] of [...value].entries()) visit(item, `${path}[${i}]`);
    } else {
      for (const [key, item] of Object.entries(value)) visit(item, `${path}.${key}`);
    }
  };
  visit(root, role);
  return found;
}

/** The AOP world of a scenario, run to its horizon (so every role holds what it was sent). */
function builtWorld(name: string, overrides: string[] = []) {
  const { spec } = loadScenario(join(SCENARIOS, `${name}.yaml`), overrides);
  const sim = new Simulation();
  const world = new World(new WorldContext(sim, 1, new RecordingSink(), undefined, trueIntents(spec)), spec);
  sim.run(30 * 60e6);
  world.finish();
  return world.orchestration?.roles() as NonNullable<ReturnType<NonNullable<World['orchestration']>['roles']>>;
}

const ROOT = new URL('../../../', import.meta.url).pathname;

describe('the AOP roles are separate: none is handed another role or its state (issue 17)', () => {
  it("no role's file imports another role's files", () => {
    const graph = importGraph(ROOT, ['sim']);
    expect(graph.get('sim/aop/aop-world.ts')).toContain('sim/aop/orchestrator.ts');
    expect(crossImports(graph)).toEqual([]);
  });

  it('the import check fails on a role file that imports another role', () => {
    const bad = new Map([['sim/aop/orchestrator.ts', "import type { MissionStatus } from './status.ts';\nimport type { SubAgent } from './sub-agent.ts';\n"]]);
    expect(crossImports(importGraph(ROOT, ['sim'], bad))).toEqual([
      'sim/aop/orchestrator.ts (orchestrator) imports sim/aop/status.ts (gec)',
      'sim/aop/orchestrator.ts (orchestrator) imports sim/aop/sub-agent.ts (sub-agent)',
    ]);
  });

  const cases: Array<[string, string[]]> = [
    ['aop-attacks', []],
    ['aop-attacks', ['orchestration.governance=chaining']],
    ['emergency-three-tier', ['orchestration.revocations=[{trigger: R-3, at: 3m, agent: local-ai-1}]']],
    ['procurement-hem-gate', []],
    ['myauberge-travel', ['orchestration.governance=chaining']],
  ];
  for (const [name, overrides] of cases) {
    it(`at run time no role reaches another's instances: ${name} ${overrides.join(' ')}`, () => {
      const roles = builtWorld(name, overrides);
      expect(roles.subAgents.length).toBeGreaterThan(0);
      const found = [
        ...crossHoldings(roles.orchestrator, 'orchestrator'),
        ...roles.subAgents.flatMap((agent) => crossHoldings(agent, 'sub-agent')),
        ...crossHoldings(roles.desk, 'gec'),
        ...crossHoldings(roles.attacker, 'attacker'),
        ...roles.shared.flatMap((shared) => crossHoldings(shared, 'shared')),
      ];
      expect(roles.shared.length).toBeGreaterThanOrEqual(3);
      expect(found).toEqual([]);
    });
  }

  it('the run-time check fails on a role that holds another role or its state', () => {
    const roles = builtWorld('emergency-three-tier');
    const desk = roles.desk as MissionDesk;
    const sneaky = Object.assign(Object.create(Orchestrator.prototype) as object, {
      ...roles.orchestrator,
      peek: { status: desk.status },
      peers: [roles.subAgents[0]],
    });
    expect(crossHoldings(sneaky, 'orchestrator')).toEqual(['orchestrator.peek.status: MissionStatus (gec)', 'orchestrator.peers[0]: SubAgent (sub-agent)']);
    expect(crossHoldings(roles.attacker, 'sub-agent')).toEqual(['sub-agent.standingPlans: StandingPlans (gec, attacker, shared)']);
    expect(crossHoldings({ inbox: new Map([['x', roles.desk]]) }, 'shared')).toEqual(['shared.inbox.get(x): MissionDesk (gec)']);
  });
});

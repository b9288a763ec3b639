import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../sim/run.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import { intentReadKinds } from '../../sim/truth/intent-leak.ts';
import { SCENARIOS, tempDir } from '../helpers.ts';

/**
 * The information boundary, proved by running: replace every mission's
 * intent with one that has nothing to do with it. Where no design of the
 * scenario declares that it reads the intent (sim/truth/intent-leak.ts),
 * no party can have read it, so the audit log is byte-identical and only
 * the oracle's records change. Where designs declare it, the list is
 * pinned here, so it cannot grow without this test changing.
 */
const UNRELATED = { grants: [{ class: 'unrelated-class', actions: ['unrelated-action'] }], exclusions: [{ class: 'also-unrelated' }], max_depth: 0 };

/** The designs each scenario declares as reading the intent (the README's known biases). */
const DECLARED: Record<string, string[]> = {
  'vendor-onboarding-chain': ['text'],
  'law-firm-cross-domain trust=clarify': ['clarify'],
};

function cases(): Array<[name: string, file: string, overrides: string[]]> {
  const list: Array<[string, string, string[]]> = readdirSync(SCENARIOS)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => [f.slice(0, -'.yaml'.length), join(SCENARIOS, f), f === 'mm1.yaml' || f === 'mmc.yaml' ? ['duration=2h'] : []]);
  // Designs that hold an envelope without reading the intent: their grants come from the approved scope.
  for (const model of ['scopes', 'tools', 'r3', 'envelope']) {
    list.push([
      `vendor-onboarding-chain authority=${model}`,
      join(SCENARIOS, 'vendor-onboarding-chain.yaml'),
      [`topology.person_servers[0].authority=${model}`],
    ]);
  }
  // The envelope design compiles the approved envelope (with compilation errors, drawn from the PS's own stream), and
  // envelope-projection projects what the PS enforces: neither reads the intent.
  list.push(['law-firm-cross-domain authority=envelope', join(SCENARIOS, 'law-firm-cross-domain.yaml'), ['topology.person_servers[0].authority=envelope']]);
  list.push([
    'law-firm-cross-domain authority=envelope, compilation errors',
    join(SCENARIOS, 'law-firm-cross-domain.yaml'),
    ['topology.person_servers[0].authority=envelope', 'authority.compilation={omit_exclusion: 0.5, overbroad_bound: {p: 0.5}, missing_stage: 0.5}'],
  ]);
  list.push(['law-firm-cross-domain trust=clarify', join(SCENARIOS, 'law-firm-cross-domain.yaml'), ['topology.access_servers[0].trust=clarify']]);
  list.push(['law-firm-cross-domain trust=trust-all', join(SCENARIOS, 'law-firm-cross-domain.yaml'), ['topology.access_servers[0].trust=trust-all']]);
  list.push(['due-diligence-drift monitor off', join(SCENARIOS, 'due-diligence-drift.yaml'), ['monitor.enabled=false']]);
  // People who err and tire, at the gate and at permission requests: they still judge what they are shown, not the intent.
  list.push([
    'prompt-injection-exfiltration careless person',
    join(SCENARIOS, 'prompt-injection-exfiltration.yaml'),
    ['people[reader].off_mission_approval=0.5', 'people[reader].fatigue=1'],
  ]);
  list.push([
    'after-hours-concierge careless person',
    join(SCENARIOS, 'after-hours-concierge.yaml'),
    ['people[alice].off_mission_approval=0.5', 'people[alice].on_mission_refusal=0.5'],
  ]);
  // The PS's mission budget decides from its own limits and grants, never from the intent's budget.
  list.push([
    'plausible-reading-drift ps-budget',
    join(SCENARIOS, 'plausible-reading-drift.yaml'),
    ['topology.person_servers[ps.firm].budget.enabled=true', 'monitor.enabled=false'],
  ]);
  return list;
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Runs the scenario (seed 1), every mission's intent replaced by UNRELATED when `swap` (a valid intent: the loader's checks still hold). */
function run(file: string, overrides: string[], swap: boolean): { events: string; truth: string } {
  const loaded = loadScenario(file, overrides);
  const spec = structuredClone(loaded.spec);
  if (swap) for (const agent of spec.agents ?? []) if (agent.mission) agent.mission.intent = structuredClone(UNRELATED);
  const out = tempDir();
  runScenario({ ...loaded, spec }, { seed: 1, outDir: out });
  return { events: sha256(join(out, 'events.jsonl')), truth: sha256(join(out, 'truth.jsonl')) };
}

describe('the intent reaches only the designs that declare they read it', () => {
  for (const [name, file, overrides] of cases()) {
    it(name, () => {
      const spec = loadScenario(file, overrides).spec;
      const declared = [...intentReadKinds(spec)];
      expect(declared, 'declared intent reads').toEqual(DECLARED[name] ?? []);
      if (declared.length > 0) return;
      const missions = (spec.agents ?? []).filter((agent) => agent.mission !== undefined);
      const before = run(file, overrides, false);
      const after = run(file, overrides, true);
      expect(after.events, 'events.jsonl with an unrelated intent').toBe(before.events);
      // The oracle did see the new intent (a mission's truth record carries it).
      if (missions.length > 0) expect(after.truth).not.toBe(before.truth);
    });
  }

  it('a declared design does read it: the log changes with the intent', () => {
    const file = join(SCENARIOS, 'vendor-onboarding-chain.yaml');
    const before = run(file, [], false);
    const after = run(file, [], true);
    expect(after.events).not.toBe(before.events);
  });
});

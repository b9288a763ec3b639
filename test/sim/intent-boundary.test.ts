import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deriveEnvelope, envelopeDef, operationIndex } from '../../sim/authority/renderings.ts';
import { runScenario } from '../../sim/run.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import type { IntentDef, Scenario } from '../../sim/scenario/schema.ts';
import { SCENARIOS, tempDir } from '../helpers.ts';

/**
 * The information boundary, proved by running. The intent reaches the log
 * only through the world's authoring step, whose output is logged
 * (`mission.authored`: the scope, what the text says and, for an envelope
 * PS, the approved envelope where it is not the text). So:
 * 1. Pinning each mission's authored output to what the log says it was
 *    (`written`, `approved` and `scope` in the scenario) gives the same events.jsonl,
 *    byte for byte: the log holds everything the authoring step handed on.
 * 2. With the authored missions pinned, replacing every mission's intent by
 *    one that has nothing to do with it gives the same events.jsonl again:
 *    every party's decisions are a function of the logged authored mission,
 *    never of the intent. Only the oracle's records change.
 * A mission that states only a scope has its text pinned to that scope.
 */
const UNRELATED = { grants: [{ class: 'unrelated-class', actions: ['unrelated-action'] }], exclusions: [{ class: 'also-unrelated' }], max_depth: 0 };

type Case = [name: string, file: string, overrides: string[], edit?: (spec: Scenario) => void];

/** Every mission given as intent only (no scope): the authoring step renders the scope from what it writes. */
const withoutScope = (spec: Scenario) => {
  for (const agent of spec.agents ?? []) if (agent.mission?.intent) delete agent.mission.scope;
};

function cases(): Case[] {
  const list: Case[] = readdirSync(SCENARIOS)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => [f.slice(0, -'.yaml'.length), join(SCENARIOS, f), f === 'mm1.yaml' || f === 'mmc.yaml' ? ['duration=2h'] : []]);
  const vendor = join(SCENARIOS, 'vendor-onboarding-chain.yaml');
  const law = join(SCENARIOS, 'law-firm-cross-domain.yaml');
  const authoringErrors = 'authority.authoring={omit_exclusion: 0.5, overbroad_bound: {p: 0.5}, missing_stage: 0.5, vague_resources: 0.5}';
  for (const model of ['scopes', 'tools', 'r3', 'envelope'])
    list.push([`vendor-onboarding-chain authority=${model}`, vendor, [`topology.person_servers[0].authority=${model}`]]);
  // The three designs that used to read the intent (text PS, a mission without scope, a clarify AS), with and without authoring errors.
  list.push(['vendor-onboarding-chain (text) authoring errors', vendor, [authoringErrors]]);
  list.push(['vendor-onboarding-chain (text) without scope', vendor, [], withoutScope]);
  list.push([
    'vendor-onboarding-chain authority=envelope without scope, authoring errors',
    vendor,
    ['topology.person_servers[0].authority=envelope', authoringErrors],
    withoutScope,
  ]);
  list.push(['law-firm-cross-domain authority=envelope', law, ['topology.person_servers[0].authority=envelope']]);
  // The approved envelope an envelope PS compiles is written by the person too, errors included.
  list.push(['law-firm-cross-domain authority=envelope, authoring errors', law, ['topology.person_servers[0].authority=envelope', authoringErrors]]);
  list.push([
    'law-firm-cross-domain authority=envelope, compilation errors',
    law,
    ['topology.person_servers[0].authority=envelope', 'authority.compilation={omit_exclusion: 0.5, overbroad_bound: {p: 0.5}, missing_stage: 0.5}'],
  ]);
  list.push(['law-firm-cross-domain trust=clarify', law, ['topology.access_servers[0].trust=clarify']]);
  list.push(['law-firm-cross-domain trust=clarify authoring errors', law, ['topology.access_servers[0].trust=clarify', authoringErrors]]);
  list.push([
    'law-firm-cross-domain trust=clarify reader=envelope, compilation errors',
    law,
    [
      'topology.access_servers[0].trust=clarify',
      'topology.access_servers[0].authority=envelope',
      'authority.compilation={omit_exclusion: 1, overbroad_bound: {p: 1}}',
    ],
  ]);
  list.push(['law-firm-cross-domain trust=trust-all', law, ['topology.access_servers[0].trust=trust-all']]);
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

interface Run {
  events: string;
  truth: string;
  /** The authoring step's logged output, by agent. */
  authored: Map<string, { scope: string[]; text: IntentDef; approved?: IntentDef }>;
}

function run(spec: Scenario, loaded: ReturnType<typeof loadScenario>): Run {
  const out = tempDir();
  runScenario({ ...loaded, spec }, { seed: 1, outDir: out });
  const authored: Run['authored'] = new Map();
  for (const line of readFileSync(join(out, 'events.jsonl'), 'utf8').split('\n')) {
    if (!line.includes('"mission.authored"')) continue;
    const event = JSON.parse(line) as { type: string; agent: string; scope: string[]; text: IntentDef; approved?: IntentDef };
    if (event.type !== 'mission.authored') continue;
    authored.set(event.agent, { scope: event.scope, text: event.text, ...(event.approved ? { approved: event.approved } : {}) });
  }
  return { events: sha256(join(out, 'events.jsonl')), truth: sha256(join(out, 'truth.jsonl')), authored };
}

/** The scenario with each mission's authored output pinned to what `logged` says (a scope-only mission: its text is its scope). */
function pinned(spec: Scenario, logged: Run['authored'], intent: IntentDef | undefined): Scenario {
  const copy = structuredClone(spec);
  const ops = operationIndex(copy.topology.resources);
  for (const agent of copy.agents ?? []) {
    const mission = agent.mission;
    if (!mission) continue;
    const authored = logged.get(agent.id);
    mission.scope = authored?.scope ?? mission.scope;
    mission.written = authored?.text ?? envelopeDef(deriveEnvelope(mission.scope ?? [], ops));
    // No `approved` logged: the approved envelope is the text.
    if (authored) mission.approved = authored.approved ?? authored.text;
    if (intent) mission.intent = structuredClone(intent);
  }
  return copy;
}

describe('every party decides from the logged authored mission, never from the intent', () => {
  for (const [name, file, overrides, edit] of cases()) {
    it(name, () => {
      const loaded = loadScenario(file, overrides);
      const spec = structuredClone(loaded.spec);
      edit?.(spec);
      const missions = (spec.agents ?? []).filter((agent) => agent.mission !== undefined);
      const actual = run(spec, loaded);
      const declared = missions.filter((agent) => agent.mission?.intent !== undefined).map((agent) => agent.id);
      // The authoring step logs a text for every mission whose intent is declared, and only for those.
      expect([...actual.authored.keys()].sort(), 'missions with mission.authored').toEqual(declared.sort());
      const same = run(pinned(spec, actual.authored, undefined), loaded);
      if (missions.length === declared.length) expect(same.events, 'events.jsonl with the authored output pinned').toBe(actual.events);
      const swapped = run(pinned(spec, actual.authored, UNRELATED as IntentDef), loaded);
      expect(swapped.events, 'events.jsonl with the authored output pinned and an unrelated intent').toBe(same.events);
      // The oracle did see the new intent (a mission's truth record carries it).
      if (missions.length > 0) expect(swapped.truth).not.toBe(same.truth);
    });
  }

  it('the authoring step does read the intent: unpinned, the log changes with it, first in mission.authored', () => {
    const file = join(SCENARIOS, 'vendor-onboarding-chain.yaml');
    const loaded = loadScenario(file, []);
    const out = [tempDir(), tempDir()];
    const swapped = structuredClone(loaded.spec);
    for (const agent of swapped.agents ?? []) if (agent.mission?.intent) agent.mission.intent = structuredClone(UNRELATED) as IntentDef;
    runScenario(loaded, { seed: 1, outDir: out[0] as string });
    runScenario({ ...loaded, spec: swapped }, { seed: 1, outDir: out[1] as string });
    const [a, b] = out.map((dir) => readFileSync(join(dir, 'events.jsonl'), 'utf8').split('\n'));
    const first = (a as string[]).findIndex((line, i) => line !== (b as string[])[i]);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(JSON.parse((b as string[])[first] as string).type).toBe('mission.authored');
  });
});

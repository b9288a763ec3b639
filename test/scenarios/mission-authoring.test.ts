import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import canonicalizeModule from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { runScenario, type RunManifest } from '../../sim/run.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import type { Scenario } from '../../sim/scenario/schema.ts';
import { readLines, SCENARIOS, scenarioProblems, tempDir } from '../helpers.ts';

type Line = Record<string, unknown>;
const canonicalize = canonicalizeModule as unknown as (value: unknown) => string;
const s256 = (value: unknown) => createHash('sha256').update(canonicalize(value), 'utf8').digest('base64url');

/** Runs a shipped scenario (its missions given as intent only, when `noScope`). */
function run(name: string, overrides: string[] = [], seed = 1, noScope = false): { manifest: RunManifest; events: Line[]; truth: Line[] } {
  const loaded = loadScenario(join(SCENARIOS, `${name}.yaml`), overrides);
  const spec: Scenario = structuredClone(loaded.spec);
  if (noScope) for (const agent of spec.agents ?? []) if (agent.mission?.intent) delete agent.mission.scope;
  const dir = join(tempDir(), name);
  const manifest = runScenario({ ...loaded, spec }, { outDir: dir, seed });
  const parse = (file: string) => readLines(join(dir, file)).map((line) => JSON.parse(line) as Line);
  return { manifest, events: parse('events.jsonl'), truth: parse('truth.jsonl') };
}

const outsideIntent = (name: string, overrides: string[], seeds: number[], noScope = false) =>
  seeds.map((seed) => run(name, overrides, seed, noScope).manifest.summary.authority.executed_outside_intent);
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const TEXT = 'topology.person_servers[0].authority=text';
const authoredRecord = (truth: Line[]) => truth.find((r) => r.kind === 'policy' && r.source === 'authored');

describe('authoring: the person writes the mission from what they mean, and every party reads what was written', () => {
  it('is logged before the proposal; at zero error the text says what was meant, and a text PS enforces that text', () => {
    const { events, truth } = run('vendor-onboarding-chain');
    const authored = events.find((e) => e.type === 'mission.authored')!;
    expect(events.indexOf(authored)).toBeLessThan(events.findIndex((e) => e.type === 'mission.proposed'));
    expect(authored).toMatchObject({ actor: 'person:dana', agent: 'onboarding', mission: null });
    expect(authored.scope).toEqual(['vendors.acme/register', 'vendors.acme/lookup', 'procurement.acme/po.create', 'ledger.acme/reconcile']);
    expect(authored.text_sha256).toBe(s256(authored.text));
    // The text PS logs what it enforces: the text it reads, which is what was written.
    const compiled = events.find((e) => e.type === 'policy.compiled')!;
    expect(compiled).toMatchObject({ actor: 'ps:ps.acme', source: 'text', policy: authored.text, policy_sha256: authored.text_sha256 });
    expect(authoredRecord(truth)).toMatchObject({
      decider: 'person:dana',
      model: 'authoring',
      compilation_errors: [],
      within_intent: true,
      covers_intent: true,
    });
  });

  it('an authoring error is logged as written and recorded as an error only in truth.jsonl; the text PS reads the error', () => {
    const { events, truth } = run('vendor-onboarding-chain', ['authority.authoring.overbroad_bound={p: 1, factor: 10}']);
    const text = events.find((e) => e.type === 'mission.authored')!.text as { grants: Array<{ constraints: string[] }> };
    expect(text.grants[1]!.constraints).toEqual(['amount <= 2500000']);
    expect(events.find((e) => e.type === 'policy.compiled')!.policy).toEqual(text);
    expect(events.some((e) => JSON.stringify(e).includes('overbroad_bound'))).toBe(false);
    expect(authoredRecord(truth)).toMatchObject({
      compilation_errors: [{ error: 'overbroad_bound', class: 'procurement', attr: 'amount', approved: 250000, compiled: 2500000 }],
      within_intent: false,
      covers_intent: true,
    });
  });

  it('draws from the stream person:<id>/authoring/<agent>: each seed reproducible, and seeds differ at a rate of one half', () => {
    const texts = SEEDS.map((seed) =>
      JSON.stringify(run('law-firm-cross-domain', ['authority.authoring.omit_exclusion=0.5'], seed).events.find((e) => e.type === 'mission.authored')!.text),
    );
    expect(new Set(texts).size).toBe(2);
    const again = JSON.stringify(
      run('law-firm-cross-domain', ['authority.authoring.omit_exclusion=0.5'], 3).events.find((e) => e.type === 'mission.authored')!.text,
    );
    expect(again).toBe(texts[2]);
  });

  it('a mission without scope: the scope is rendered from the authored text; written vaguely, drift runs outside the intent', () => {
    const exact = run('due-diligence-drift', [], 1, true).events.find((e) => e.type === 'mission.authored')!;
    expect(exact.scope).not.toContain('deal-db/query');
    const vague = run('due-diligence-drift', ['authority.authoring.vague_resources=1'], 1, true).events.find((e) => e.type === 'mission.authored')!;
    expect(vague.scope).toContain('deal-db/query');
    // "the deals" written for "the deal room": the drift toward the deal database is inside what the PS was given.
    expect(outsideIntent('due-diligence-drift', [], SEEDS.slice(0, 5), true)).toEqual([0, 0, 0, 0, 0]);
    const outside = outsideIntent('due-diligence-drift', ['authority.authoring.vague_resources=1'], SEEDS.slice(0, 5), true);
    expect(outside.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it('the text design: a bound written too high lets plausible-reading drift run outside the intent (more than at zero error)', () => {
    const strict = [TEXT, 'authority.text.near_grant=0'];
    const exact = outsideIntent('plausible-reading-drift', strict, SEEDS);
    const overbroad = outsideIntent('plausible-reading-drift', [...strict, 'authority.authoring.overbroad_bound={p: 1, factor: 10000}'], SEEDS);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(sum(overbroad)).toBeGreaterThan(sum(exact));
    // Common random numbers: the same seed draws the same readings, so a looser text only adds grants.
    for (const [i, n] of overbroad.entries()) expect(n).toBeGreaterThanOrEqual(exact[i] as number);
  });

  it('a clarify AS reads the disclosed text (logged as policy.compiled, source disclosed) and the oracle records where it differs', () => {
    const { events, truth } = run('law-firm-cross-domain', ['topology.access_servers[0].trust=clarify']);
    const authored = events.find((e) => e.type === 'mission.authored')!;
    const read = events.find((e) => e.type === 'policy.compiled' && e.source === 'disclosed')!;
    expect(read).toMatchObject({ actor: 'as:as.lawfirm', agent: 'reviewer', policy: authored.text });
    expect(events.indexOf(read)).toBeGreaterThan(events.findIndex((e) => e.type === 'mission.disclosed'));
    expect(truth.find((r) => r.kind === 'policy' && r.source === 'disclosed')).toMatchObject({ decider: 'as:as.lawfirm', model: 'text', within_intent: true });
    // An AS reading with the envelope model compiles the text, with its own errors.
    const env = run('law-firm-cross-domain', [
      'topology.access_servers[0].trust=clarify',
      'topology.access_servers[0].authority=envelope',
      'authority.compilation.omit_exclusion=1',
    ]);
    const compiled = env.events.find((e) => e.type === 'policy.compiled' && e.source === 'disclosed')!;
    expect((compiled.policy as { exclusions: unknown[] }).exclusions).toEqual([]);
    expect(env.truth.find((r) => r.kind === 'policy' && r.source === 'disclosed')).toMatchObject({
      model: 'envelope',
      compilation_errors: [{ error: 'omit_exclusion', class: 'confidential', actions: ['bulk-submit'] }],
    });
  });

  it('a mission that states only a scope has nothing to author: no mission.authored, and its text is its scope', () => {
    const { events } = run('travel-booking', [TEXT]);
    expect(events.some((e) => e.type === 'mission.authored')).toBe(false);
    const text = events.find((e) => e.type === 'policy.compiled')!.policy as { grants: unknown[]; exclusions: unknown[] };
    expect([text.grants.length, text.exclusions]).toEqual([5, []]);
  });

  it('rejects a bad knob with the path into the document', () => {
    const text = readFileSync(join(SCENARIOS, 'law-firm-cross-domain.yaml'), 'utf8');
    const problems = scenarioProblems(text, ['authority.authoring.vague_resources=2']);
    expect(problems.map((p) => p.path)).toContain('authority.authoring.vague_resources');
  });
});

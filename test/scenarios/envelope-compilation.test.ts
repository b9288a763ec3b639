import { createHash } from 'node:crypto';
import { join } from 'node:path';
import canonicalizeModule from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { runScenario, type RunManifest } from '../../sim/run.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import { readLines, SCENARIOS, tempDir } from '../helpers.ts';

type Line = Record<string, unknown>;
const canonicalize = canonicalizeModule as unknown as (value: unknown) => string;

function run(name: string, overrides: string[] = [], seed?: number): { manifest: RunManifest; events: Line[]; truth: Line[] } {
  const dir = join(tempDir(), name);
  const manifest = runScenario(loadScenario(join(SCENARIOS, `${name}.yaml`), overrides), { outDir: dir, seed });
  const parse = (file: string) => readLines(join(dir, file)).map((line) => JSON.parse(line) as Line);
  return { manifest, events: parse('events.jsonl'), truth: parse('truth.jsonl') };
}

const ENVELOPE = 'topology.person_servers[0].authority=envelope';
/** The PS's policy record (the person's authoring records are `policy` records too, decided by `person:<id>`). */
const psPolicy = (truth: Line[]) => truth.find((r) => r.kind === 'policy' && String(r.decider).startsWith('ps:'));
const OMIT = (p: number) => `authority.compilation.omit_exclusion=${p}`;
const NARROWING = (mode: string) => `topology.person_servers[0].narrowing=${mode}`;
const s256 = (value: unknown) => createHash('sha256').update(canonicalize(value), 'utf8').digest('base64url');

describe('approved vs enforced: the envelope design compiles what the person approved (law-firm-cross-domain)', () => {
  it('with a perfect compilation, the enforced policy is the approved envelope: nothing runs outside the intent', () => {
    const { events, truth, manifest } = run('law-firm-cross-domain', [ENVELOPE, OMIT(0)]);
    const approved = events.find((e) => e.type === 'mission.approved')!;
    const compiled = events.find((e) => e.type === 'policy.compiled')!;
    expect(compiled).toMatchObject({ mission: approved.mission, agent: 'reviewer', source: 'approved' });
    // The log holds both what was approved (in the blob the s256 commits to) and what is enforced, with its hash.
    expect(compiled.policy).toEqual((approved.blob as { envelope: unknown }).envelope);
    expect(compiled.policy_sha256).toBe(s256(compiled.policy));
    const policy = psPolicy(truth)!;
    expect(policy).toMatchObject({ event_seq: compiled.seq, compilation_errors: [], covers_intent: true, source: 'approved' });
    // The approved template is broader than Erin meant (up to 5000 documents): the oracle says where.
    expect(policy.within_intent).toBe(false);
    expect(policy.reason).toMatch(/^policy confidential\/submit on counsel\.lawfirm exceeds the intent: /);
    expect(manifest.summary.authority).toMatchObject({ executed_outside_intent: 0, false_denials: 0 });
  });

  it('once compilation omits the exclusion, the bulk submission runs outside the intent, and the log alone proves it', () => {
    const { events, truth, manifest } = run('law-firm-cross-domain', [ENVELOPE, OMIT(1)]);
    const compiled = events.find((e) => e.type === 'policy.compiled')!;
    expect((compiled.policy as { exclusions: unknown[] }).exclusions).toEqual([]);
    expect(psPolicy(truth)).toMatchObject({
      compilation_errors: [{ error: 'omit_exclusion', class: 'confidential', actions: ['bulk-submit'] }],
      within_intent: false,
    });
    // The projection the AS receives is cut from the enforced policy, so it lacks the exclusion too.
    const projected = events.filter((e) => e.type === 'mission.projected');
    expect(projected.every((e) => (e.projection as { exclusions: unknown[] }).exclusions.length === 0)).toBe(true);
    expect(events.find((e) => e.type === 'token.as_issued' && e.scope === 'submit.bulk')).toBeDefined();
    expect(manifest.summary.authority).toMatchObject({ executed_outside_intent: 1, violations_provable_from_log: 1, cross_domain_disagreements: 0 });
  });

  it("draws compilation errors from the PS's own stream: the omission rate is met across seeds, and each seed is reproducible", () => {
    const outside = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(
      (seed) => run('law-firm-cross-domain', [ENVELOPE, OMIT(0.5)], seed).manifest.summary.authority.executed_outside_intent,
    );
    expect(outside.some((n) => n === 0) && outside.some((n) => n === 1)).toBe(true);
    expect(run('law-firm-cross-domain', [ENVELOPE, OMIT(0.5)], 4).manifest.summary.authority).toEqual(
      run('law-firm-cross-domain', [ENVELOPE, OMIT(0.5)], 4).manifest.summary.authority,
    );
  });

  it('an over-broad bound is logged as compiled, and recorded as an error only in truth.jsonl', () => {
    const { events, truth } = run('vendor-onboarding-chain', [ENVELOPE, 'authority.compilation.overbroad_bound={p: 1, factor: 10}']);
    const grants = (events.find((e) => e.type === 'policy.compiled')!.policy as { grants: Array<{ constraints: string[] }> }).grants;
    expect(grants[1]!.constraints).toEqual(['amount <= 2500000']);
    expect(events.some((e) => JSON.stringify(e).includes('overbroad_bound'))).toBe(false);
    expect(psPolicy(truth)?.compilation_errors).toEqual([
      { error: 'overbroad_bound', class: 'procurement', attr: 'amount', approved: 250000, compiled: 2500000 },
    ]);
  });

  it('without an approved envelope the policy is derived from the approved scope (source derived), and other designs log no compilation', () => {
    const { events } = run('travel-booking', [ENVELOPE]);
    expect(events.find((e) => e.type === 'policy.compiled')).toMatchObject({ source: 'derived' });
    expect((events.find((e) => e.type === 'policy.compiled')!.policy as { grants: unknown[] }).grants).toHaveLength(5);
    expect(run('law-firm-cross-domain').events.some((e) => e.type === 'policy.compiled')).toBe(false);
  });
});

describe('the person writes the approved envelope too: authoring errors reach the envelope design (law-firm-cross-domain)', () => {
  const AUTHORING_OMIT = (p: number) => `authority.authoring.omit_exclusion=${p}`;

  it('at zero authoring error the approved envelope is the template as stated, logged beside the text, and nothing runs outside the intent', () => {
    const { events, truth, manifest } = run('law-firm-cross-domain', [ENVELOPE, AUTHORING_OMIT(0), OMIT(0)]);
    const authored = events.find((e) => e.type === 'mission.authored')!;
    // The template (up to 5000, bulk-submit granted then excluded) is not the text Erin wrote from her intent: both are logged.
    expect((authored.approved as { exclusions: unknown[] }).exclusions).toEqual([{ class: 'confidential', actions: ['bulk-submit'] }]);
    expect(authored.approved_sha256).toBe(s256(authored.approved));
    expect(authored.approved).not.toEqual(authored.text);
    // What the PS approved and compiled is what the person wrote.
    const approved = events.find((e) => e.type === 'mission.approved')!;
    expect((approved.blob as { envelope: unknown }).envelope).toEqual(authored.approved);
    expect(truth.find((r) => r.kind === 'policy' && r.source === 'authored-approved')).toMatchObject({ compilation_errors: [], covers_intent: true });
    expect(manifest.summary.authority.executed_outside_intent).toBe(0);
  });

  it('an exclusion the person never wrote down is lost with a perfect compilation: the bulk submission runs outside the intent', () => {
    const { events, truth, manifest } = run('law-firm-cross-domain', [ENVELOPE, AUTHORING_OMIT(1), OMIT(0)]);
    const authored = events.find((e) => e.type === 'mission.authored')!;
    expect((authored.approved as { exclusions: unknown[] }).exclusions).toEqual([]);
    // The PS compiled exactly what was written (no compilation error), and that is what lets the bulk export through.
    const compiled = events.find((e) => e.type === 'policy.compiled')!;
    expect(compiled.policy).toEqual(authored.approved);
    expect(psPolicy(truth)).toMatchObject({ compilation_errors: [] });
    // The oracle records where the person's envelope diverges from what they meant.
    expect(truth.find((r) => r.kind === 'policy' && r.source === 'authored-approved')).toMatchObject({
      decider: 'person:erin',
      compilation_errors: [{ error: 'omit_exclusion', class: 'confidential', actions: ['bulk-submit'] }],
      within_intent: false,
    });
    expect(events.find((e) => e.type === 'token.as_issued' && e.scope === 'submit.bulk')).toBeDefined();
    expect(manifest.summary.authority.executed_outside_intent).toBeGreaterThan(0);
  });

  it('where the template is the intent, the envelope is logged once (it is the text); a bound the person wrote too high is compiled as written', () => {
    // vendor-onboarding-chain's `approved` copies its intent: at zero error the person's envelope is their text.
    const exact = run('vendor-onboarding-chain', [ENVELOPE]).events;
    const authored = exact.find((e) => e.type === 'mission.authored')!;
    expect('approved' in authored).toBe(false);
    expect(exact.find((e) => e.type === 'policy.compiled')!.policy).toEqual(authored.text);
    const { events, truth } = run('vendor-onboarding-chain', [ENVELOPE, 'authority.authoring.overbroad_bound={p: 1, factor: 10}']);
    const written = events.find((e) => e.type === 'mission.authored')!;
    const grants = (events.find((e) => e.type === 'policy.compiled')!.policy as { grants: Array<{ constraints: string[] }> }).grants;
    expect(grants[1]!.constraints).toEqual(['amount <= 2500000']);
    expect(events.find((e) => e.type === 'policy.compiled')!.policy).toEqual(written.approved ?? written.text);
    expect(psPolicy(truth)?.compilation_errors).toEqual([]);
    expect(truth.find((r) => r.kind === 'policy' && r.source === 'authored-approved')?.compilation_errors).toEqual([
      { error: 'overbroad_bound', class: 'procurement', attr: 'amount', approved: 250000, compiled: 2500000 },
    ]);
  });
});

describe("legitimate orthogonal hops: seed 000's flight booking that needs the payment processor (travel-booking-payment)", () => {
  it('strict narrowing (at mint) refuses both checkout hops: false denials, nothing paid, nothing outside the intent', () => {
    const { events, truth, manifest } = run('travel-booking-payment');
    expect(events.filter((e) => e.type === 'delegation.rejected').map((e) => e.child)).toEqual(['flight-checkout', 'hotel-checkout']);
    expect(truth.filter((r) => r.kind === 'delegation').map((r) => [r.child, r.allow, r.within_intent])).toEqual([
      ['flight-checkout', false, true],
      ['hotel-checkout', false, true],
    ]);
    expect(manifest.summary.authority).toMatchObject({ false_denials: 2, executed_outside_intent: 0, delegations_rejected: 2 });
  });

  it('at evaluation mints the hops and refuses each charge against the root grant: the same false denials, as decisions', () => {
    const { truth, manifest } = run('travel-booking-payment', [NARROWING('at-evaluation')]);
    expect(truth.filter((r) => r.kind === 'decision' && r.op === 'charge').map((r) => [r.allow, r.intended])).toEqual([
      [false, true],
      [false, true],
    ]);
    expect(manifest.summary.authority).toMatchObject({ false_denials: 2, executed_outside_intent: 0, delegations_granted: 2 });
  });

  it('provenance only lets the legitimate payments through: no false denial', () => {
    const { manifest } = run('travel-booking-payment', [NARROWING('provenance')]);
    expect(manifest.summary.authority).toMatchObject({ false_denials: 0, executed_outside_intent: 0, operations_executed: 6 });
  });

  it('the verdict turns on the share of hops the person meant: the same runs, judged against a tighter intent, reverse the order', () => {
    const bound = (max: number) => `agents[trip].mission.intent.grants[1].constraints[0]=amount <= ${max}`;
    const cost = (narrowing: string, max: number) => {
      const m = run('travel-booking-payment', [NARROWING(narrowing), bound(max)]).manifest.summary.authority;
      return { falseDenials: m.false_denials, outside: m.executed_outside_intent };
    };
    // Every hop meant (share 1): strict narrowing costs two false denials, provenance nothing.
    expect([cost('at-mint', 1500), cost('provenance', 1500)]).toEqual([
      { falseDenials: 2, outside: 0 },
      { falseDenials: 0, outside: 0 },
    ]);
    // Half meant (the 640 fare was not): one each way.
    expect([cost('at-mint', 500), cost('provenance', 500)]).toEqual([
      { falseDenials: 1, outside: 0 },
      { falseDenials: 0, outside: 1 },
    ]);
    // None meant (share 0): strict narrowing is free, provenance lets two payments out.
    expect([cost('at-mint', 0), cost('provenance', 0)]).toEqual([
      { falseDenials: 0, outside: 0 },
      { falseDenials: 0, outside: 2 },
    ]);
  });
});

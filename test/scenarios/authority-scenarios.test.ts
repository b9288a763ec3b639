import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario, type RunManifest } from '../../sim/run.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import { readLines, SCENARIOS, scenarioProblems, tempDir, writeScenario } from '../helpers.ts';

type Line = Record<string, unknown>;

function run(name: string, overrides: string[] = [], seed?: number): { manifest: RunManifest; events: Line[]; truth: Line[]; dir: string } {
  const dir = join(tempDir(), name);
  const manifest = runScenario(loadScenario(join(SCENARIOS, `${name}.yaml`), overrides), { outDir: dir, seed });
  const parse = (file: string) => readLines(join(dir, file)).map((line) => JSON.parse(line) as Line);
  return { manifest, events: parse('events.jsonl'), truth: parse('truth.jsonl'), dir };
}

const ENVELOPE = 'topology.person_servers[0].authority=envelope';
const NARROWING = (mode: string) => `topology.person_servers[0].narrowing=${mode}`;
const TRUST = (policy: string) => `topology.access_servers[0].trust=${policy}`;
const executed = (events: Line[]) => events.filter((e) => e.type === 'op.executed').map((e) => `${e.agent} ${e.actor}/${e.op}`);

describe('vendor-onboarding-chain (seed 000, gap 4)', () => {
  it('under text, every hop is granted, the log holds no denial, and the live payment runs outside the intent (oracle only)', () => {
    const { events, truth, manifest } = run('vendor-onboarding-chain');
    expect(events.filter((e) => e.type === 'delegation.granted').map((e) => e.child)).toEqual(['procurement', 'reconciliation']);
    expect(events.filter((e) => ['delegation.rejected', 'token.auth_denied', 'token.as_denied', 'request.rejected'].includes(e.type as string))).toEqual([]);
    expect(executed(events)).toContain('reconciliation resource:payments.live/transfer');
    const payment = truth.find((r) => r.kind === 'op' && r.resource === 'payments.live')!;
    expect(payment).toMatchObject({ intended: false, depth: 2, provable_from_log: false, outside_reason: 'excluded: payments/transfer' });
    expect(manifest.summary.authority).toMatchObject({
      executed_outside_intent: 1,
      executed_outside_intent_by_depth: { 2: 1 },
      violations_oracle_only: 1,
      violations_provable_from_log: 0,
      delegations_outside_intent: 1,
    });
  });

  it('under envelope (at mint), the escaping hop is rejected with its reason and the payment never runs', () => {
    const { events, manifest } = run('vendor-onboarding-chain', [ENVELOPE]);
    const rejected = events.find((e) => e.type === 'delegation.rejected')!;
    expect(rejected.child).toBe('reconciliation');
    expect(rejected.depth).toBe(2);
    expect(rejected.reason).toBe(
      'child grant payments/transfer on payments.live exceeds the parent grant: payments.live/transfer (payments/transfer) forbidden: excluded payments/*',
    );
    // The logged grant makes the refusal checkable from the log alone.
    expect((rejected.grant as { grants: unknown[] }).grants).toHaveLength(2);
    expect(events.find((e) => e.type === 'agent.stopped' && e.actor === 'agent:reconciliation')?.reason).toMatch(
      /^delegation refused: child grant payments\/transfer/,
    );
    expect(executed(events)).not.toContain('reconciliation resource:payments.live/transfer');
    expect(manifest.summary.authority.executed_outside_intent).toBe(0);
    expect(manifest.summary.authority.delegations_rejected).toBe(1);
  });

  it('under envelope at evaluation, the hop is minted but the payment is refused by the root grant (hop 0)', () => {
    const { events, manifest } = run('vendor-onboarding-chain', [ENVELOPE, NARROWING('at-evaluation')]);
    expect(events.find((e) => e.type === 'token.auth_denied')?.reason).toBe(
      'hop 0: outside envelope: payments.live/transfer (payments/transfer) forbidden: excluded payments/*',
    );
    expect(manifest.summary.authority).toMatchObject({ executed_outside_intent: 0, delegations_granted: 2 });
  });

  it('under envelope with provenance only, the payment runs, and the logged envelope proves the violation', () => {
    const { manifest, events } = run('vendor-onboarding-chain', [ENVELOPE, NARROWING('provenance')]);
    // The approved blob holds the envelope, so the mission s256 commits to it.
    const blob = events.find((e) => e.type === 'mission.approved')?.blob as { envelope?: { exclusions: unknown[] } };
    expect(blob.envelope?.exclusions).toEqual([{ class: 'payments' }]);
    expect(manifest.summary.authority).toMatchObject({ executed_outside_intent: 1, violations_provable_from_log: 1, violations_oracle_only: 0 });
  });

  it('terminating the root mission stops the sub-agents too: the payment asked for after it is refused', () => {
    const { events, manifest } = run('vendor-onboarding-chain', ['interventions=[{at: const(16m), person: dana, agent: onboarding, action: terminate}]']);
    // aauth-r11: the refusal comes at the person-token endpoint, the first step to a resource it has not called yet.
    expect(events.find((e) => (e.type === 'token.auth_denied' || e.type === 'token.person_denied') && e.agent === 'reconciliation')?.reason).toBe(
      'mission terminated',
    );
    expect(events.find((e) => e.type === 'agent.stopped' && e.actor === 'agent:reconciliation')?.reason).toBe('mission ended');
    expect(executed(events)).not.toContain('reconciliation resource:payments.live/transfer');
    // The person acts at 960 s; the mission ends when the PS serves the request, one network latency (exp(20ms)) and its queue later.
    const outcome = manifest.summary.missions.find((m) => m.agent === 'reconciliation');
    expect(outcome).toMatchObject({ operations_after_termination: 0 });
    expect(outcome?.terminated_at_s).toBeGreaterThan(960);
    expect(outcome?.terminated_at_s).toBeLessThan(961);
  });

  it('a depth cap below the chain refuses the deepest hop whatever the model', () => {
    const { events } = run('vendor-onboarding-chain', ['topology.person_servers[0].max_depth=1']);
    expect(events.find((e) => e.type === 'delegation.rejected')?.reason).toBe('delegation depth 2 exceeds the deployment cap 1');
  });
});

describe('law-firm-cross-domain (seed 000, gap 5)', () => {
  const counsel = (events: Line[]) =>
    events
      .filter((e) => e.type === 'token.as_issued' || e.type === 'token.as_denied')
      .map((e) => `${e.scope} ${e.type === 'token.as_issued' ? 'granted' : 'denied'}`);

  it('decisions differ by the AS trust policy', () => {
    const outcomes = Object.fromEntries(
      ['trust-all', 'conservative', 'clarify', 'envelope-projection'].map((policy) => [policy, counsel(run('law-firm-cross-domain', [TRUST(policy)]).events)]),
    );
    expect(outcomes).toEqual({
      'trust-all': ['submit granted', 'submit.bulk granted'],
      conservative: ['submit denied', 'submit.bulk denied'],
      clarify: ['submit granted', 'submit.bulk granted'],
      // The projection is of what the PS enforces (its scope list, which lists bulk submission): the same answer as the PS.
      'envelope-projection': ['submit granted', 'submit.bulk granted'],
    });
  });

  it('trust-all lets the bulk submission through: outside intent, and the scope list in the log does not show it', () => {
    const { manifest } = run('law-firm-cross-domain', [TRUST('trust-all')]);
    expect(manifest.summary.authority).toMatchObject({ executed_outside_intent: 1, violations_oracle_only: 1, false_denials: 0, body_disclosures: 0 });
  });

  it('conservative refuses the intended submission: a false denial, and the PS and AS disagree', () => {
    const { manifest } = run('law-firm-cross-domain', [TRUST('conservative')]);
    expect(manifest.summary.authority).toMatchObject({ false_denials: 1, cross_domain_disagreements: 2, executed_outside_intent: 0 });
  });

  it('clarify discloses the mission body to the other domain, as an audit event and a truth record', () => {
    const { events, truth, manifest } = run('law-firm-cross-domain', [TRUST('clarify')]);
    const disclosed = events.filter((e) => e.type === 'mission.disclosed');
    expect(disclosed).toHaveLength(1);
    expect(disclosed[0]).toMatchObject({ to: 'as:as.lawfirm', to_domain: 'lawfirm', description: 'Coordinate document review with external counsel.' });
    expect(truth.filter((r) => r.kind === 'disclosure')).toEqual([
      expect.objectContaining({ from_domain: 'enterprise', to_domain: 'lawfirm', what: 'body', event_seq: disclosed[0]!.seq }),
    ]);
    expect(manifest.summary.authority.body_disclosures).toBe(1);
  });

  it('a clarify AS judges the disclosed mission with its own authority model', () => {
    const asModel = (name: string) => counsel(run('law-firm-cross-domain', [TRUST('clarify'), `topology.access_servers[0].authority=${name}`]).events);
    // The scope rendering lists bulk submission; the envelope excludes it; a tool list names neither.
    expect(asModel('scopes')).toEqual(['submit granted', 'submit.bulk granted']);
    expect(asModel('envelope')).toEqual(['submit granted', 'submit.bulk denied']);
    expect(asModel('tools')).toEqual(['submit granted', 'submit.bulk granted']);
  });

  it('two text deployments (the PS and a clarify AS) read the same mission differently on some seeds', () => {
    const both = [TRUST('clarify'), 'topology.person_servers[0].authority=text'];
    const disagreements = [1, 2, 3, 4, 5, 6, 7, 8].map(
      (seed) => run('law-firm-cross-domain', both, seed).manifest.summary.authority.cross_domain_disagreements,
    );
    expect(disagreements.some((n) => n > 0)).toBe(true);
    // Deterministic all the same.
    expect(run('law-firm-cross-domain', both, 3).manifest.summary.authority).toEqual(run('law-firm-cross-domain', both, 3).manifest.summary.authority);
  });

  it('envelope-projection discloses no mission body and projects what the PS enforces: under scopes the bulk submission passes both', () => {
    const { events, truth, manifest } = run('law-firm-cross-domain');
    expect(events.filter((e) => e.type === 'mission.disclosed')).toEqual([]);
    const projected = events.filter((e) => e.type === 'mission.projected');
    expect(projected.length).toBeGreaterThan(0);
    // The projection is logged (its hash and its body) and bound to the mission and the hop; it is the scope list on the AS's domain.
    const approved = events.find((e) => e.type === 'mission.approved')!;
    for (const p of projected)
      expect(p).toMatchObject({ mission: approved.mission, agent: 'reviewer', projection_sha256: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect((projected[0]!.projection as { grants: Array<{ actions: string[] }> }).grants.map((g) => g.actions)).toEqual([['submit'], ['bulk-submit']]);
    expect(truth.filter((r) => r.kind === 'disclosure').map((r) => r.what)).toEqual(projected.map(() => 'projection'));
    expect(manifest.summary.authority).toMatchObject({ body_disclosures: 0, executed_outside_intent: 1, false_denials: 0, cross_domain_disagreements: 0 });
  });

  it('envelope-projection under an envelope PS: the PS refuses the bulk submission from its compiled policy, and the projection excludes it too', () => {
    const { events, manifest } = run('law-firm-cross-domain', [ENVELOPE]);
    expect(events.find((e) => e.type === 'token.auth_denied' && e.scope === 'submit.bulk')?.reason).toMatch(/forbidden: excluded confidential\/bulk-submit$/);
    const projected = events.find((e) => e.type === 'mission.projected')!;
    expect(projected.projection).toMatchObject({ exclusions: [{ class: 'confidential', actions: ['bulk-submit'] }] });
    expect(manifest.summary.authority).toMatchObject({ body_disclosures: 0, executed_outside_intent: 0, false_denials: 0, cross_domain_disagreements: 0 });
  });
});

describe('renderings derived from what the person wrote', () => {
  it('without a scope, the scope is rendered from the authored text, and the rendering loses the bound: an oversized submission passes the PS', () => {
    const text = readFileSync(join(SCENARIOS, 'law-firm-cross-domain.yaml'), 'utf8')
      .replace(/      scope: \[[^\]]*\]\n/, '')
      .replace('{ op: counsel.lawfirm/submit.bulk, at: 30m, args: { count: 4000 } }', '{ op: counsel.lawfirm/submit, at: 30m, args: { count: 400 } }');
    const dir = join(tempDir(), 'rendered');
    const manifest = runScenario(loadScenario(writeScenario(text), [TRUST('trust-all')]), { outDir: dir });
    const truth = readLines(join(dir, 'truth.jsonl')).map((line) => JSON.parse(line) as Line);
    // The exclusion survives the rendering (no bulk-submit in the scope); the count bound does not.
    expect(truth.find((r) => r.kind === 'mission')).toMatchObject({ renderings: { scope: ['docs.enterprise/read', 'counsel.lawfirm/submit'] } });
    expect(truth.filter((r) => r.kind === 'op' && r.op === 'submit').map((r) => [r.args, r.intended, r.outside_reason])).toEqual([
      [{ count: 12 }, true, null],
      [{ count: 400 }, false, 'count 400 exceeds 20'],
    ]);
    expect(manifest.summary.authority.violations_oracle_only).toBe(1);
  });

  it('refuses a mission with neither a scope, an intent nor a written text', () => {
    const text = readFileSync(join(SCENARIOS, 'travel-booking.yaml'), 'utf8').replace(/      scope:\n(        - .*\n)+/, '');
    expect(scenarioProblems(text)[0]).toMatchObject({
      path: 'agents[0].mission',
      expected: 'a scope, an intent or a written text (without a scope, it is rendered from what the person writes)',
      found: 'none',
    });
  });
});

describe('truth.jsonl', () => {
  it('is byte-identical for the same scenario and seed, listed in the manifest with its sha256, and joins the log on event_seq', () => {
    const a = run('vendor-onboarding-chain');
    const b = run('vendor-onboarding-chain');
    const bytes = readFileSync(join(a.dir, 'truth.jsonl'));
    expect(bytes.equals(readFileSync(join(b.dir, 'truth.jsonl')))).toBe(true);
    expect(a.manifest.truth).toEqual({ file: 'truth.jsonl', records: a.truth.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    for (const record of a.truth) {
      const event = a.events[record.event_seq as number]!;
      expect(event.t).toBe(record.t);
      if (record.kind === 'op') expect(event).toMatchObject({ type: 'op.executed', agent: record.agent, op: record.op });
    }
  });

  it('records the declared intent and its renderings per mission, and the oracle verdict per decision', () => {
    const { truth } = run('law-firm-cross-domain');
    const mission = truth.find((r) => r.kind === 'mission')!;
    expect(mission).toMatchObject({
      intent_source: 'declared',
      renderings: { scope: ['docs.enterprise/read', 'counsel.lawfirm/submit', 'counsel.lawfirm/submit.bulk'] },
    });
    const bulk = truth.filter((r) => r.kind === 'decision' && r.op === 'submit.bulk');
    expect(bulk.map((r) => [r.decider, r.allow, r.intended])).toEqual([
      ['ps:ps.enterprise', true, false],
      ['as:as.lawfirm', true, false],
    ]);
  });

  it('derives the intent from the scope when none is declared (travel-booking: every executed operation inside it)', () => {
    const { truth, manifest } = run('travel-booking');
    expect(truth.find((r) => r.kind === 'mission')?.intent_source).toBe('derived');
    expect(truth.filter((r) => r.kind === 'op').every((r) => r.intended === true)).toBe(true);
    expect(manifest.summary.authority.operations_executed).toBe(5);
  });
});

describe('travel-booking under the other authority models', () => {
  const MODEL = (name: string) => `topology.person_servers[0].authority=${name}`;

  it('tools: the charge is refused by tool name', () => {
    const { events } = run('travel-booking', [MODEL('tools')]);
    expect(events.find((e) => e.type === 'token.auth_denied')).toMatchObject({ scope: 'charge', reason: 'tool payments.charge not approved' });
  });

  it('r3: an irreversible operation in scope needs a single-use approval from the person, at human latency', () => {
    const scenario = ['agents[0].mission.scope[5]=payments.example/charge', 'people[0].approval_latency=const(90s)', MODEL('r3')];
    const { events, truth } = run('travel-booking', scenario);
    const asked = events.find((e) => e.type === 'person.asked' && e.question === 'approve payments.example/charge')!;
    const granted = events.find((e) => e.type === 'token.auth_granted' && e.scope === 'charge')!;
    expect((granted.t as number) - (asked.t as number)).toBe(90_000_000);
    // Every other operation was granted without asking.
    expect(events.filter((e) => e.type === 'person.asked')).toHaveLength(1);
    // The scope said yes, the person said yes; the intent (derived from the scope) agrees.
    expect(truth.find((r) => r.kind === 'op' && r.op === 'charge')).toMatchObject({ intended: true });
  });

  it('envelope: with no declared intent, the envelope derived from the scope gives the same trail as scopes', () => {
    const scopes = executed(run('travel-booking').events);
    const { events } = run('travel-booking', [MODEL('envelope')]);
    expect(executed(events)).toEqual(scopes);
    expect(events.find((e) => e.type === 'token.auth_denied')?.reason).toBe(
      'outside envelope: payments.example/charge (payments/transfer) permitted by no grant',
    );
  });
});

describe('call chaining: a resource acting as an agent downstream with upstream_token', () => {
  const CHAIN = [
    'topology.resources[flights.example].operations[1].calls=[{op: payments.example/charge, args: {amount: 120}}]',
    'agents[0].mission.scope[5]=payments.example/charge',
    'agents[0].mission.intent={grants: [{class: travel, actions: [read, write]}, {class: dining, actions: [write]}], exclusions: [{class: payments}], max_depth: 1}',
  ];
  const MODEL = (name: string) => `topology.person_servers[0].authority=${name}`;

  it('places the chained caller one hop below its upstream agent; under scopes its charge runs, outside intent, visible only to the oracle', () => {
    const { events, truth, manifest } = run('travel-booking', [...CHAIN, MODEL('scopes')]);
    expect(events.find((e) => e.type === 'delegation.granted')).toMatchObject({ parent: 'Agent', child: 'flights.example@Agent', depth: 1 });
    expect(events.find((e) => e.type === 'delegation.requested')?.task).toMatch(/^call chaining \(upstream_token ps:ps\.example#1\)$/);
    expect(truth.find((r) => r.kind === 'op' && r.agent === 'flights.example@Agent')).toMatchObject({
      op: 'charge',
      depth: 1,
      intended: false,
      provable_from_log: false,
    });
    expect(manifest.summary.authority.executed_outside_intent_by_depth).toEqual({ 0: 1, 1: 1 });
  });

  it('under envelope the chained charge is refused against the inherited grant (the approved envelope excludes payments)', () => {
    const approved =
      'agents[0].mission.approved={grants: [{class: travel, actions: [read, write]}, {class: dining, actions: [write]}], exclusions: [{class: payments}], max_depth: 1}';
    const { events } = run('travel-booking', [...CHAIN, approved, MODEL('envelope')]);
    const denied = events.filter((e) => e.type === 'token.auth_denied');
    expect(denied.map((e) => [e.agent, e.reason])).toEqual([
      ['flights.example@Agent', 'outside envelope: payments.example/charge (payments/transfer) forbidden: excluded payments/*'],
      ['Agent', 'outside envelope: payments.example/charge (payments/transfer) forbidden: excluded payments/*'],
    ]);
  });

  it('under envelope the person writes the envelope from what they meant (no payments), so the charge the scope lists is refused; the PS compiles the logged text', () => {
    const { events } = run('travel-booking', [...CHAIN, MODEL('envelope')]);
    const authored = events.find((e) => e.type === 'mission.authored')!;
    // No separate approved envelope is logged: it is the text, and that is what the PS compiled.
    expect('approved' in authored).toBe(false);
    expect(events.find((e) => e.type === 'policy.compiled')).toMatchObject({ source: 'approved', policy: authored.text });
    expect(events.filter((e) => e.type === 'token.auth_denied').map((e) => [e.agent, e.scope])).toEqual([
      ['flights.example@Agent', 'charge'],
      ['Agent', 'charge'],
    ]);
  });

  it('under envelope, a mission without an intent has nothing authored: the envelope derived from the approved scope (which lists the charge) lets it run', () => {
    const { events, truth } = run('travel-booking', [...CHAIN.slice(0, 2), MODEL('envelope')]);
    expect(events.some((e) => e.type === 'mission.authored')).toBe(false);
    expect(events.filter((e) => e.type === 'token.auth_denied')).toEqual([]);
    expect(events.find((e) => e.type === 'policy.compiled')).toMatchObject({ source: 'derived' });
    expect(truth.find((r) => r.kind === 'op' && r.op === 'charge')).toMatchObject({ intended: true });
  });

  it('a depth cap of 0 refuses the chained caller outright', () => {
    const { events } = run('travel-booking', [...CHAIN, 'topology.person_servers[0].max_depth=0']);
    expect(events.find((e) => e.type === 'token.auth_denied' && e.agent === 'flights.example@Agent')?.reason).toBe(
      'delegation depth 1 exceeds the deployment cap 0',
    );
  });
});

describe('replay --explain shows delegation hops from the log alone', () => {
  it('names the refused hop, who refused it and why', () => {
    const { dir } = run('vendor-onboarding-chain', [ENVELOPE]);
    const BIN = new URL('../../bin/missionbench.mjs', import.meta.url).pathname;
    const explained = spawnSync(process.execPath, [BIN, 'replay', dir, '--explain'], { encoding: 'utf8' });
    expect(explained.status).toBe(0);
    expect(explained.stdout).toContain(
      '09:05 onboarding => procurement (delegation, depth 1): minted by ps:ps.acme: child grant is a subset of the parent grant',
    );
    expect(explained.stdout).toContain(
      '09:12 procurement => reconciliation (delegation, depth 2): refused by ps:ps.acme: child grant payments/transfer on payments.live exceeds the parent grant',
    );
  });
});

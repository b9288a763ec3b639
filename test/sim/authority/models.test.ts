import { describe, expect, it } from 'vitest';
import { randomStream } from '../../../sim/engine/random.ts';
import { EnvelopeModel } from '../../../sim/authority/envelope-model.ts';
import type { Envelope, OpFacts } from '../../../sim/authority/envelope.ts';
import type { MissionAuthority } from '../../../sim/authority/model.ts';
import { R3Model } from '../../../sim/authority/r3.ts';
import { ScopesModel } from '../../../sim/authority/scopes.ts';
import { Taxonomy } from '../../../sim/authority/taxonomy.ts';
import { TextModel } from '../../../sim/authority/text.ts';
import { ToolsModel } from '../../../sim/authority/tools.ts';

const intent: Envelope = {
  grants: [{ class: 'travel', actions: ['read', 'write'], bounds: [] }],
  exclusions: [],
  maxDepth: 0,
};
const mission: MissionAuthority = {
  description: 'Plan a trip; do not pay.',
  scope: new Set(['flights.example/search', 'payments.example/charge']),
  tools: new Set(['flights.search']),
  r3Granted: new Set(['flights.example/search']),
  r3PerCall: new Set(['payments.example/charge']),
  text: intent,
  intent,
  approved: intent,
};
const op = (resource: string, operation: string, cls: string, action: string): OpFacts => ({
  resource,
  operation,
  class: cls,
  action,
  args: {},
  stage: undefined,
  depth: 0,
});
const search = op('flights.example', 'search', 'travel', 'read');
const charge = op('payments.example', 'charge', 'payments', 'transfer');
const request = (o: OpFacts) => ({ mission, grant: intent, grantId: 'intent', op: o });

describe('authority models decide(request) -> {allow, reason}', () => {
  it('scopes: the resource/operation string, nothing else (the lossy scope lets the charge through)', () => {
    const model = new ScopesModel();
    expect(model.decide(request(search))).toEqual({ allow: true, reason: 'in mission scope' });
    expect(model.decide(request(charge)).allow).toBe(true);
    expect(model.decide(request(op('hotels.example', 'reserve', 'travel', 'write')))).toEqual({ allow: false, reason: 'outside mission scope' });
  });

  it('tools: by tool name only', () => {
    const model = new ToolsModel();
    expect(model.decide(request(search)).allow).toBe(true);
    expect(model.decide(request(charge))).toEqual({ allow: false, reason: 'tool payments.charge not approved' });
  });

  it('r3: granted operations pass, per-call ones need the person, the rest are refused', () => {
    const model = new R3Model();
    expect(model.decide(request(search))).toEqual({ allow: true, reason: 'r3 granted' });
    expect(model.decide(request(charge))).toEqual({ allow: true, reason: 'r3 per-call approval', approval: 'person' });
    expect(model.decide(request(op('hotels.example', 'reserve', 'travel', 'write'))).allow).toBe(false);
  });

  it('envelope: Cedar over the grant, whatever the renderings say', () => {
    const model = new EnvelopeModel();
    expect(model.decide(request(search)).allow).toBe(true);
    expect(model.decide(request(charge))).toEqual({
      allow: false,
      reason: 'outside envelope: payments.example/charge (payments/transfer) permitted by no grant',
    });
  });
});

describe('text: a seeded, per-deployment noisy reading of the prose', () => {
  const taxonomy = new Taxonomy({ travel: ['dining', 'payments'] });
  const noise = { falseRefusal: 0.1, nearGrant: 0.5, farGrant: 0.05 };
  const deployment = (id: string) => new TextModel(randomStream(7, id), taxonomy, noise);
  // Many distinct questions: the same operation under many grants.
  const questions = (kind: OpFacts) => Array.from({ length: 2000 }, (_, i) => ({ ...request(kind), grantId: `g${i}` }));

  it('refuses some legitimate operations, grants some near ones, rarely far ones, at the configured rates', () => {
    const model = deployment('ps:a');
    const rate = (o: OpFacts) => questions(o).filter((q) => model.decide(q).allow).length / 2000;
    expect(rate(search)).toBeCloseTo(0.9, 1);
    expect(rate(charge)).toBeCloseTo(0.5, 1);
    expect(rate(op('hr.example', 'fire', 'hr', 'write'))).toBeCloseTo(0.05, 1);
  });

  it('answers the same question the same way; two deployments disagree on some; the same seed and id reproduce it', () => {
    const a = deployment('ps:a');
    const b = deployment('as:b');
    const first = questions(charge).map((q) => a.decide(q).allow);
    expect(questions(charge).map((q) => a.decide(q).allow)).toEqual(first);
    const other = questions(charge).map((q) => b.decide(q).allow);
    expect(other.filter((allow, i) => allow !== first[i]).length).toBeGreaterThan(500);
    const again = deployment('ps:a');
    expect(questions(charge).map((q) => again.decide(q).allow)).toEqual(first);
  });
});

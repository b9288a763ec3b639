/**
 * Policy decisions per second for each authority model, on the same mix of
 * requests against the vendor-onboarding envelope (inside, outside by class,
 * by bound, by exclusion, by depth). `envelope` is Cedar (cedar-wasm,
 * preparsed policy set, one call per decision); `envelope.memo` reuses
 * Cedar's answer for a repeated (grant, request), as the simulator does;
 * `envelope.unparsed` parses
 * the policy set on every call, as a stateless caller would; the subset
 * check is one delegation hop (several Cedar calls). Cedar's authors
 * publish a median of 4-11 us per evaluation (native Rust).
 */
import { compileEnvelope } from '../sim/authority/cedar.ts';
import { EnvelopeModel } from '../sim/authority/envelope-model.ts';
import type { Envelope, OpFacts } from '../sim/authority/envelope.ts';
import type { AuthorityModel, AuthorityRequest, MissionAuthority } from '../sim/authority/model.ts';
import { R3Model } from '../sim/authority/r3.ts';
import { ScopesModel } from '../sim/authority/scopes.ts';
import { isSubset } from '../sim/authority/subset.ts';
import { Taxonomy } from '../sim/authority/taxonomy.ts';
import { DEFAULT_TEXT_NOISE, TextModel } from '../sim/authority/text.ts';
import { ToolsModel } from '../sim/authority/tools.ts';
import { randomStream } from '../sim/engine/random.ts';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { median, nowNs, type Benchmark, type BenchResult } from './benchmark.ts';

const intent: Envelope = {
  grants: [
    { class: 'vendors', actions: ['read', 'write'], resources: ['vendors.acme'], bounds: [] },
    { class: 'procurement', actions: ['write'], resources: ['procurement.acme'], bounds: [{ attr: 'amount', max: 250000 }] },
    { class: 'finance', actions: ['read'], resources: ['ledger.acme'], bounds: [] },
  ],
  exclusions: [{ class: 'payments' }],
  maxDepth: 2,
};
const child: Envelope = {
  grants: [
    { class: 'procurement', actions: ['write'], resources: ['procurement.acme'], bounds: [{ attr: 'amount', max: 50000 }] },
    { class: 'finance', actions: ['read'], resources: ['ledger.acme'], bounds: [] },
  ],
  exclusions: [{ class: 'payments' }],
  maxDepth: 2,
};
const mission: MissionAuthority = {
  description: 'Coordinate vendor onboarding for the Q3 contract.',
  scope: new Set(['vendors.acme/register', 'vendors.acme/lookup', 'procurement.acme/po.create', 'ledger.acme/reconcile']),
  tools: new Set(['vendors.register', 'vendors.lookup', 'procurement.po.create', 'ledger.reconcile']),
  r3Granted: new Set(['vendors.acme/register', 'vendors.acme/lookup', 'ledger.acme/reconcile']),
  r3PerCall: new Set(['procurement.acme/po.create']),
  text: intent,
  intent,
  approved: intent,
};
const ops: OpFacts[] = [
  { resource: 'vendors.acme', operation: 'lookup', class: 'vendors', action: 'read', args: {}, stage: undefined, depth: 0 },
  { resource: 'vendors.acme', operation: 'register', class: 'vendors', action: 'write', args: {}, stage: undefined, depth: 0 },
  { resource: 'procurement.acme', operation: 'po.create', class: 'procurement', action: 'write', args: { amount: 48000 }, stage: undefined, depth: 1 },
  { resource: 'procurement.acme', operation: 'po.create', class: 'procurement', action: 'write', args: { amount: 900000 }, stage: undefined, depth: 1 },
  { resource: 'ledger.acme', operation: 'reconcile', class: 'finance', action: 'read', args: {}, stage: undefined, depth: 2 },
  { resource: 'payments.live', operation: 'transfer', class: 'payments', action: 'transfer', args: { amount: 48000 }, stage: undefined, depth: 2 },
  { resource: 'ledger.acme', operation: 'reconcile', class: 'finance', action: 'read', args: {}, stage: undefined, depth: 3 },
  { resource: 'hr.acme', operation: 'fire', class: 'hr', action: 'write', args: {}, stage: undefined, depth: 0 },
];
// Distinct grant ids, so the text model's memo does not turn every decision into a lookup after the first pass.
const requests: AuthorityRequest[] = Array.from({ length: 4096 }, (_, i) => ({
  mission,
  grant: intent,
  grantId: `g${i >> 3}`,
  op: ops[i % ops.length] as OpFacts,
}));

const SEGMENTS = 5;

function measure(decide: (request: AuthorityRequest) => unknown, perSegment: number): BenchResult {
  for (let i = 0; i < Math.min(perSegment, 2000); i++) decide(requests[i % requests.length] as AuthorityRequest); // warm-up
  const rates: number[] = [];
  for (let s = 0; s < SEGMENTS; s++) {
    const start = nowNs();
    for (let i = 0; i < perSegment; i++) decide(requests[i % requests.length] as AuthorityRequest);
    rates.push(perSegment / ((nowNs() - start) / 1e9));
  }
  const rate = Math.round(median(rates));
  return { events_per_s: rate, decisions_per_s: rate, us_per_decision: Math.round((1e6 / rate) * 100) / 100 };
}

const model = (name: string, make: () => AuthorityModel, perSegment: number, target?: string): Benchmark => ({
  name: `authority.${name}`,
  description: `policy decisions/s, ${name} model (events/s = decisions/s)`,
  ...(target ? { target } : {}),
  run: () => {
    const instance = make();
    return measure((request) => instance.decide(request), perSegment);
  },
});

export const benchmarks: Benchmark[] = [
  model('scopes', () => new ScopesModel(), 1_000_000),
  model('tools', () => new ToolsModel(), 1_000_000),
  model('r3', () => new R3Model(), 1_000_000),
  // A fresh deployment per run: the memo fills as it goes, as in a simulation.
  model(
    'text',
    () => new TextModel(randomStream(1, 'bench/text'), new Taxonomy({ vendors: ['procurement', 'finance'], finance: ['payments'] }), DEFAULT_TEXT_NOISE),
    200_000,
  ),
  model('envelope', () => new EnvelopeModel(false), 20_000, 'Cedar published median 4-11 us/evaluation'),
  // As the simulator runs it: Cedar's answers reused for repeated (grant, request) pairs.
  model('envelope.memo', () => new EnvelopeModel(), 1_000_000),
  {
    name: 'authority.envelope.unparsed',
    description: 'policy decisions/s, Cedar isAuthorized parsing the policy set on every call',
    run: () => {
      const policies = compileEnvelope(intent).policies;
      return measure(
        (request) =>
          cedar.isAuthorized({
            principal: { type: 'Agent', id: 'caller' },
            action: { type: 'Action', id: request.op.action },
            resource: { type: 'Resource', id: request.op.resource },
            context: { class: request.op.class, resource: request.op.resource, stage: '', depth: request.op.depth, args: { ...request.op.args } },
            policies: { staticPolicies: policies },
            entities: [],
          }),
        5_000,
      );
    },
  },
  {
    name: 'authority.envelope.subset',
    description: 'delegation hops checked/s: child grant subset of parent grant, with Cedar (events/s = hops/s)',
    run: () => {
      const parentPolicies = compileEnvelope(intent);
      const childPolicies = compileEnvelope(child);
      const result = measure(() => isSubset(child, childPolicies, intent, parentPolicies), 5_000);
      return { events_per_s: result.events_per_s, hops_per_s: result.decisions_per_s, us_per_hop: result.us_per_decision };
    },
  },
];

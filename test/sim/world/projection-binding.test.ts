import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bindProjection } from '../../../sim/authority/projection.ts';
import type { Envelope, OpFacts } from '../../../sim/authority/envelope.ts';
import { Simulation } from '../../../sim/engine/simulation.ts';
import { AccessServer } from '../../../sim/protocol/access-server.ts';
import type { FederationAnswer, FederationRequest } from '../../../sim/protocol/federation.ts';
import { resolveProfile } from '../../../sim/protocol/profiles.ts';
import { compileAccessServer, compileTokens } from '../../../sim/scenario/compile.ts';
import { loadScenario } from '../../../sim/scenario/load.ts';
import { WorldContext } from '../../../sim/world/context.ts';
import { SCENARIOS } from '../../helpers.ts';
import { RecordingSink } from './recording-sink.ts';

/** What the law firm's PS enforces for the counsel: submissions of at most 20 documents. */
const PERMITS: Envelope = {
  grants: [{ class: 'confidential', actions: ['submit'], resources: ['counsel.lawfirm'], bounds: [{ attr: 'count', max: 20 }] }],
  exclusions: [],
  maxDepth: 0,
};
const SUBMIT: OpFacts = {
  resource: 'counsel.lawfirm',
  operation: 'submit',
  class: 'confidential',
  action: 'submit',
  args: { count: 12 },
  stage: undefined,
  depth: 0,
};

/** The law firm's envelope-projection AS answering one federated request whose PS sends `projection`. */
function federate(mission: string, projection: ReturnType<typeof bindProjection>): { answer: FederationAnswer; events: RecordingSink } {
  const spec = loadScenario(join(SCENARIOS, 'law-firm-cross-domain.yaml')).spec;
  const sim = new Simulation();
  const audit = new RecordingSink();
  const ctx = new WorldContext(sim, 1, audit);
  const as = new AccessServer(
    ctx,
    compileAccessServer(spec.topology.access_servers![0]!),
    resolveProfile(spec.profile, compileTokens(spec.tokens)),
    spec.authority,
  );
  as.domainClasses.add('confidential');
  as.domainResources.add('counsel.lawfirm');
  const request: FederationRequest = {
    ps: 'ps:ps.enterprise',
    psDomain: 'enterprise',
    agent: 'reviewer',
    resource: 'counsel.lawfirm',
    operationClass: 'confidential',
    operation: 'submit',
    mission,
    expCap: 3_600_000_000,
    facts: SUBMIT,
    requestId: 'ps:ps.enterprise>as:as.lawfirm#0',
    disclose: () => {
      throw new Error('envelope-projection never asks for the body');
    },
    project: () => projection,
  };
  let answer: FederationAnswer | undefined;
  as.federate(request, (a) => {
    answer = a;
  });
  sim.run();
  return { answer: answer as FederationAnswer, events: audit };
}

describe("an envelope-projection AS checks the projection belongs to the request's mission", () => {
  it('grants the intended submission on a projection bound to this mission and hop', () => {
    const { answer } = federate('mission-A', bindProjection('mission-A', 'reviewer', PERMITS));
    expect(answer.granted).toBe(true);
  });

  it('refuses a projection bound to another mission, whatever it permits', () => {
    const { answer, events } = federate('mission-A', bindProjection('mission-B', 'reviewer', PERMITS));
    expect(answer).toEqual({ granted: false, reason: 'AS policy: projection bound to mission mission-B, not mission-A' });
    expect(events.ofType('token.as_denied')[0]?.fields).toMatchObject({ reason: 'AS policy: projection bound to mission mission-B, not mission-A' });
  });

  it('refuses a projection bound to another agent of the same mission (another hop)', () => {
    const { answer } = federate('mission-A', bindProjection('mission-A', 'someone-else', PERMITS));
    expect(answer).toEqual({ granted: false, reason: 'AS policy: projection bound to agent someone-else, not reviewer' });
  });

  it('refuses a projection bound to no mission (a PS without missions has nothing to project)', () => {
    const { answer } = federate('mission-A', bindProjection(null, 'reviewer', PERMITS));
    expect(answer.granted).toBe(false);
  });
});

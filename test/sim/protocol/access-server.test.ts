import { describe, expect, it } from 'vitest';
import type { MissionAuthority } from '../../../sim/authority/model.ts';
import type { OpFacts } from '../../../sim/authority/envelope.ts';
import { Simulation } from '../../../sim/engine/simulation.ts';
import { AccessServer } from '../../../sim/protocol/access-server.ts';
import type { FederationAnswer, FederationRequest } from '../../../sim/protocol/federation.ts';
import type { Token } from '../../../sim/protocol/tokens.ts';
import { agentKeyThumbprint } from '../../../sim/protocol/agent-keys.ts';
import { resolveProfile } from '../../../sim/protocol/profiles.ts';
import { compileAccessServer, compileTokens } from '../../../sim/scenario/compile.ts';
import type { AccessServerDef } from '../../../sim/scenario/schema.ts';
import { WorldContext } from '../../../sim/world/context.ts';
import { RecordingSink } from '../world/recording-sink.ts';

const H = 3_600_000_000;
const MS = 1_000;

function facts(cls: string, operation = 'submit'): OpFacts {
  return { resource: 'counsel', operation, class: cls, action: 'write', args: {}, stage: undefined, depth: 0 };
}

/** A federated request for `counsel/<operation>` of class `cls`, counting the disclosures the PS is asked for. */
function request(cls: string, overrides: Partial<FederationRequest> = {}, body?: MissionAuthority, disclosed = { count: 0 }): FederationRequest {
  const op = facts(cls, overrides.operation);
  return {
    ps: 'ps:home',
    psDomain: 'home',
    agent: 'reviewer',
    resource: 'counsel',
    operationClass: cls,
    operation: op.operation,
    mission: 'm-1',
    expCap: 100 * H,
    facts: op,
    requestId: 'ps:home>as:law#0',
    disclose: () => {
      disclosed.count++;
      return { agent: 'reviewer', authority: body as MissionAuthority };
    },
    project: () => {
      throw new Error('only envelope-projection asks for a projection');
    },
    ...overrides,
  };
}

function server(def: Partial<AccessServerDef>) {
  const sim = new Simulation();
  const audit = new RecordingSink();
  const ctx = new WorldContext(sim, 1, audit);
  const as = new AccessServer(
    ctx,
    compileAccessServer({ id: 'law', queue: { servers: 1, service: 'const(2ms)' }, ...def }),
    resolveProfile('aauth-r11', compileTokens(undefined)),
    undefined,
  );
  const answers: Array<[number, FederationAnswer]> = [];
  const ask = (req: FederationRequest, at = 0) => sim.schedule(at, () => as.federate(req, (answer) => answers.push([sim.now, answer])));
  return { sim, audit, as, answers, ask };
}

const BODY: MissionAuthority = {
  description: 'review the contract',
  scope: new Set(['counsel/submit']),
  tools: new Set(),
  r3Granted: new Set(),
  r3PerCall: new Set(),
  text: { grants: [], exclusions: [], maxDepth: 0 },
  intent: { grants: [], exclusions: [], maxDepth: 0 },
  approved: { grants: [], exclusions: [], maxDepth: 0 },
};

describe('AccessServer', () => {
  it("trust-all (the default): issues an auth token for the resource after its queue's service time, capped at the PS's expiry", () => {
    const { sim, audit, as, answers, ask } = server({});
    expect(as.trust).toBe('trust-all');
    expect(as.domain).toBe('law');
    ask(request('confidential', { expCap: 30 * 60_000_000 }));
    sim.run();
    expect(answers).toEqual([
      [
        2 * MS,
        {
          granted: true,
          token: {
            kind: 'auth',
            jti: 'as:law#0',
            iss: 'as:law',
            aud: 'counsel',
            agent: 'reviewer',
            // -11 (aauth-r11): bound to the agent's key, its thumbprint (the resource checks this, never the agent).
            cnf: agentKeyThumbprint('reviewer'),
            scope: 'submit',
            mission: 'm-1',
            iat: 2 * MS,
            exp: 30 * 60_000_000,
          },
        },
      ],
    ]);
    expect(audit.events.map((event) => event.type)).toEqual(['federation.received', 'token.as_issued']);
    expect(audit.events[0]?.fields).toEqual({ ps: 'ps:home', agent: 'reviewer', resource: 'counsel', scope: 'submit', class: 'confidential' });
  });

  it("caps the token at the profile's auth lifetime when the PS allows longer", () => {
    const { sim, answers, ask } = server({});
    ask(request('public'));
    sim.run();
    const [, answer] = answers[0]!;
    expect(answer.granted && answer.token.exp).toBe(2 * MS + H); // r11 auth tokens live an hour
  });

  it('queues requests: one server answers them one service time apart, in arrival order', () => {
    const { sim, answers, ask } = server({});
    for (const agent of ['a', 'b', 'c']) ask(request('public', { agent }));
    sim.run();
    expect(answers.map(([t, answer]) => [t, answer.granted && answer.token.agent])).toEqual([
      [2 * MS, 'a'],
      [4 * MS, 'b'],
      [6 * MS, 'c'],
    ]);
  });

  it('conservative: refuses a sensitive class with its reason, grants others', () => {
    const { sim, audit, answers, ask } = server({ trust: 'conservative' });
    ask(request('payments'));
    ask(request('public'));
    sim.run();
    expect(answers[0]![1]).toEqual({ granted: false, reason: 'AS policy: payments is a sensitive class' });
    expect(answers[1]![1].granted).toBe(true);
    expect(audit.ofType('token.as_denied')[0]?.fields).toEqual({
      agent: 'reviewer',
      resource: 'counsel',
      scope: 'submit',
      reason: 'AS policy: payments is a sensitive class',
    });
  });

  it('conservative with its own sensitive classes refuses those only', () => {
    const { sim, answers, ask } = server({ trust: 'conservative', sensitive_classes: ['health'] });
    ask(request('payments'));
    ask(request('health'));
    sim.run();
    expect(answers.map(([, answer]) => answer.granted)).toEqual([true, false]);
  });

  it('clarify: logs federation.clarify, asks the PS for the body once per mission, and judges after the reading latency', () => {
    const disclosed = { count: 0 };
    const { sim, audit, answers, ask } = server({ trust: 'clarify', authority: 'scopes', clarify_latency: 'const(10m)' });
    ask(request('confidential', {}, BODY, disclosed));
    ask(request('confidential', { operation: 'delete' }, BODY, disclosed), 20 * 60_000_000);
    sim.run();
    expect(disclosed.count).toBe(1);
    expect(audit.ofType('federation.clarify')).toHaveLength(1);
    expect(answers).toEqual([
      [2 * MS + 10 * 60_000_000, expect.objectContaining({ granted: true })],
      // The body is known: the second call is judged at once, outside the mission's scope.
      [20 * 60_000_000 + 2 * MS, { granted: false, reason: 'AS reading of the mission: outside mission scope' }],
    ]);
  });

  it('clarify: another mission is asked about afresh', () => {
    const disclosed = { count: 0 };
    const { sim, answers, ask } = server({ trust: 'clarify', authority: 'scopes', clarify_latency: 'const(1m)' });
    ask(request('confidential', { mission: 'm-1' }, BODY, disclosed));
    ask(request('confidential', { mission: 'm-2' }, BODY, disclosed));
    sim.run();
    expect(disclosed.count).toBe(2);
    expect(answers).toHaveLength(2);
  });

  describe('class (seed 002, where the PS checks class)', () => {
    const resourceToken = (cls: string | undefined): Token => ({
      kind: 'resource',
      jti: 'resource:counsel#0',
      iss: 'resource:counsel',
      aud: 'as:law',
      agent: 'reviewer',
      scope: 'submit',
      mission: null,
      iat: 0,
      exp: H,
      ...(cls === undefined ? {} : { class: cls }),
    });

    it('scopes the token it issues to the class the PS asserts, and logs it (federation.received, token.as_issued mb_class)', () => {
      const { sim, audit, answers, ask } = server({});
      ask(request('public', { missionClass: 'review-fleet', resourceToken: resourceToken('review-fleet') }));
      sim.run();
      const [, answer] = answers[0]!;
      expect(answer.granted && answer.token.class).toBe('review-fleet');
      expect(audit.ofType('federation.received')[0]?.fields).toMatchObject({ mb_class: 'review-fleet' });
      expect(audit.ofType('token.as_issued')[0]?.fields).toMatchObject({ mb_class: 'review-fleet' });
    });

    it("refuses a request whose resource token names another class than the mission's (token.as_denied class_mismatch), before its trust policy", () => {
      const { sim, audit, answers, ask } = server({});
      ask(request('public', { missionClass: 'review-fleet', resourceToken: resourceToken('export-fleet') }));
      sim.run();
      const reason = 'class_mismatch: the resource token names class "export-fleet", the PS asserts the mission\'s class "review-fleet"';
      expect(answers.map(([, answer]) => answer)).toEqual([{ granted: false, reason }]);
      expect(audit.ofType('token.as_denied')[0]?.fields).toMatchObject({ reason });
      expect(audit.ofType('token.as_issued')).toEqual([]);
    });

    it('without a class asserted by the PS, nothing about class: no claim, no check (a PS that does not check class)', () => {
      const { sim, audit, answers, ask } = server({});
      ask(request('public', { resourceToken: resourceToken('export-fleet') }));
      sim.run();
      const [, answer] = answers[0]!;
      expect(answer.granted && 'class' in answer.token).toBe(false);
      expect(audit.events.some((event) => 'mb_class' in (event.fields ?? {}))).toBe(false);
    });
  });
});

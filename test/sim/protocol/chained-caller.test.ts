import { describe, expect, it } from 'vitest';
import { parseDistribution } from '../../../sim/engine/distribution.ts';
import { Simulation } from '../../../sim/engine/simulation.ts';
import { callDownstream, chainedAgentId, type ChainTarget } from '../../../sim/protocol/chained-caller.ts';
import { Network } from '../../../sim/protocol/network.ts';
import type { AuthTokenEndpoint } from '../../../sim/protocol/ps-messages.ts';
import type { ResourceRequest } from '../../../sim/protocol/resource-messages.ts';
import { RevocationCascade } from '../../../sim/protocol/revocation-cascade.ts';
import type { Token } from '../../../sim/protocol/tokens.ts';
import { WorldContext } from '../../../sim/world/context.ts';
import { tokenFor } from './fakes.ts';
import { RecordingSink } from '../world/recording-sink.ts';

const MS = 1_000;
const LATENCY = parseDistribution('const(1ms)', 'duration');

/** A downstream resource: 401 with a resource token to a request without one, done to one with a token. */
function target(ctx: WorldContext, id: string, log: string[]): ChainTarget {
  const node: ChainTarget = {
    id,
    actor: `resource:${id}`,
    revocation: { mode: 'push', latency: LATENCY },
    cascade: undefined as unknown as RevocationCascade,
    receiveRevocation: () => undefined,
    answerRevocation: () => ({ status: 200 }),
    receive(request: ResourceRequest) {
      log.push(
        `${ctx.sim.now} ${id} ${request.operation} as ${request.agent} ${request.token ? `with ${request.token.jti}` : 'bare'} upstream=${request.upstream?.jti} args=${JSON.stringify(request.args)}`,
      );
      if (request.token) request.reply({ status: 'done' });
      else request.reply({ status: 'unauthorized', resourceToken: tokenFor(`rt-${id}`, 'ps:home', { kind: 'resource', agent: request.agent }) });
    },
  };
  (node as { cascade: RevocationCascade }).cascade = new RevocationCascade(ctx, node);
  return node;
}

function setup(refuse: Set<string> = new Set()) {
  const sim = new Simulation();
  const audit = new RecordingSink();
  const ctx = new WorldContext(sim, 1, audit);
  const log: string[] = [];
  const peers = new Map(['db', 'mail'].map((id) => [id, target(ctx, id, log)]));
  const front = target(ctx, 'front', log);
  const ps: AuthTokenEndpoint = {
    actor: 'ps:home',
    requestAuthToken(resourceToken, agentTokenExp, reply, call, upstream) {
      log.push(
        `${sim.now} ps asked for ${resourceToken.jti} by ${resourceToken.agent} exp<=${agentTokenExp} upstream=${upstream?.jti} args=${JSON.stringify(call?.args)}`,
      );
      const resource = resourceToken.jti.slice(3);
      if (refuse.has(resource)) reply({ granted: false, reason: 'outside the mission', final: false });
      else reply({ granted: true, token: tokenFor(`auth-${resource}`, `resource:${resource}`, { agent: resourceToken.agent }) });
    },
  };
  const upstream: Token = tokenFor('up', 'resource:front', { exp: 77 * MS });
  const run = (calls: Array<{ op: string; args?: Record<string, number> }>) => {
    callDownstream(new Network(ctx, LATENCY), front, peers, ps, 'ps:home', upstream, calls);
    sim.run();
  };
  return { log, run, front, peers };
}

describe('chained calls', () => {
  it('names the chained caller after the resource and the upstream agent', () => {
    expect(chainedAgentId('front', 'agent:a')).toBe('front@agent:a');
  });

  it('makes each call in order through 401 -> PS -> auth token, presenting the upstream token, one latency per hop', () => {
    const { log, run } = setup();
    run([{ op: 'db/write', args: { count: 3 } }, { op: 'mail/send' }]);
    expect(log).toEqual([
      `${1 * MS} db write as front@agent:a bare upstream=up args={"count":3}`,
      `${3 * MS} ps asked for rt-db by front@agent:a exp<=${77 * MS} upstream=up args={"count":3}`,
      `${5 * MS} db write as front@agent:a with auth-db upstream=up args={"count":3}`,
      `${7 * MS} mail send as front@agent:a bare upstream=up args=undefined`,
      `${9 * MS} ps asked for rt-mail by front@agent:a exp<=${77 * MS} upstream=up args=undefined`,
      `${11 * MS} mail send as front@agent:a with auth-mail upstream=up args=undefined`,
    ]);
  });

  it('leaves a refused call and goes on with the next', () => {
    const { log, run } = setup(new Set(['db']));
    run([{ op: 'db/write' }, { op: 'mail/send' }]);
    expect(log.filter((line) => line.includes('with '))).toEqual([`${9 * MS} mail send as front@agent:a with auth-mail upstream=up args=undefined`]);
  });

  it('remembers each downstream token under the upstream one, so revoking the upstream token cascades to them', () => {
    const { run, front } = setup(new Set(['mail']));
    run([{ op: 'db/write' }, { op: 'mail/send' }]);
    // Only db's token was obtained: the cascade waits for db alone, then answers 200.
    expect(front.cascade.revoke(tokenFor('up', 'resource:front'), false)).toBe(202);
    expect(front.cascade.status('up')).toBe(202);
  });
});

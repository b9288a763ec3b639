import type { OperationDef } from '../scenario/schema.ts';
import type { Network } from './network.ts';
import type { PersonServer } from './person-server.ts';
import type { Resource, ResourceAnswer } from './resource.ts';
import type { Token } from './tokens.ts';

type ChainedCall = NonNullable<OperationDef['calls']>[number];

/** The agent id a resource acts under when it calls downstream for one upstream caller. */
export function chainedAgentId(resource: string, upstreamAgent: string): string {
  return `${resource}@${upstreamAgent}`;
}

/**
 * Call chaining: once an operation has run, its resource acts as an agent
 * and makes the operation's downstream calls one after another, each
 * through the usual 401 -> PS -> auth token flow, presenting the caller's
 * auth token as `upstream_token`. The PS places the chained caller one hop
 * below the upstream agent and judges the call against the mission like
 * any other hop. A refused call is left there (the PS logged why).
 */
export function callDownstream(
  network: Network,
  from: Resource,
  peers: ReadonlyMap<string, Resource>,
  ps: PersonServer,
  upstream: Token,
  calls: readonly ChainedCall[],
): void {
  const agent = chainedAgentId(from.id, upstream.agent);
  const next = (index: number): void => {
    const call = calls[index];
    if (call === undefined) return;
    const [resourceId, operation] = call.op.split('/') as [string, string];
    const target = peers.get(resourceId) as Resource; // checked when the scenario was loaded
    const send = (token: Token | undefined, then: (answer: ResourceAnswer) => void) =>
      network.send(from.actor, target.actor, () =>
        target.receive({
          agent, personServer: ps, operation, args: call.args, stage: call.stage, token, upstream,
          reply: (answer) => network.send(target.actor, from.actor, then, answer),
        }), undefined);
    send(undefined, (challenge) => {
      if (challenge.status !== 'unauthorized') return next(index + 1);
      network.send(from.actor, ps.actor, () =>
        ps.requestAuthToken(challenge.resourceToken, upstream.exp, (auth) =>
          network.send(ps.actor, from.actor, () => {
            if (!auth.granted) return next(index + 1);
            from.cascade.noteDownstream(upstream.jti, target, auth.token);
            send(auth.token, () => next(index + 1));
          }, undefined), { args: call.args, stage: call.stage }, upstream), undefined);
    });
  };
  next(0);
}

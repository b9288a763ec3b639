import type { OperationDef } from '../scenario/schema.ts';
import type { Network } from './network.ts';
import type { AuthTokenEndpoint } from './ps-messages.ts';
import type { ResourceAnswer, ResourceEndpoint } from './resource-messages.ts';
import type { CascadeNode, RevocationCascade } from './revocation-cascade.ts';
import type { Token } from './tokens.ts';
import { agentKeyThumbprint } from './agent-keys.ts';

type ChainedCall = NonNullable<OperationDef['calls']>[number];

/** A resource as another resource calls it downstream: its request endpoint, and the revocation cascade that follows the call. */
export type ChainTarget = ResourceEndpoint & CascadeNode;

/** The calling resource: its address and the cascade that remembers what it obtained downstream. */
export interface ChainCaller {
  readonly id: string;
  readonly actor: string;
  readonly cascade: RevocationCascade;
}

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
  from: ChainCaller,
  peers: ReadonlyMap<string, ChainTarget>,
  ps: AuthTokenEndpoint,
  psActor: string,
  upstream: Token,
  calls: readonly ChainedCall[],
): void {
  const agent = chainedAgentId(from.id, upstream.agent);
  const next = (index: number): void => {
    const call = calls[index];
    if (call === undefined) return;
    const [resourceId, operation] = call.op.split('/') as [string, string];
    const target = peers.get(resourceId) as ChainTarget; // checked when the scenario was loaded
    const send = (token: Token | undefined, then: (answer: ResourceAnswer) => void) =>
      network.send(
        from.actor,
        target.actor,
        () =>
          target.receive({
            agent,
            ps: psActor,
            operation,
            args: call.args,
            stage: call.stage,
            token,
            upstream,
            signatureKey: agentKeyThumbprint(agent),
            reply: (answer) => network.send(target.actor, from.actor, then, answer),
          }),
        undefined,
      );
    send(undefined, (challenge) => {
      if (challenge.status !== 'unauthorized') return next(index + 1);
      network.send(
        from.actor,
        ps.actor,
        () =>
          ps.requestAuthToken(
            challenge.resourceToken,
            upstream.exp,
            (auth) =>
              network.send(
                ps.actor,
                from.actor,
                () => {
                  if (!auth.granted) return next(index + 1);
                  from.cascade.noteDownstream(upstream.jti, target, auth.token);
                  send(auth.token, () => next(index + 1));
                },
                undefined,
              ),
            { args: call.args, stage: call.stage },
            upstream,
          ),
        undefined,
      );
    });
  };
  next(0);
}

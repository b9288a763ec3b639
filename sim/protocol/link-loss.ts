import type { Scenario } from '../scenario/schema.ts';

/**
 * The loss of each directed link as the scenario's `network` section sets
 * it: `loss` for every link between an agent and a Person Server or
 * resource, `links` overriding it for named pairs, in both directions;
 * `server_links` for named PS<->AS pairs (the revocation notice).
 * Other links (PS -> resource revocations, chained calls between resources)
 * keep their own settings: loss here is about agent messages.
 */
export function agentLinkLoss(spec: Scenario): (from: string, to: string) => number {
  const fallback = spec.network?.loss ?? 0;
  const named = new Map<string, number>();
  for (const link of spec.network?.links ?? []) {
    // A peer id may name a PS and a resource at once: the link setting covers both.
    for (const peer of [`ps:${link.peer}`, `resource:${link.peer}`]) {
      named.set(`agent:${link.agent}|${peer}`, link.loss);
    }
  }
  // aauth-latest, four-party: a PS<->AS link (the revocation notice), both directions; never covered by network.loss.
  for (const link of spec.network?.server_links ?? []) {
    named.set(`ps:${link.ps}|as:${link.as}`, link.loss);
    named.set(`as:${link.as}|ps:${link.ps}`, link.loss);
  }
  if (fallback === 0 && named.size === 0) return () => 0;
  const isPeer = (actor: string) => actor.startsWith('ps:') || actor.startsWith('resource:');
  return (from, to) => {
    if (from.startsWith('as:') || to.startsWith('as:')) return named.get(`${from}|${to}`) ?? 0;
    const agentEnd = from.startsWith('agent:') ? from : to.startsWith('agent:') ? to : undefined;
    const peerEnd = agentEnd === from ? to : from;
    if (agentEnd === undefined || !isPeer(peerEnd)) return 0;
    return named.get(`${agentEnd}|${peerEnd}`) ?? fallback;
  };
}

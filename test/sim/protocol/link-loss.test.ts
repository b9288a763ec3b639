import { describe, expect, it } from 'vitest';
import { agentLinkLoss } from '../../../sim/protocol/link-loss.ts';
import type { Scenario } from '../../../sim/scenario/schema.ts';

const withNetwork = (network: unknown) => ({ network }) as unknown as Scenario;

describe('agentLinkLoss', () => {
  it('loses nothing when the scenario sets no loss', () => {
    const loss = agentLinkLoss(withNetwork(undefined));
    expect(loss('agent:a', 'ps:home')).toBe(0);
  });

  it('applies the fallback to agent<->PS and agent<->resource links, both directions, and to nothing else', () => {
    const loss = agentLinkLoss(withNetwork({ loss: 0.2 }));
    expect(loss('agent:a', 'ps:home')).toBe(0.2);
    expect(loss('ps:home', 'agent:a')).toBe(0.2);
    expect(loss('resource:cal', 'agent:a')).toBe(0.2);
    expect(loss('ps:home', 'resource:cal')).toBe(0); // revocations keep their own settings
    expect(loss('resource:cal', 'resource:db')).toBe(0); // chained calls too
    expect(loss('agent:a', 'agent:b')).toBe(0);
    expect(loss('agent:a', 'as:lawfirm')).toBe(0);
  });

  it('lets a named link override the fallback for that agent and peer only, covering a PS and a resource of the same id', () => {
    const loss = agentLinkLoss(withNetwork({ loss: 0.1, links: [{ agent: 'a', peer: 'home', loss: 0.9 }] }));
    expect(loss('agent:a', 'ps:home')).toBe(0.9);
    expect(loss('resource:home', 'agent:a')).toBe(0.9);
    expect(loss('agent:b', 'ps:home')).toBe(0.1);
    expect(loss('agent:a', 'ps:work')).toBe(0.1);
  });

  it('a named link works without a fallback, and may set a link lossless under a lossy fallback', () => {
    expect(agentLinkLoss(withNetwork({ links: [{ agent: 'a', peer: 'home', loss: 0.5 }] }))('agent:a', 'ps:home')).toBe(0.5);
    expect(agentLinkLoss(withNetwork({ links: [{ agent: 'a', peer: 'home', loss: 0.5 }] }))('agent:b', 'ps:home')).toBe(0);
    expect(agentLinkLoss(withNetwork({ loss: 0.3, links: [{ agent: 'a', peer: 'home', loss: 0 }] }))('agent:a', 'ps:home')).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { parseDistribution } from '../../../sim/engine/distribution.ts';
import { randomState } from '../../../sim/engine/random.ts';
import { Simulation } from '../../../sim/engine/simulation.ts';
import { Network } from '../../../sim/protocol/network.ts';
import { WorldContext } from '../../../sim/world/context.ts';
import { RecordingSink } from '../world/recording-sink.ts';

function world(latency: string, loss: (from: string, to: string) => number = () => 0, seed = 1) {
  const sim = new Simulation();
  const audit = new RecordingSink();
  const ctx = new WorldContext(sim, seed, audit);
  return { sim, audit, net: new Network(ctx, parseDistribution(latency, 'duration'), loss) };
}

describe('Network', () => {
  it('delivers after one link latency, with the argument', () => {
    const { sim, net } = world('const(25ms)');
    const got: Array<[number, string]> = [];
    sim.schedule(1_000, () => net.send('agent:a', 'ps:home', (msg: string) => got.push([sim.now, msg]), 'hello'));
    sim.run();
    expect(got).toEqual([[26_000, 'hello']]);
  });

  it("draws each directed link's latency from its own stream: using another link first changes nothing", () => {
    const arrivals = (warmOther: boolean) => {
      const { sim, net } = world('exp(10ms)');
      const times: number[] = [];
      if (warmOther) for (let i = 0; i < 5; i++) net.send('ps:home', 'agent:a', () => {}, 0); // the reverse link
      for (let i = 0; i < 5; i++) net.send('agent:a', 'ps:home', () => times.push(sim.now), 0);
      sim.run();
      return times;
    };
    const alone = arrivals(false);
    expect(new Set(alone).size).toBeGreaterThan(1); // the draws do vary
    expect(arrivals(true)).toEqual(alone);
  });

  it('reports which links are lossy and always sends plain `send` messages', () => {
    const { sim, net, audit } = world('const(1ms)', (from) => (from === 'agent:a' ? 1 : 0));
    expect(net.lossy('agent:a', 'ps:home')).toBe(true);
    expect(net.lossy('ps:home', 'agent:a')).toBe(false);
    let delivered = 0;
    net.send('agent:a', 'ps:home', () => delivered++, 0);
    sim.run();
    expect(delivered).toBe(1);
    expect(audit.events).toEqual([]);
  });

  it('records a lost message as message.lost by the sender, with the mission, and never delivers it', () => {
    const { sim, net, audit } = world('const(1ms)', () => 1);
    let delivered = 0;
    sim.schedule(7, () => net.sendLossy('agent:a', 'resource:cal', () => delivered++, 0, 'm-1'));
    sim.run();
    expect(delivered).toBe(0);
    expect(audit.events).toEqual([{ t: 7, type: 'message.lost', mission: 'm-1', actor: 'agent:a', fields: { to: 'resource:cal' } }]);
  });

  it('draws loss from a separate stream: switching loss on keeps the latencies of the messages that arrive', () => {
    const arrivals = (loss: number) => {
      const { sim, net, audit } = world('exp(10ms)', () => loss);
      const got: Array<[number, number]> = [];
      for (let i = 0; i < 40; i++) net.sendLossy('agent:a', 'ps:home', (n: number) => got.push([n, sim.now]), i);
      sim.run();
      return { got, lost: audit.ofType('message.lost').length };
    };
    const clean = arrivals(0);
    const lossy = arrivals(0.5);
    expect(clean.lost).toBe(0);
    expect(clean.got).toHaveLength(40);
    expect(lossy.lost).toBeGreaterThan(0);
    expect(lossy.got.length + lossy.lost).toBe(40);
    // A lost message draws no latency: the delivered ones take the link's first draws, the same as without loss.
    const cleanTimes = clean.got.map(([, t]) => t).sort((x, y) => x - y);
    const lossyTimes = lossy.got.map(([, t]) => t).sort((x, y) => x - y);
    expect(new Set(lossyTimes).size).toBeGreaterThan(1);
    expect(lossyTimes.every((t) => cleanTimes.includes(t))).toBe(true);
  });

  it('keeps one Link per directed pair and the default retry policy', () => {
    const { net } = world('const(1ms)', () => 0.25);
    expect(net.link('agent:a', 'ps:home')).toBe(net.link('agent:a', 'ps:home'));
    expect(net.link('agent:a', 'ps:home')).not.toBe(net.link('ps:home', 'agent:a'));
    expect(net.link('agent:a', 'ps:home').loss).toBe(0.25);
    expect(net.retry).toEqual({ timeout: 30_000_000, retries: 3 });
  });

  it("hands a sender its outgoing links (the same Link objects), and a link draws its latency as the link id's own stream does", () => {
    const { net, sim } = world('exp(10ms)');
    const outgoing = net.outgoing('agent:a');
    expect(net.outgoing('agent:a')).toBe(outgoing);
    expect(outgoing.to('ps:home')).toBe(net.link('agent:a', 'ps:home'));
    expect(outgoing.to('ps:home')).toBe(outgoing.to('ps:home'));
    // The link is its stream: its draws are those of the stream named for it, from the run seed.
    const stream = randomState(1, 'net:agent:a->ps:home');
    const link = outgoing.to('ps:home');
    for (let i = 0; i < 5; i++) expect(link.next()).toBe(stream.next());
    expect(sim.now).toBe(0);
  });
});

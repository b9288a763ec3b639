import { describe, expect, it } from 'vitest';
import { sessionBlockRoot, verifySessionBlockSignature, type SessionBlockFields } from '../../../sim/log/session-block.ts';
import { Simulation } from '../../../sim/engine/simulation.ts';
import { WorldContext } from '../../../sim/world/context.ts';
import { RecordingSink } from './recording-sink.ts';

describe('WorldContext', () => {
  it('gives each entity its own stream: the same for the same seed and id, whatever other streams were made', () => {
    const a = new WorldContext(new Simulation(), 7, new RecordingSink());
    const b = new WorldContext(new Simulation(), 7, new RecordingSink());
    const first = a.stream('agent:alice');
    b.stream('agent:bob')(); // another entity drawing first changes nothing for alice
    const second = b.stream('agent:alice');
    const draws = (rng: () => number) => Array.from({ length: 5 }, rng);
    expect(draws(first)).toEqual(draws(second));
    expect(draws(a.stream('agent:alice'))).not.toEqual(draws(a.stream('agent:bob')));
    expect(draws(new WorldContext(new Simulation(), 8, new RecordingSink()).stream('agent:alice'))).not.toEqual(draws(b.stream('agent:alice')));
  });

  it('records at the current simulated time, and lastSeq points at the event recorded last', () => {
    const sim = new Simulation();
    const audit = new RecordingSink();
    const ctx = new WorldContext(sim, 1, audit);
    expect(ctx.lastSeq).toBe(-1);
    sim.schedule(1500, () => ctx.record('job.arrive', null, 'arrivals', { resource: 'server', job: 'arrivals#0' }));
    sim.run();
    expect(audit.events).toEqual([{ t: 1500, type: 'job.arrive', mission: null, actor: 'arrivals', fields: { resource: 'server', job: 'arrivals#0' } }]);
    expect(ctx.lastSeq).toBe(0);
  });

  it('seals a mission: a signed session block over the hashes of its events since the last block, none when there are none', () => {
    const audit = new RecordingSink();
    const ctx = new WorldContext(new Simulation(), 1, audit);
    const hashes: string[] = [];
    for (const mission of ['m-1', null, 'm-2', 'm-1']) {
      ctx.record('agent.retry', mission, 'agent:a', { to: 'ps', attempt: 1, timeout_us: 5 });
      if (mission === 'm-1') hashes.push(audit.lastHash);
    }
    ctx.sealMission('m-1', 'ps:home');
    const [block] = audit.ofType('audit.session_block');
    expect(block?.mission).toBe('m-1');
    expect(block?.actor).toBe('ps:home');
    const fields = block?.fields as unknown as SessionBlockFields;
    expect(fields.event_count).toBe(2);
    expect(fields.root).toBe(sessionBlockRoot(hashes));
    expect(verifySessionBlockSignature('m-1', fields)).toBe(true);
    expect(verifySessionBlockSignature('m-2', fields)).toBe(false);
    // Nothing new for m-1 since: no second block.
    ctx.sealMission('m-1', 'ps:home');
    expect(audit.ofType('audit.session_block')).toHaveLength(1);
  });

  it('signs with a key derived from the run seed and the signer: the same key for the same pair', () => {
    const seal = (seed: number, signer: string) => {
      const audit = new RecordingSink();
      const ctx = new WorldContext(new Simulation(), seed, audit);
      ctx.record('agent.retry', 'm', 'agent:a', { to: 'ps', attempt: 1, timeout_us: 5 });
      ctx.sealMission('m', signer);
      return (audit.ofType('audit.session_block')[0]?.fields as unknown as SessionBlockFields).public_key;
    };
    expect(seal(1, 'ps:home')).toBe(seal(1, 'ps:home'));
    expect(seal(1, 'ps:home')).not.toBe(seal(2, 'ps:home'));
    expect(seal(1, 'ps:home')).not.toBe(seal(1, 'ps:other'));
  });
});

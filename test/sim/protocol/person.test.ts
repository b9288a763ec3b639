import { describe, expect, it } from 'vitest';
import type { OpFacts } from '../../../sim/authority/envelope.ts';
import { Simulation } from '../../../sim/engine/simulation.ts';
import { Person } from '../../../sim/protocol/person.ts';
import { compilePerson } from '../../../sim/scenario/compile.ts';
import type { PersonDef } from '../../../sim/scenario/schema.ts';
import { WorldContext } from '../../../sim/world/context.ts';
import { RecordingSink } from '../world/recording-sink.ts';

const H = 3_600_000_000;
const MINUTE = 60_000_000;
const OP: OpFacts = { resource: 'shop', operation: 'buy', class: 'goods', action: 'transfer', args: {}, stage: undefined, depth: 0 };

function person(def: Partial<PersonDef>, seed = 1) {
  const sim = new Simulation();
  const audit = new RecordingSink();
  const alice = new Person(new WorldContext(sim, seed, audit), compilePerson({ id: 'alice', approval_latency: 'const(1m)', ...def }));
  return { sim, audit, alice };
}

describe('Person', () => {
  it('answers one approval latency after being asked, logging the question', () => {
    const { sim, audit, alice } = person({});
    const answered: number[] = [];
    sim.schedule(5, () => alice.requestApproval('agent-1', () => answered.push(sim.now), 'approve mission'));
    sim.run();
    expect(answered).toEqual([5 + MINUTE]);
    expect(audit.events).toEqual([
      { t: 5, type: 'person.asked', mission: null, actor: 'person:alice', fields: { agent: 'agent-1', question: 'approve mission' } },
    ]);
  });

  it('outside working hours waits for the next start of hours, logged as person.unavailable (t=0 is Thursday 00:00)', () => {
    const { sim, audit, alice } = person({ availability: { hours: '09:00-17:00', days: 'mon-fri' } });
    const answered: number[] = [];
    sim.schedule(2 * H, () => alice.requestApproval('a', () => answered.push(sim.now)));
    sim.schedule(10 * H, () => alice.requestApproval('b', () => answered.push(sim.now))); // at work: no wait
    sim.run();
    expect(answered).toEqual([9 * H + MINUTE, 10 * H + MINUTE]);
    expect(audit.ofType('person.unavailable')).toEqual([
      { t: 2 * H, type: 'person.unavailable', mission: null, actor: 'person:alice', fields: { agent: 'a', question: 'approve mission', until: 9 * H } },
    ]);
    expect(alice.availableAt(18 * H)).toBe(33 * H); // Thursday evening -> Friday 09:00
  });

  it('with fatigue, each question already waiting slows the answer by latency x fatigue; answered questions stop counting', () => {
    const { sim, alice } = person({ fatigue: 0.5 });
    const answered: Array<[string, number]> = [];
    for (const agent of ['a', 'b', 'c']) alice.requestApproval(agent, () => answered.push([agent, sim.now]));
    sim.schedule(10 * MINUTE, () => alice.requestApproval('d', () => answered.push(['d', sim.now])));
    sim.run();
    expect(answered).toEqual([
      ['a', MINUTE],
      ['b', 1.5 * MINUTE],
      ['c', 2 * MINUTE],
      ['d', 11 * MINUTE],
    ]);
  });

  it('without fatigue, questions waiting together are all answered one latency after asked', () => {
    const { sim, alice } = person({});
    const answered: number[] = [];
    for (const agent of ['a', 'b', 'c']) alice.requestApproval(agent, () => answered.push(sim.now));
    sim.run();
    expect(answered).toEqual([MINUTE, MINUTE, MINUTE]);
  });

  it('by default approves what looks covered and refuses what does not, and approves missions', () => {
    const { sim, alice } = person({});
    const answers: boolean[] = [];
    alice.decide({ agent: 'a', op: OP, covered: true, question: 'permission' }, (yes) => answers.push(yes));
    alice.decide({ agent: 'a', op: OP, covered: false, question: 'permission' }, (yes) => answers.push(yes));
    alice.decideMission('a', (yes) => answers.push(yes));
    sim.run();
    expect(answers).toEqual([true, false, true]);
  });

  it('errs at certainty when the rates are 1: approves the uncovered, refuses the covered and the mission', () => {
    const { sim, alice } = person({ off_mission_approval: 1, on_mission_refusal: 1, mission_refusal: 1 });
    const answers: boolean[] = [];
    alice.decide({ agent: 'a', op: OP, covered: true, question: 'permission' }, (yes) => answers.push(yes));
    alice.decide({ agent: 'a', op: OP, covered: false, question: 'permission' }, (yes) => answers.push(yes));
    alice.decideMission('a', (yes) => answers.push(yes));
    sim.run();
    expect(answers).toEqual([false, true, false]);
  });

  it('errs at about its rate, and its judgement never shifts its latency draws', () => {
    const latencies = (rate: number) => {
      const { sim, alice } = person({ approval_latency: 'exp(1m)', off_mission_approval: rate });
      const times: number[] = [];
      let yes = 0;
      for (let i = 0; i < 400; i++)
        alice.decide({ agent: `a${i}`, op: OP, covered: false, question: 'permission' }, (approved) => {
          times.push(sim.now);
          if (approved) yes++;
        });
      sim.run();
      return { times: times.sort((x, y) => x - y), yes };
    };
    const careful = latencies(0);
    const sloppy = latencies(0.25);
    expect(careful.yes).toBe(0);
    expect(sloppy.yes).toBeGreaterThan(60);
    expect(sloppy.yes).toBeLessThan(140);
    expect(sloppy.times).toEqual(careful.times);
  });

  it("draws action times from the person's own stream", () => {
    const { alice } = person({});
    const { alice: again } = person({});
    const exp = compilePerson({ id: 'x', approval_latency: 'exp(1m)' }).approvalLatency;
    const first = [alice.draw(exp), alice.draw(exp)];
    expect([again.draw(exp), again.draw(exp)]).toEqual(first);
    expect(first[0]).not.toBe(first[1]);
  });
});

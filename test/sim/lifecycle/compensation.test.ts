import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../sim/engine/simulation.ts';
import { CompensationLedger, sendCancellation } from '../../../sim/lifecycle/compensation.ts';
import type { RevocationTarget } from '../../../sim/protocol/revocation-target.ts';
import { WorldContext } from '../../../sim/world/context.ts';
import { FakeRevocationTarget, tokenFor } from '../protocol/fakes.ts';
import { RecordingSink } from '../world/recording-sink.ts';

describe('sendCancellation', () => {
  it('sends one notice per resource, with its tokens in issue order (each once), one latency later; unknown resources get none', () => {
    const sim = new Simulation();
    const ctx = new WorldContext(sim, 1, new RecordingSink());
    const cal = new FakeRevocationTarget(sim, 'cal', { mode: 'push' });
    const db = new FakeRevocationTarget(sim, 'db', { mode: 'none' }); // a cancellation reaches even a resource without revocation
    const resources = new Map<string, RevocationTarget>([
      ['resource:cal', cal],
      ['resource:db', db],
    ]);
    const t1 = tokenFor('t1', 'resource:cal');
    const t2 = tokenFor('t2', 'resource:db');
    const t3 = tokenFor('t3', 'resource:cal', { exp: 0 }); // expired: still named, its work is rolled back too
    sim.schedule(1_000, () => sendCancellation(ctx, () => 0.5, resources, 'm', [t1, t2, t3, t1, tokenFor('t4', 'resource:gone')]));
    sim.run();
    expect(cal.calls).toEqual(['11000 cancel m t1,t3']);
    expect(db.calls).toEqual(['11000 cancel m t2']);
  });
});

describe('CompensationLedger', () => {
  function ledger() {
    const audit = new RecordingSink();
    const ctx = new WorldContext(new Simulation(), 1, audit);
    return { audit, ledger: new CompensationLedger(ctx, 'resource:bank') };
  }

  it("rolls back a mission's reversible work in execution order and reports irreversible work, only for that mission", () => {
    const { audit, ledger: book } = ledger();
    book.note('m', { agent: 'a', op: 'hold', jti: 'j1', irreversible: false });
    book.note('other', { agent: 'b', op: 'hold', jti: 'j9', irreversible: false });
    book.note('m', { agent: 'a', op: 'transfer', jti: 'j2', irreversible: true });
    book.note(null, { agent: 'a', op: 'hold', jti: 'j0', irreversible: false }); // outside a mission: nothing to roll back
    book.compensate('m');
    expect(audit.events.map((event) => [event.type, event.mission, event.actor, event.fields])).toEqual([
      ['op.compensated', 'm', 'resource:bank', { agent: 'a', op: 'hold', jti: 'j1' }],
      ['op.not_compensable', 'm', 'resource:bank', { agent: 'a', op: 'transfer', jti: 'j2' }],
    ]);
  });

  it('compensates each operation once: a second cancellation finds nothing', () => {
    const { audit, ledger: book } = ledger();
    book.note('m', { agent: 'a', op: 'hold', jti: 'j1', irreversible: false });
    book.compensate('m');
    book.compensate('m');
    book.compensate('never-seen');
    expect(audit.events).toHaveLength(1);
  });
});

import { describe, expect, it } from 'vitest';
import { attackLine } from '../../cli/summary.ts';

describe('a run summary says what became of each attack', () => {
  it('names why an attack had no effect: never came into play, or no target', () => {
    const base = { by: null, visible: null } as const;
    expect(attackLine({ ...base, attack: 'late', outcome: 'no_effect', code: 'never came into play' })).toBe('attack late: no effect (never came into play)');
    expect(attackLine({ ...base, attack: 'early', outcome: 'no_effect', code: 'no target: the orchestration had not opened' })).toBe(
      'attack early: no effect (no target: the orchestration had not opened)',
    );
  });

  it('names who refused, and who can see an effect', () => {
    expect(attackLine({ attack: 'a', outcome: 'refused', by: 'gec', code: 'SACR_NOT_FOUND', visible: 'log' })).toBe(
      'attack a: refused by gec (SACR_NOT_FOUND)',
    );
    expect(attackLine({ attack: 'b', outcome: 'took_effect', by: null, code: 'HIJACKED_PLAN_B', visible: 'oracle' })).toBe(
      'attack b: took effect, HIJACKED_PLAN_B (only the oracle knows)',
    );
  });
});

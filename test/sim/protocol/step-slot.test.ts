import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PlannedStep } from '../../../sim/protocol/planned-step.ts';
import { StepSlot, TokenHolders } from '../../../sim/protocol/step-slot.ts';
import type { Token } from '../../../sim/protocol/tokens.ts';

/** A step with just the keys the slots are made by. */
function step(key: string, personKey: string): PlannedStep {
  return { key, personKey, at: undefined, after: undefined } as unknown as PlannedStep;
}

function token(n: number): Token {
  return { jti: `t${n}`, exp: n } as unknown as Token;
}

const KEYS = ['a', 'b', 'c'];
const keyIndex = fc.integer({ min: 0, max: KEYS.length - 1 });

/**
 * What an agent did with its slots, acting on runtime 0 or 1; runtime 1
 * may share runtime 0's auth tokens (token_cache: shared) as it shared its map.
 */
const action = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), runtime: fc.nat(1), slot: fc.nat(5), person: fc.boolean(), n: fc.nat(99) }),
  fc.record({ kind: fc.constant('delete' as const), runtime: fc.nat(1), slot: fc.nat(5) }),
  fc.record({ kind: fc.constant('clear' as const), runtime: fc.nat(1), person: fc.boolean() }),
);

describe('StepSlot and TokenHolders', () => {
  it('hold tokens as the maps by step key and person key they replace did, shared cache included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(keyIndex, keyIndex), { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        fc.array(action, { maxLength: 40 }),
        (plan, shared, actions) => {
          // The maps as the agent held them before: auth tokens by key (shared: runtime 1 holds runtime 0's), person tokens by person key.
          const authMaps = [new Map<string, Token>(), new Map<string, Token>()];
          if (shared) authMaps[1] = authMaps[0] as Map<string, Token>;
          const personMaps = [new Map<string, Token>(), new Map<string, Token>()];
          const authHolders = [new TokenHolders('authToken'), new TokenHolders('authToken')];
          const personHolders = [new TokenHolders('personToken'), new TokenHolders('personToken')];
          const steps = plan.map(([k, p]) => step(KEYS[k] as string, KEYS[p] as string));
          const slots = [0, 1].map((r) => steps.map((s) => new StepSlot(s, authHolders[r] as TokenHolders, personHolders[r] as TokenHolders)));
          // As Agent.shareTokensOf: runtime 1's slots, made with a cache of their own, hold their auth tokens in runtime 0's.
          if (shared) {
            authHolders[1] = authHolders[0] as TokenHolders;
            for (const slot of slots[1] as StepSlot[]) slot.holdAuthTokensIn(authHolders[0] as TokenHolders);
          }
          for (const act of actions) {
            const r = act.runtime;
            if (act.kind === 'clear') {
              (act.person ? personMaps : authMaps)[r]?.clear();
              (act.person ? personHolders : authHolders)[r]?.clear();
              continue;
            }
            const i = act.slot % steps.length;
            const slot = slots[r]?.[i] as StepSlot;
            const s = steps[i] as PlannedStep;
            if (act.kind === 'delete') {
              authMaps[r]?.delete(s.key);
              slot.auth.authToken = undefined;
            } else if (act.person) {
              personMaps[r]?.set(s.personKey, token(act.n));
              slot.person.personToken = token(act.n);
            } else {
              authMaps[r]?.set(s.key, token(act.n));
              slot.auth.authToken = token(act.n);
            }
            for (const runtime of [0, 1])
              steps.forEach((each, j) => {
                const read = slots[runtime]?.[j] as StepSlot;
                expect(read.auth.authToken).toEqual(authMaps[runtime]?.get(each.key));
                expect(read.person.personToken).toEqual(personMaps[runtime]?.get(each.personKey));
              });
          }
        },
      ),
    );
  });

  it('hold a key no plan step has (a drift step’s) in a map, as the old map did, and let go of it when emptied', () => {
    const auth = new TokenHolders('authToken');
    const person = new TokenHolders('personToken');
    const plan = new StepSlot(step('a', 'p'), auth, person);
    const drifted = () => new StepSlot(step('drift-1', 'p'), auth, person, false);
    // A drift step with the plan's key uses the plan slot's token.
    plan.auth.authToken = token(1);
    expect(new StepSlot(step('a', 'p'), auth, person, false).auth.authToken).toBe(plan.auth.authToken);
    // A drift step's own key: its token is found by the next drift step with that key, and by no plan slot.
    drifted().auth.authToken = token(2);
    expect(drifted().auth.authToken?.jti).toBe('t2');
    expect(auth.size).toBe(2);
    auth.clear();
    expect(plan.auth.authToken).toBeUndefined();
    expect(drifted().auth.authToken).toBeUndefined();
    // Emptied: the drift key is let go (plausible drift makes a new key per drifted call), the plan's key stays.
    expect(auth.size).toBe(1);
    // A slot still being performed when the tokens were emptied writes its token back, as into the old map: the next drift step finds it.
    const inFlight = drifted();
    auth.clear();
    inFlight.auth.authToken = token(3);
    expect(drifted().auth.authToken?.jti).toBe('t3');
  });
});

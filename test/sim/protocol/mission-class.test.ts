import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../sim/engine/simulation.ts';
import { CLASS_MISMATCH, isClassRefusal, MissionClasses } from '../../../sim/protocol/mission-class.ts';
import { tokenClaims } from '../../../sim/protocol/tokens.ts';
import { WorldContext } from '../../../sim/world/context.ts';
import { RecordingSink } from '../world/recording-sink.ts';
import { tokenFor } from './fakes.ts';

function book() {
  const audit = new RecordingSink();
  const ctx = new WorldContext(new Simulation(), 1, audit);
  return { audit, classes: new MissionClasses(ctx, 'ps:home') };
}

const agentToken = (cls?: string) => tokenFor('ap:a#0', 'none', { kind: 'agent', aud: null, agent: 'a', mission: null, ...(cls ? { class: cls } : {}) });

describe('MissionClasses: the PS binds a mission to its proposer class and checks every token request', () => {
  it('binds at approval (not at proposal), logs the binding, and refuses another class with a class_mismatch reason', () => {
    const { audit, classes } = book();
    classes.propose('a', agentToken('fleet'));
    expect(classes.classOf('a')).toBeUndefined();
    expect(audit.events).toEqual([]);
    classes.approved('m1', 'a');
    expect(classes.classOf('a')).toBe('fleet');
    expect(audit.events).toEqual([
      expect.objectContaining({ type: 'mission.class_bound', mission: 'm1', actor: 'ps:home', fields: { agent: 'a', class: 'fleet' } }),
    ]);
    expect(classes.check('a', agentToken('fleet'))).toBeNull();
    const refusal = classes.check('a', agentToken('other')) as string;
    expect(refusal).toBe(`${CLASS_MISMATCH}: runtime class "other" is not the mission's class "fleet"`);
    expect(isClassRefusal(refusal)).toBe(true);
    expect(classes.check('a', agentToken())).toMatch(/^class_mismatch: the request names no class \(expected "fleet"\)$/);
    expect(classes.check('a', undefined)).toMatch(/^class_mismatch/);
  });

  it('a resource token scoped to another class does not transfer to this runtime', () => {
    const { classes } = book();
    classes.propose('a', agentToken('fleet'));
    classes.approved('m1', 'a');
    const resourceToken = tokenFor('resource:r#0', 'ps:home', { kind: 'resource', agent: 'a', mission: null, class: 'other' });
    expect(classes.check('a', agentToken('fleet'), resourceToken)).toBe(
      'class_mismatch: the resource token is scoped to class "other", the request is signed by a runtime of class "fleet"',
    );
    expect(classes.check('a', agentToken('fleet'), { ...resourceToken, class: 'fleet' })).toBeNull();
  });

  it('a mission or hop opened without an agent token naming a class stays unbound and unchecked (the AOP chain, chained resources)', () => {
    const { audit, classes } = book();
    classes.propose('a', undefined);
    classes.approved('m1', 'a');
    classes.minted('m1', 'child', agentToken());
    expect(audit.events).toEqual([]);
    expect(classes.check('a', undefined)).toBeNull();
    expect(classes.check('child', agentToken('any'))).toBeNull();
  });

  it('a minted hop is bound to its own class, apart from its root mission', () => {
    const { classes } = book();
    classes.propose('a', agentToken('fleet'));
    classes.approved('m1', 'a');
    classes.minted('m1', 'child', agentToken('helpers'));
    expect(classes.check('child', agentToken('helpers'))).toBeNull();
    expect(classes.check('child', agentToken('fleet'))).toMatch(/^class_mismatch: runtime class "fleet" is not the mission's class "helpers"$/);
  });

  it('tokens carry the class as mb_class only where a class was named', () => {
    const auth = tokenFor('ps:home#0', 'r', { class: 'fleet' });
    expect(tokenClaims(auth, 'claim')).toMatchObject({ mission_s256: 'm', mb_class: 'fleet' });
    expect('mb_class' in tokenClaims(tokenFor('ps:home#1', 'r'), 'claim')).toBe(false);
  });
});

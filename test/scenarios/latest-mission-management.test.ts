import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Event, runEvents as run } from './run-events.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import { SCENARIOS, scenarioProblems } from '../helpers.ts';

const s256 = (body: string) => createHash('sha256').update(body, 'utf8').digest('base64url');
// after-hours-concierge with its audit step replaced by an update, and the agent reporting completion at its plan's end.
const UPDATE = [
  'agents[concierge].plan[3]={update: "Also hold a table for dinner", after: 10s}',
  'agents[concierge].mission.complete_at_plan_end=true',
  'interventions=[]',
];

describe('-11 mission update and agent-proposed completion (aauth-r11 and aauth-latest)', () => {
  it('an accepted update is stored as its own body; its s256 is over those bytes; the meaning is the blob plus the update', () => {
    const events = run('after-hours-concierge', ['profile=aauth-latest', ...UPDATE]);
    const approved = events.find((e) => e.type === 'mission.approved') as Event;
    const updated = events.find((e) => e.type === 'mission.updated') as Event;
    expect(updated).toMatchObject({ mission: approved.mission, approver: 'alice', sequence: 1 });
    expect(updated.update_s256).toBe(s256(updated.body as string));
    expect(JSON.parse(updated.body as string)).toMatchObject({ mission: approved.mission, sequence: 1, description: 'Also hold a table for dinner' });
    expect(updated.meaning).toEqual([approved.mission, updated.update_s256]);
    // The blob's s256 stays the mission's identifier: every line after the update names it, and every token carries it.
    const after = events.filter((e) => e.t > updated.t && e.mission !== null);
    expect(after.length).toBeGreaterThan(0);
    for (const event of after) expect(event.mission).toBe(approved.mission);
    for (const grant of events.filter((e) => e.type === 'token.auth_granted')) expect(grant.mission_s256).toBe(approved.mission);
    expect(updated.t).toBeGreaterThan((events.find((e) => e.type === 'mission.update_proposed') as Event).t);
  });

  it('the completion the agent proposes ends the mission only once the person accepts it', () => {
    const events = run('after-hours-concierge', ['profile=aauth-latest', ...UPDATE]);
    const proposed = events.find((e) => e.type === 'mission.completion_proposed') as Event;
    const accepted = events.find((e) => e.type === 'mission.completion_accepted') as Event;
    const terminated = events.find((e) => e.type === 'mission.terminated') as Event;
    expect(accepted.t).toBeGreaterThan(proposed.t);
    expect(terminated).toMatchObject({ reason: 'completed', t: accepted.t });
  });

  it('a person who refuses: no update, no completion; the mission stays active', () => {
    const events = run('after-hours-concierge', [
      'profile=aauth-latest',
      ...UPDATE,
      'people[alice].mission_refusal=1',
      'topology.person_servers[0].approval=immediate',
    ]);
    expect(events.find((e) => e.type === 'mission.update_refused')).toMatchObject({ reason: 'refused by the person' });
    expect(events.some((e) => e.type === 'mission.updated')).toBe(false);
    expect(events.find((e) => e.type === 'mission.completion_refused')).toMatchObject({ reason: 'refused by the person' });
    expect(events.some((e) => e.type === 'mission.terminated')).toBe(false);
  });

  it('aauth-r11 (the -11 text has both) proposes its completion too; aauth-r01 completes at once; an update step is refused at validate before -11', () => {
    const r11 = run('after-hours-concierge', ['profile=aauth-r11', ...UPDATE]);
    expect(r11.some((e) => e.type === 'mission.updated')).toBe(true);
    expect(r11.some((e) => e.type === 'mission.completion_accepted')).toBe(true);
    const r01 = run('after-hours-concierge', ['profile=aauth-r01', 'agents[concierge].mission.complete_at_plan_end=true', 'interventions=[]']);
    expect(r01.some((e) => e.type.startsWith('mission.completion'))).toBe(false);
    expect(r01.find((e) => e.type === 'mission.terminated')).toMatchObject({ reason: 'completed' });
    const text = readFileSync(join(SCENARIOS, 'after-hours-concierge.yaml'), 'utf8');
    const problems = scenarioProblems(text, ['profile=aauth-r01', UPDATE[0] as string]);
    expect(problems[0]?.expected).toMatch(/mission updates \(aauth-r11, aauth-latest: -11 and later\)/);
    expect(problems[0]?.found).toBe('profile aauth-r01');
    expect(() => loadScenario(join(SCENARIOS, 'after-hours-concierge.yaml'), ['profile=aauth-r11', UPDATE[0] as string])).not.toThrow();
  });
});

describe('aauth-latest mission_control_endpoint', () => {
  // bob is another person at the same PS; he asks to terminate alice's mission. He was never told its s256
  // (he did not approve it, and does not administer the PS), so he names none: the world looks nothing up for him.
  const BOB = ['people[1]={id: bob}', 'interventions[0].person=bob'];

  it('a person acting on a mission that is not theirs names none and gets mission_not_found, and the mission goes on', () => {
    const events = run('after-hours-concierge', ['profile=aauth-latest', ...BOB]);
    expect(events.find((e) => e.type === 'person.terminate')).toMatchObject({ actor: 'person:bob', mission: null });
    const refused = events.find((e) => e.type === 'mission_control.refused') as Event;
    expect(refused).toMatchObject({
      caller: 'bob',
      action: 'terminate',
      requested: null,
      status: 404,
      error: 'mission_not_found',
      cause: 'not_found',
    });
    // The request travelled to the endpoint and waited in the PS's queue: refused after the person acted, not at once.
    expect(refused.t).toBeGreaterThan((events.find((e) => e.type === 'person.terminate') as Event).t);
    expect(events.some((e) => e.type === 'mission.terminated')).toBe(false);
  });

  it("the mission's own person names it by the s256 the PS told them at approval", () => {
    const events = run('after-hours-concierge', ['profile=aauth-latest']);
    const approved = events.find((e) => e.type === 'mission.approved') as Event;
    expect(events.find((e) => e.type === 'person.terminate')).toMatchObject({ actor: 'person:alice', mission: approved.mission });
  });

  it('its own person terminates it through the same endpoint', () => {
    const events = run('after-hours-concierge', ['profile=aauth-latest']);
    expect(events.some((e) => e.type === 'mission_control.refused')).toBe(false);
    expect(events.find((e) => e.type === 'mission.terminated')).toMatchObject({ reason: 'revoked' });
  });

  it("aauth-r11 has no such endpoint: the PS's console acts for whoever names the mission, and bob can name none", () => {
    // Until issue 17 the world named alice's mission for bob (the PS's own record) and the PS terminated it.
    const events = run('after-hours-concierge', ['profile=aauth-r11', ...BOB]);
    expect(events.find((e) => e.type === 'mission_control.refused')).toMatchObject({ caller: 'bob', requested: null, cause: 'not_found' });
    expect(events.some((e) => e.type === 'mission.terminated')).toBe(false);
  });
});

describe('aauth-latest mission_control_endpoint: administrators', () => {
  // compliance-pause: a compliance officer (not the mission's person) pauses the treasury mission at 10h.
  it("refuses a pause by someone who is neither the mission's person nor an administrator, and carries it out for an administrator", () => {
    // Not an administrator (the scenario makes compliance one): never told of the mission, so they name none.
    const refused = run('compliance-pause', ['profile=aauth-latest', 'topology.person_servers[0].administrators=[]']);
    expect(refused.filter((e) => e.type === 'mission_control.refused').map((e) => [e.caller, e.action, e.requested, e.cause])).toEqual([
      ['compliance', 'suspend', null, 'not_found'],
      ['compliance', 'resume', null, 'not_found'],
    ]);
    expect(refused.some((e) => e.type === 'mission.terminated')).toBe(false);
    // An administrator is told of every mission the PS approves: they name it by that s256.
    const admin = run('compliance-pause', ['profile=aauth-latest']);
    const approved = admin.find((e) => e.type === 'mission.approved') as Event;
    expect(admin.find((e) => e.type === 'person.suspend')).toMatchObject({ actor: 'person:compliance', mission: approved.mission });
    expect(admin.some((e) => e.type === 'mission_control.refused')).toBe(false);
    // -11 has no suspend: the pause terminates the mission, and the agent proposes a new one at the resume.
    expect(admin.find((e) => e.type === 'mission.terminated')).toMatchObject({ reason: 'administrative' });
    expect(admin.some((e) => e.type === 'mission.reproposed')).toBe(true);
  });

  it('validate refuses an administrator who is not a person of the scenario', () => {
    const text = readFileSync(join(SCENARIOS, 'compliance-pause.yaml'), 'utf8');
    expect(scenarioProblems(text, ['topology.person_servers[0].administrators=[nobody]'])[0]).toMatchObject({
      path: 'topology.person_servers[0].administrators[0]',
      found: 'unknown person "nobody"',
    });
  });
});

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { exportCallRecords } from '../../sim/log/aauth-call/export.ts';
import { ingestCallLogs } from '../../sim/log/aauth-call/ingest.ts';
import type { LoggedEvent } from '../../sim/log/read-log.ts';
import { agentKeyThumbprint } from '../../sim/protocol/agent-keys.ts';
import { Agent } from '../../sim/protocol/agent.ts';
import type { GovernanceAnswer } from '../../sim/protocol/governance-endpoints.ts';
import { Network } from '../../sim/protocol/network.ts';
import type { AgentFacingEndpoints } from '../../sim/protocol/ps-endpoints.ts';
import type { ParentRoute } from '../../sim/protocol/sub-agent-governance.ts';
import type { Token } from '../../sim/protocol/tokens.ts';
import { runScenario } from '../../sim/run.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import { readLines, tempDir } from '../helpers.ts';
import { HELPER_SUB_AGENT, PAY_INVOICES_MISSION, PAYMENTS_RESOURCE } from './payments-world.ts';

/**
 * -11 ("A sub-agent MUST NOT call the PS directly"): a sub-agent's
 * governance requests (permission, interaction, their polls, audit) and
 * mission updates go through its parent like its token requests
 * (docs/profiles.md, "Sub-agents under -11").
 */
const L = 20_000; // one-way latency, const(20ms)
const PS_SERVICE = 10_000; // the PS's queue, const(10ms)
const POLL = 5_000_000; // the PS's poll_interval
const MINUTE = 60_000_000;

const SCENARIO = (profile: string, update: boolean) => `
name: sub-agent-governance
description: A parent and one sub-agent whose plan asks the PS's governance endpoints.
duration: 30m
profile: ${profile}
network: { latency: const(20ms) }
topology:
  person_servers:
    - { id: ps.example, approval: immediate, authority: envelope, narrowing: at-mint, max_depth: 3, poll_interval: 5s, queue: { servers: 1, service: const(10ms) } }
  resources:
${PAYMENTS_RESOURCE}
people: [{ id: dana }]
agents:
  - id: boss
    person: dana
    ps: ps.example
${PAY_INVOICES_MISSION}
    plan: [{ op: payments.example/charge, at: 1m, args: { amount: 1 } }]
${HELPER_SUB_AGENT}
    plan:
      - { permission: payments.example/charge, args: { amount: 2 }, at: 6m }
      - { audit: "paid invoice 2", at: 7m }
${update ? '      - { update: "Invoice 2 was a duplicate; paying invoice 3 instead.", at: 8m }' : ''}
      - { interact: "Which invoice next?", at: 9m }
      - { op: payments.example/charge, args: { amount: 2 } }
`;

function run(profile: string, update = profile !== 'aauth-r01'): LoggedEvent[] {
  const dir = tempDir();
  const file = join(dir, `${profile}.yaml`);
  writeFileSync(file, SCENARIO(profile, update));
  runScenario(loadScenario(file), { seed: 1, outDir: join(dir, 'run') });
  return readLines(join(dir, 'run', 'events.jsonl')).map((line) => JSON.parse(line) as LoggedEvent);
}
const find = (events: LoggedEvent[], type: string, match: Record<string, unknown> = {}) =>
  events.filter((e) => e.type === type && Object.entries(match).every(([k, v]) => e[k] === v));
const first = (events: LoggedEvent[], type: string, match: Record<string, unknown> = {}) => {
  const [event] = find(events, type, match);
  if (!event) throw new Error(`no ${type} ${JSON.stringify(match)}`);
  return event;
};
const asks = (events: LoggedEvent[], request: string) => find(events, 'delegation.parent_asked', { child: 'helper', request }).map((e) => e.t);

describe("-11: a sub-agent's governance requests and updates go through its parent", () => {
  const r11 = run('aauth-r11');
  const r01 = run('aauth-r01');

  it('permission: the parent has it one latency after the sub-agent sent it, the PS two (r01: one), and the PS logs the parent as signer', () => {
    expect(asks(r11, 'permission')).toEqual([6 * MINUTE + L]);
    const asked = first(r11, 'permission.requested', { agent: 'helper' });
    expect(asked.t).toBe(6 * MINUTE + 2 * L + PS_SERVICE);
    expect(asked.signed_by).toBe('boss');
    // The PS judged it under the parent's mission, as it judges the sub-agent's token requests.
    expect(asked.mission).toBe(first(r11, 'mission.approved').mission);
    expect(first(r11, 'permission.decided', { agent: 'helper' }).decision).toBe('granted');
    const direct = first(r01, 'permission.requested', { agent: 'helper' });
    expect(direct.t).toBe(6 * MINUTE + L + PS_SERVICE);
    expect(direct.signed_by).toBeUndefined();
  });

  it('audit: relayed one-way by the parent, one latency later than the sub-agent sending it itself', () => {
    expect(asks(r11, 'audit')).toEqual([7 * MINUTE + L]);
    const reported = first(r11, 'audit.reported', { agent: 'helper' });
    expect([reported.t, reported.signed_by]).toEqual([7 * MINUTE + 2 * L + PS_SERVICE, 'boss']);
    expect(first(r01, 'audit.reported', { agent: 'helper' }).t).toBe(7 * MINUTE + L + PS_SERVICE);
  });

  it("update: the parent relays it; the PS puts it to the person as an update of the parent's mission, naming the sub-agent", () => {
    expect(asks(r11, 'update')).toEqual([8 * MINUTE + L]);
    const proposed = first(r11, 'mission.update_proposed');
    expect([proposed.t, proposed.agent, proposed.subagent]).toEqual([8 * MINUTE + 2 * L + PS_SERVICE, 'boss', 'helper']);
    expect(proposed.mission).toBe(first(r11, 'mission.approved').mission);
    expect(find(r11, 'mission.update_refused')).toEqual([]);
  });

  it('interaction: asked through the parent, then polled through it every Retry-After: each round trip is 4L + the PS time + the poll interval', () => {
    expect(asks(r11, 'interaction')).toEqual([9 * MINUTE + L]);
    const asked = first(r11, 'interaction.requested', { agent: 'helper' });
    expect([asked.t, asked.signed_by]).toEqual([9 * MINUTE + 2 * L + PS_SERVICE, 'boss']);
    const polls = asks(r11, 'governance_poll');
    expect(polls.length).toBeGreaterThan(0);
    // interaction at the parent -> PS (L) -> served -> parent (L) -> sub-agent (L) -> Retry-After -> parent (L).
    expect(polls[0]).toBe(9 * MINUTE + L + 4 * L + PS_SERVICE + POLL);
    for (let i = 1; i < polls.length; i++) expect((polls[i] as number) - (polls[i - 1] as number)).toBe(4 * L + PS_SERVICE + POLL);
    // The last poll is the one that came back answered: the person answered before it reached the PS.
    const answered = first(r11, 'interaction.answered', { agent: 'helper' });
    expect((polls[polls.length - 1] as number) + L).toBeGreaterThan(answered.t);
    expect((polls[polls.length - 2] ?? asks(r11, 'interaction')[0]) as number).toBeLessThan(answered.t + L);
  });

  it('every request the sub-agent makes of the PS went to its parent first', () => {
    const kinds = find(r11, 'delegation.parent_asked', { child: 'helper' }).map((e) => e.request ?? 'hop');
    expect(new Set(kinds)).toEqual(new Set(['hop', 'permission', 'audit', 'update', 'interaction', 'governance_poll', 'person_token', 'auth_token']));
    expect(find(r01, 'delegation.parent_asked')).toEqual([]);
  });
});

describe("-11 at the PS: a sub-agent's own governance request or update is refused", () => {
  afterEach(() => vi.restoreAllMocks());

  it('a sub-agent that sends them to the PS itself, signed with its own agent token, is refused as signed by a sub-agent; nothing is judged or logged as its request', () => {
    // Route the sub-agent's governance steps straight to the PS (what -11 forbids), its hop and tokens still through its parent.
    vi.spyOn(Agent.prototype as unknown as { parentRoute: ParentRoute }, 'parentRoute', 'get').mockImplementation(function (this: unknown) {
      const agent = this as unknown as { ps: AgentFacingEndpoints; signingToken(): Token | undefined };
      return {
        *ask(build) {
          const request = build();
          const own = agent.signingToken();
          let answer: GovernanceAnswer | undefined;
          if (request.kind === 'permission') agent.ps.governance.permission(request.child, request.mission, request.action, (a) => (answer = a), own);
          if (request.kind === 'interaction') agent.ps.governance.interaction(request.child, request.mission, request.question, (a) => (answer = a), own);
          yield 1; // the PS answers in its queue: let it run
          yield 100_000;
          return answer ?? { status: 'answered', granted: false, reason: 'no answer' };
        },
        notify(notice) {
          const own = agent.signingToken();
          if (notice.kind === 'audit') agent.ps.governance.audit(notice.child, notice.mission, notice.action, own);
          else agent.ps.proposeUpdate(notice.child, notice.description, own);
        },
      };
    });
    const events = run('aauth-r11');
    vi.restoreAllMocks();
    const refused = find(events, 'agent_token.refused', { agent: 'helper' });
    const reason = 'invalid_request: signed by a sub-agent (its agent token has parent_agent); its parent must ask';
    expect(refused.map((e) => [e.endpoint, e.reason])).toEqual([
      ['governance', reason],
      ['governance', reason],
      ['update', reason],
      ['governance', reason],
    ]);
    for (const type of ['permission.requested', 'audit.reported', 'interaction.requested', 'mission.update_proposed']) expect(find(events, type)).toEqual([]);
    // Its token requests still went through its parent and were granted.
    expect(first(events, 'token.auth_granted', { agent: 'helper' }).signed_by).toBe('boss');
  });
});

describe('structure: under -11 no sub-agent path reaches the PS', () => {
  afterEach(() => vi.restoreAllMocks());

  /** Every (from, to) pair of messages sent during a run, as the network saw them. */
  function routes(profile: string): Array<[string, string]> {
    const seen: Array<[string, string]> = [];
    const link = Network.prototype.link;
    vi.spyOn(Network.prototype, 'link').mockImplementation(function (this: Network, from: string, to: string) {
      seen.push([from, to]);
      return link.call(this, from, to);
    });
    run(profile);
    vi.restoreAllMocks();
    return seen;
  }
  const from = (seen: Array<[string, string]>, actor: string) => new Set(seen.filter(([f]) => f === actor).map(([, t]) => t));

  it('aauth-r11 and aauth-latest: the sub-agent sends only to its parent, the resource and its agent provider', () => {
    for (const profile of ['aauth-r11', 'aauth-latest']) {
      const targets = from(routes(profile), 'agent:helper');
      expect([...targets].filter((to) => to.startsWith('ps:'))).toEqual([]);
      expect(targets.has('agent:boss')).toBe(true);
      // The parent does reach the PS: the relay is real.
      expect(from(routes(profile), 'agent:boss').has('ps:ps.example')).toBe(true);
    }
  });

  it('aauth-r01 (control): its sub-agent asks the PS itself, so the same check sees it', () => {
    const targets = from(routes('aauth-r01'), 'agent:helper');
    expect(targets.has('ps:ps.example')).toBe(true);
    expect(targets.has('agent:boss')).toBe(false);
  });
});

describe("aauth.call: a sub-agent's governance requests, relayed by its parent, round-trip", () => {
  const events = run('aauth-r11');

  it('export then ingest gives back the governance events, who signed them, and the parent asks', () => {
    const exported = exportCallRecords(events, 'sub-agent-governance');
    const file = join(tempDir(), 'calls.jsonl');
    writeFileSync(file, `${exported.records.map((r) => JSON.stringify(r)).join('\n')}\n`);
    const out = join(tempDir(), 'ingested');
    const { report } = ingestCallLogs([file], out, { at: '2026-12-05T00:00:00Z' });
    expect(report.unmapped.total).toBe(0);
    const after = readFileSync(join(out, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as LoggedEvent);
    const governance = (log: LoggedEvent[]) =>
      log
        // Mission updates are not in the aauth.call export for any agent (docs/aauth-call.md): their parent asks are.
        .filter((e) => /^(permission\.|audit\.reported|interaction\.|delegation\.parent)/.test(e.type))
        .map(({ seq: _seq, prev: _prev, hash: _hash, ...rest }) => rest)
        .sort((a, b) => a.t - b.t || JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(governance(events).filter((e) => e.signed_by === 'boss').length).toBe(3);
    expect(governance(after)).toEqual(governance(events));
  });
});

describe('aauth.call: -11 tokens name a key, never an agent', () => {
  type Jwt = { type: string; payload: Record<string, unknown> };
  /** Every token in the exported records' bodies (request and response), by its type. */
  function tokens(profile: string): Jwt[] {
    const found: Jwt[] = [];
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) return value.forEach(walk);
      if (value === null || typeof value !== 'object') return;
      const object = value as Record<string, unknown>;
      if (typeof object.type === 'string' && object.type.startsWith('aa-') && typeof object.payload === 'object') found.push(object as Jwt);
      Object.values(object).forEach(walk);
    };
    walk(exportCallRecords(run(profile), profile).records);
    return found.filter((t) => t.type !== 'aa-agent+jwt');
  }

  it('aauth-r11: resource, person and auth tokens carry no agent; the resource token agent_jkt, the others cnf.jkt, all a key thumbprint', () => {
    const found = tokens('aauth-r11');
    expect(new Set(found.map((t) => t.type))).toEqual(new Set(['aa-resource+jwt', 'aa-person+jwt', 'aa-auth+jwt']));
    const keys = new Set([agentKeyThumbprint('boss'), agentKeyThumbprint('helper')]);
    for (const token of found) {
      expect(token.payload.agent).toBeUndefined();
      // A resource token built for an auth request's body is logged by the PS from the auth token it issued (cnf); one the resource issued carries agent_jkt.
      const key = token.type === 'aa-resource+jwt' ? token.payload.agent_jkt : (token.payload.cnf as { jkt?: unknown } | undefined)?.jkt;
      if (key !== undefined) expect(keys.has(String(key))).toBe(true);
    }
    expect(found.some((t) => t.type === 'aa-resource+jwt' && t.payload.agent_jkt === agentKeyThumbprint('helper'))).toBe(true);
  });

  it('aauth-r11: the tokens name the person by a directed sub (pairwise per resource) and ps; export then ingest gives back the same token events', () => {
    const events = run('aauth-r11');
    const person = find(events, 'token.person_issued');
    expect(person.length).toBeGreaterThan(0);
    for (const event of [...person, ...find(events, 'token.resource_issued'), ...find(events, 'token.auth_granted')]) {
      expect(typeof event.sub).toBe('string');
      expect(event.sub).not.toContain(String(event.agent));
    }
    // One person (dana), one resource here: boss and helper act for the same person, so the resource sees one sub for both.
    expect(new Set(person.map((e) => e.sub)).size).toBe(1);
    for (const event of find(events, 'token.auth_granted')) expect(event.ps).toBe('https://ps.example');
    const exported = exportCallRecords(events, 'sub-agent-governance');
    const file = join(tempDir(), 'calls.jsonl');
    writeFileSync(file, `${exported.records.map((r) => JSON.stringify(r)).join('\n')}\n`);
    const out = join(tempDir(), 'ingested');
    const { report } = ingestCallLogs([file], out, { at: '2026-12-05T00:00:00Z' });
    expect(report.unmapped.total).toBe(0);
    const after = readFileSync(join(out, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as LoggedEvent);
    const tokenEvents = (log: LoggedEvent[]) =>
      log
        .filter((e) => ['token.resource_issued', 'token.person_issued', 'token.auth_granted'].includes(e.type))
        // The export does not carry the resource token's jti into the auth request it rebuilds (before this branch too): left out.
        .map(({ seq: _seq, prev: _prev, hash: _hash, resource_token: _rt, ...rest }) => rest)
        .sort((a, b) => a.t - b.t || JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(tokenEvents(after)).toEqual(tokenEvents(events));
  });

  it('aauth-r01 (control): its tokens name the agent', () => {
    const found = tokens('aauth-r01');
    expect(found.filter((t) => t.type === 'aa-auth+jwt').every((t) => typeof t.payload.agent === 'string')).toBe(true);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AttackOutcome } from '../../sim/aop/attack-ledger.ts';
import { runScenario } from '../../sim/run.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import { formatProblem } from '../../sim/scenario/problems.ts';
import { readLines, SCENARIOS, scenarioProblems, tempDir } from '../helpers.ts';

type Event = Record<string, unknown> & { seq: number; t: number; type: string; actor: string; mission: string | null };

function run(name: string, overrides: string[] = [], seed = 1): { log: Event[]; attacks: AttackOutcome[] | undefined } {
  const dir = join(tempDir(), 'run');
  const manifest = runScenario(loadScenario(join(SCENARIOS, `${name}.yaml`), overrides), { outDir: dir, seed });
  return { log: readLines(join(dir, 'events.jsonl')).map((line) => JSON.parse(line) as Event), attacks: manifest.summary.class_attacks };
}

const of = (log: Event[], type: string) => log.filter((e) => e.type === type);

describe('elastic-class (seed 002): mission + class, elastic members and a replacement sub-agent', () => {
  it('members of the class run in parallel under the one approved mission, each with its own agent token naming the class', () => {
    for (const seed of [1, 2, 3]) {
      const { log } = run('elastic-class', [], seed);
      const [approved, ...others] = of(log, 'mission.approved');
      expect(others).toEqual([]);
      expect(of(log, 'mission.proposed')).toHaveLength(1);
      const mission = approved?.mission;
      expect(of(log, 'mission.class_bound').map((e) => [e.agent, e.class])).toEqual([
        ['close', 'close-fleet'],
        ['matching', 'match-fleet'],
      ]);
      // Three runtimes of close-fleet, each its provider's agent token naming the class, none with an approval of its own.
      const runtimes = ['close', 'close-2', 'close-3'];
      for (const runtime of runtimes) {
        const issued = of(log, 'token.agent_issued').filter((e) => e.actor === `ap:${runtime}`);
        expect(issued.length).toBeGreaterThan(0);
        for (const token of issued) expect(token).toMatchObject({ agent: 'close', mb_class: 'close-fleet' });
      }
      // In parallel: every runtime was working (had its token) before any of them finished its plan.
      const firstFinished = Math.min(
        ...of(log, 'agent.finished')
          .filter((e) => runtimes.includes(e.actor.slice('agent:'.length)))
          .map((e) => e.t),
      );
      for (const runtime of runtimes) {
        const started = of(log, 'token.agent_issued').find((e) => e.actor === `ap:${runtime}`) as Event;
        expect(started.t).toBeLessThan(firstFinished);
      }
      expect(
        of(log, 'agent.finished')
          .map((e) => e.actor)
          .sort(),
      ).toEqual(['agent:close', 'agent:close-2', 'agent:close-3', 'agent:matching']);
      // Every token scoped by the one mission and the class its hop is bound to; all the ledger work of three plans done.
      for (const grant of of(log, 'token.auth_granted')) {
        expect(grant.mission_s256).toBe(mission);
        expect(grant.mb_class).toBe(grant.agent === 'matching' ? 'match-fleet' : 'close-fleet');
      }
      // Resource tokens too: each scoped to the class the requesting runtime's agent token named.
      for (const issued of of(log, 'token.resource_issued')) expect(issued.mb_class).toBe(issued.agent === 'matching' ? 'match-fleet' : 'close-fleet');
      expect(of(log, 'op.executed').filter((e) => e.agent === 'close')).toHaveLength(18);
      expect(of(log, 'token.auth_denied')).toEqual([]);
    }
  });

  it('a crashed sub-agent is replaced by a runtime of its class that resumes under the parent mission: no new approval, no new delegation', () => {
    for (const seed of [1, 2, 3]) {
      const { log } = run('elastic-class', [], seed);
      const [crash] = of(log, 'agent.crashed');
      expect(crash).toMatchObject({ actor: 'ap:matching', runtime: 'matching#1' });
      expect(of(log, 'agent.replaced')).toEqual([expect.objectContaining({ runtime: 'matching#2', class: 'match-fleet', binding: 'class' })]);
      const [resumed] = of(log, 'agent.plan_resumed');
      expect(resumed).toMatchObject({ runtime: 'matching#2', step: crash?.step });
      expect(resumed?.mission).toBe(crash?.mission);
      const after = log.filter((e) => e.seq > (crash as Event).seq);
      expect(after.filter((e) => ['mission.proposed', 'mission.approved', 'delegation.requested', 'person.asked'].includes(e.type))).toEqual([]);
      // The replacement's tokens are new (the crashed runtime's died with it), under the same mission and class.
      const regranted = after.filter((e) => e.type === 'token.auth_granted' && e.agent === 'matching');
      expect(regranted.length).toBeGreaterThan(0);
      for (const grant of regranted) expect(grant).toMatchObject({ mission_s256: crash?.mission, mb_class: 'match-fleet' });
      expect(of(log, 'op.executed').filter((e) => e.op === 'match')).toHaveLength(6);
    }
  });

  it('runtime-bound, the replacement sub-agent must have its hop minted again', () => {
    const { log } = run('elastic-class', ['agents[matching].authority_binding=runtime']);
    const crash = of(log, 'agent.crashed')[0] as Event;
    const after = log.filter((e) => e.seq > crash.seq);
    expect(after.filter((e) => e.type === 'delegation.requested')).toHaveLength(1);
    expect(after.filter((e) => e.type === 'mission.class_bound')).toEqual([expect.objectContaining({ agent: 'matching', class: 'match-fleet' })]);
    expect(of(log, 'mission.approved')).toHaveLength(1);
  });

  it('a member of the wrong class is refused by the PS, in the log, and the others work on', () => {
    const { log } = run('elastic-class', ['agents[close-3].class=scrape-fleet']);
    const denied = of(log, 'token.auth_denied');
    expect(denied.length).toBe(1);
    expect(denied[0]).toMatchObject({
      actor: 'ps:ps.fin',
      agent: 'close',
      reason: 'class_mismatch: runtime class "scrape-fleet" is not the mission\'s class "close-fleet"',
    });
    expect(of(log, 'agent.stopped')).toEqual([expect.objectContaining({ actor: 'agent:close-3', reason: denied[0]?.reason })]);
    expect(
      of(log, 'agent.finished')
        .map((e) => e.actor)
        .sort(),
    ).toEqual(['agent:close', 'agent:close-2', 'agent:matching']);
    expect(of(log, 'op.executed').filter((e) => e.agent === 'close')).toHaveLength(12);
  });

  it('property: whatever classes the members name, exactly those of another class are refused, and only the rest work', () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.boolean(), fc.boolean(), (seed, secondWrong, thirdWrong) => {
        const wrong = { 'close-2': secondWrong, 'close-3': thirdWrong };
        const overrides = Object.entries(wrong)
          .filter(([, isWrong]) => isWrong)
          .map(([id]) => `agents[${id}].class=other-fleet`);
        const { log } = run('elastic-class', overrides, seed);
        for (const [id, isWrong] of Object.entries(wrong)) {
          const stopped = of(log, 'agent.stopped').filter((e) => e.actor === `agent:${id}`);
          const finished = of(log, 'agent.finished').filter((e) => e.actor === `agent:${id}`);
          if (isWrong) {
            expect(stopped.map((e) => e.reason)).toEqual(['class_mismatch: runtime class "other-fleet" is not the mission\'s class "close-fleet"']);
            expect(finished).toEqual([]);
          } else {
            expect(stopped).toEqual([]);
            expect(finished).toHaveLength(1);
          }
        }
        const refused = Object.values(wrong).filter(Boolean).length;
        expect(of(log, 'token.auth_denied').filter((e) => String(e.reason).startsWith('class_mismatch'))).toHaveLength(refused);
        // Six ledger operations per runtime of the class, none from the others; one approval throughout.
        expect(of(log, 'op.executed').filter((e) => e.agent === 'close')).toHaveLength(6 * (3 - refused));
        expect(of(log, 'mission.approved')).toHaveLength(1);
      }),
      { numRuns: 12 },
    );
  });

  it('class_check: false turns the check off under mission-authority: no class claims, the wrong-class member is served', () => {
    const { log } = run('elastic-class', ['class_check=false', 'agents[close-3].class=scrape-fleet']);
    expect(log.some((e) => 'mb_class' in e || e.type === 'mission.class_bound')).toBe(false);
    expect(of(log, 'token.auth_denied')).toEqual([]);
    expect(of(log, 'op.executed').filter((e) => e.agent === 'close')).toHaveLength(18);
  });
});

describe('class-intruder (issue 17): a runtime of another class presenting the mission, profile by profile', () => {
  const ATTACK = 'exporter: a runtime of class export-fleet presenting the mission of reconciler (class recon-fleet)';
  const MISMATCH = 'class_mismatch: runtime class "export-fleet" is not the mission\'s class "recon-fleet"';

  it.each([
    ['aauth-r01', []],
    ['aauth-r11', []],
    ['aauth-latest', []],
  ])('%s: no draft defines class, so the PS serves it; its reads execute and only the oracle knows', (profile, extra) => {
    const { log, attacks } = run('class-intruder', [`profile=${profile}`, ...extra]);
    expect(attacks).toEqual([{ attack: ATTACK, outcome: 'took_effect', by: null, code: 'op.executed', visible: 'oracle' }]);
    // What makes it oracle-only: nothing in the log names a class, and nobody refused anything.
    expect(log.some((e) => 'mb_class' in e || e.type === 'mission.class_bound')).toBe(false);
    expect(of(log, 'token.auth_denied')).toEqual([]);
    expect(of(log, 'op.executed').filter((e) => e.op === 'read')).toHaveLength(6);
  });

  it('mission-authority: the PS refuses its first auth-token request (token.auth_denied, class_mismatch) and the log shows it', () => {
    const { log, attacks } = run('class-intruder', ['profile=mission-authority']);
    expect(attacks).toEqual([{ attack: ATTACK, outcome: 'refused', by: 'ps:ps.ops', code: `token.auth_denied: ${MISMATCH}`, visible: 'log' }]);
    const denied = of(log, 'token.auth_denied');
    expect(denied).toEqual([expect.objectContaining({ actor: 'ps:ps.ops', agent: 'reconciler', reason: MISMATCH })]);
    // A reader of the log alone sees why: the runtime's agent token names export-fleet, the mission is bound to recon-fleet.
    expect(of(log, 'token.agent_issued').find((e) => e.actor === 'ap:exporter')).toMatchObject({ agent: 'reconciler', mb_class: 'export-fleet' });
    expect(of(log, 'mission.class_bound')).toEqual([expect.objectContaining({ agent: 'reconciler', class: 'recon-fleet' })]);
    expect(of(log, 'op.executed').filter((e) => e.op === 'read')).toHaveLength(3);
  });

  it('class_check: true under aauth-r11 and aauth-latest: refused at the person-token request (token.person_denied)', () => {
    for (const profile of ['aauth-r11', 'aauth-latest']) {
      const { log, attacks } = run('class-intruder', [`profile=${profile}`, 'class_check=true']);
      expect(attacks).toEqual([{ attack: ATTACK, outcome: 'refused', by: 'ps:ps.ops', code: `token.person_denied: ${MISMATCH}`, visible: 'log' }]);
      expect(of(log, 'token.person_denied')).toEqual([expect.objectContaining({ actor: 'ps:ps.ops', reason: MISMATCH })]);
    }
  });

  it('class_check: true under aauth-r01: refused at the auth-token request', () => {
    const { attacks } = run('class-intruder', ['profile=aauth-r01', 'class_check=true']);
    expect(attacks).toEqual([{ attack: ATTACK, outcome: 'refused', by: 'ps:ps.ops', code: `token.auth_denied: ${MISMATCH}`, visible: 'log' }]);
  });

  it('a scenario without such a runtime has no class_attacks in its summary', () => {
    expect(run('elastic-class').attacks).toBeUndefined();
  });
});

describe('class-intruder-shared (issue 17): the intruder presents tokens a runtime of the right class obtained', () => {
  const ATTACK = 'exporter: a runtime of class export-fleet presenting the mission of reconciler (class recon-fleet)';
  const RESOURCE_MISMATCH = 'class_mismatch: the token is scoped to class "recon-fleet", the request is signed by a runtime of class "export-fleet"';

  it.each(['aauth-r01', 'aauth-r11', 'aauth-latest'])('%s: the shared tokens carry no class, the ledger serves them; only the oracle knows', (profile) => {
    const { log, attacks } = run('class-intruder-shared', [`profile=${profile}`]);
    expect(attacks).toEqual([{ attack: ATTACK, outcome: 'took_effect', by: null, code: 'op.executed', visible: 'oracle' }]);
    expect(log.some((e) => 'mb_class' in e || e.type === 'mission.class_bound')).toBe(false);
    expect(of(log, 'request.rejected')).toEqual([]);
    // The export runtime asked the PS for nothing: every read it made was on a token the reconciliation runtime obtained.
    const exporterReads = of(log, 'op.executed').filter((e) => e.op === 'read').length - 3;
    expect(exporterReads).toBeGreaterThan(0);
  });

  it.each([
    ['mission-authority', []],
    ['aauth-r01', ['class_check=true']],
    ['aauth-r11', ['class_check=true']],
    ['aauth-latest', ['class_check=true']],
  ])('%s %s: the ledger refuses the token scoped to recon-fleet on a request signed by export-fleet (request.rejected), in the log', (profile, extra) => {
    for (const seed of [1, 2, 3]) {
      const { log, attacks } = run('class-intruder-shared', [`profile=${profile}`, ...extra], seed);
      expect(attacks).toEqual([{ attack: ATTACK, outcome: 'refused', by: 'resource:ledger', code: `request.rejected: ${RESOURCE_MISMATCH}`, visible: 'log' }]);
      const [rejected, ...more] = of(log, 'request.rejected');
      expect(more).toEqual([]);
      expect(rejected).toMatchObject({ actor: 'resource:ledger', agent: 'reconciler', op: 'read', reason: RESOURCE_MISMATCH });
      // A reader of the log alone sees the mismatch: the presented token was granted scoped to recon-fleet.
      const granted = of(log, 'token.auth_granted').find((e) => e.jti === rejected?.jti);
      expect(granted).toMatchObject({ agent: 'reconciler', mb_class: 'recon-fleet' });
      // Nothing the export runtime asked for executed: only the reconciliation runtime's three reads.
      expect(of(log, 'op.executed').filter((e) => e.op === 'read')).toHaveLength(3);
      expect(of(log, 'agent.stopped').find((e) => e.actor === 'agent:exporter')?.reason).toMatch(/^class_mismatch/);
    }
  });

  it('the class check at the resource is what refuses it: with class_check: false the same tokens are served', () => {
    const { attacks } = run('class-intruder-shared', ['profile=mission-authority', 'class_check=false']);
    expect(attacks?.[0]?.outcome).toBe('took_effect');
  });

  it('token_cache only beside acts_under', () => {
    const text = readFileSync(join(SCENARIOS, 'elastic-class.yaml'), 'utf8');
    expect(scenarioProblems(text, ['agents[close].token_cache=shared']).map(formatProblem).join('\n')).toMatch(/token_cache.*acts_under beside it/);
  });
});

describe('four-party (law-firm-cross-domain): class through the Access Server', () => {
  it("class_check: true: the AS is told the mission's class, scopes its tokens to it, the PS relays them with it, the resource accepts them", () => {
    for (const seed of [1, 2]) {
      const { log } = run('law-firm-cross-domain', ['class_check=true'], seed);
      const [bound] = of(log, 'mission.class_bound');
      expect(bound).toMatchObject({ agent: 'reviewer', class: 'reviewer' }); // no class declared: a class of one
      const received = of(log, 'federation.received');
      const issued = of(log, 'token.as_issued');
      expect(received.length).toBeGreaterThan(0);
      expect(issued.length).toBeGreaterThan(0);
      for (const event of [...received, ...issued]) expect(event.mb_class).toBe('reviewer');
      // The PS relays the AS's token with its claims: the class reaches the agent and the resource.
      for (const token of issued) expect(of(log, 'token.auth_granted').find((e) => e.jti === token.jti)).toMatchObject({ mb_class: 'reviewer' });
      expect(of(log, 'request.rejected').filter((e) => String(e.reason).startsWith('class_mismatch'))).toEqual([]);
      expect(of(log, 'op.executed').some((e) => e.actor === 'resource:counsel.lawfirm')).toBe(true);
    }
  });

  it('without class_check nothing about class reaches the AS or its tokens', () => {
    const { log } = run('law-firm-cross-domain');
    expect(log.some((e) => 'mb_class' in e || e.type === 'mission.class_bound')).toBe(false);
    expect(of(log, 'token.as_issued').length).toBeGreaterThan(0);
  });
});

describe('validate: class configuration', () => {
  const text = readFileSync(join(SCENARIOS, 'elastic-class.yaml'), 'utf8');
  const problem = (overrides: string[]) => scenarioProblems(text, overrides).map(formatProblem);

  it('acts_under must name an agent with a mission or parent of its own, at the same PS, instead of a mission', () => {
    // In the file: its line and column; from --set: the option it came from.
    const ghost = scenarioProblems(text.replace('acts_under: close\n', 'acts_under: ghost\n')).map(formatProblem);
    expect(ghost).toEqual([
      expect.stringMatching(
        /scenario\.yaml:\d+:\d+: agents\[1\]\.acts_under: expected the id of an agent \(close, close-2, close-3, matching\), found unknown agent "ghost"$/,
      ),
    ]);
    expect(problem(['agents[close-2].acts_under=ghost'])).toEqual([
      expect.stringMatching(/scenario\.yaml \(--set agents\[close-2\]\.acts_under=ghost\): agents\[1\]\.acts_under: expected the id of an agent/),
    ]);
    expect(problem(['agents[close-3].acts_under=close-2'])).toEqual([
      expect.stringContaining('agents[2].acts_under: expected an agent with a mission or a parent of its own, found "close-2", itself acting under "close"'),
    ]);
    expect(problem(['agents[close-2].acts_under=close-2'])).toEqual([expect.stringContaining('agents[1].acts_under: expected another agent, found itself')]);
    expect(problem(['agents[close-2].parent=close'])).toEqual([
      expect.stringContaining("agents[1]: expected acts_under instead of a mission or a parent (it acts under another agent's), found a parent too"),
    ]);
    expect(problem(['agents[close-2].authority_binding=runtime'])).toEqual([
      expect.stringContaining('agents[1].authority_binding: expected class (a runtime acting under another agent has no mission or hop of its own'),
    ]);
    const otherPs = ['topology.person_servers[1]={id: ps.other}', 'agents[close-2].ps=ps.other'];
    expect(problem(otherPs)).toEqual([
      expect.stringContaining('agents[1].ps: expected "ps.fin", the Person Server of "close" (its mission is there), found "ps.other"'),
    ]);
  });

  it('a person acts on the mission, not on a runtime acting under it', () => {
    const withIntervention = `${text}interventions:\n  - { at: 1h, person: controller, agent: close-2, action: terminate }\n`;
    expect(scenarioProblems(withIntervention).map(formatProblem)).toEqual([
      expect.stringContaining(
        'interventions[0].agent: expected an agent with a mission of its own ("close-2" acts under the mission of "close": name "close"), found "close-2"',
      ),
    ]);
  });

  it('a class names the runtimes of one mission or hop: two agents that each open one cannot share it', () => {
    expect(problem(['agents[matching].class=close-fleet'])).toEqual([
      expect.stringContaining('agents[3].class: expected a class no other mission or hop is bound to'),
    ]);
  });

  it('class_check needs missions; a malformed class is a schema error with its path', () => {
    expect(problem(['profile=oauth', 'class_check=true'])).toEqual(
      expect.arrayContaining([expect.stringContaining('class_check: expected class_check only under a profile with missions')]),
    );
    const [malformed] = scenarioProblems(text, ['agents[close].class=two words']);
    expect(malformed?.path).toBe('agents[0].class');
    expect(scenarioProblems(text, ['class_check=maybe'])[0]?.path).toBe('class_check');
  });
});

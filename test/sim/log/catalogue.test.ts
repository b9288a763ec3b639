import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { eventCatalogue, eventJsonSchema } from '../../../sim/events.ts';
import { runScenario } from '../../../sim/run.ts';
import { loadScenario } from '../../../sim/scenario/load.ts';
import { readLines, SCENARIOS, tempDir } from '../../helpers.ts';

const RUNS: Array<[string, string[]]> = [
  ['travel-booking', []],
  ['travel-booking', ['profile=oauth']],
  [
    'travel-booking',
    [
      'profile=aauth-r11',
      'topology.person_servers[0].approval=person',
      'topology.person_servers[0].clarification_rounds=1',
      'topology.person_servers[0].outages=[{at: 4m, for: 1m}]',
    ],
  ],
  [
    'travel-booking',
    [
      'topology.access_servers=[{id: h}, {id: d, trust: conservative, sensitive_classes: [dining]}]',
      'topology.resources[hotels.example].access_server=h',
      'topology.resources[restaurants.example].access_server=d',
    ],
  ],
  ['bulk-export-after-terminate', []],
  [
    'bulk-export-after-terminate',
    [
      'topology.resources[export-service].recall=before-start',
      'topology.resources[crm].revocation={mode: push, loss: 1, retries: 1}',
      'topology.resources[export-service].queue.capacity=2',
    ],
  ],
  ['ttl-only-window', ['topology.resources[records].revocation.mode=cache']],
  // The PS is down when the person acts: their request is answered 503 and sent again (mission_control.resent).
  ['ttl-only-window', ['topology.person_servers[0].outages=[{at: 20m, for: 80m}]']],
  ['ttl-only-window', ['topology.resources[records].revocation.mode=events']],
  [
    'ttl-only-window',
    ['profile=aauth-m0', 'interventions[0].action=suspend', 'interventions[1]={at: const(100m), person: owner, agent: worker, action: resume}'],
  ],
  [
    'ttl-only-window',
    [
      'topology.person_servers[0].queue={servers: 1, capacity: 1, service: const(2s)}',
      'agents[1]={id: w2, person: owner, ps: ps, mission: {description: x, scope: [records/read]}, plan: [{op: records/read, after: exp(1s)}], repeat: true}',
    ],
  ],
  ['emergency-three-tier', []],
  ['procurement-hem-gate', []],
  ['myauberge-travel', ['orchestration.sub_goals[accommodation].fault={after: const(1m), kind: failure, reason: no_availability}']],
  ['aop-attacks', []],
  ['aop-attacks', ['orchestration.governance=chaining']],
  // SEC-11 and hub-only routing (aop.spo_reference_rejected, aop.message_routed / _rejected), and MAD's revocation triggers (aop.sacr_revoked).
  [
    'aop-attacks',
    [
      'orchestration.attacks=[{kind: spo_substitute, at: 3m, plan_b: static-routing-d2, spo_ref: "https://attacker.example/spo.json"}, {kind: direct_message, at: 2m, by: sim-ai-1r, to: master-ai}, {kind: direct_message, at: 2m, by: sim-ai-1r, to: local-ai-1}]',
    ],
  ],
  ['emergency-three-tier', ['orchestration.revocations=[{trigger: R-3, at: 3m, agent: local-ai-1}]']],
  ['vendor-onboarding-chain', []],
  ['vendor-onboarding-chain', ['topology.person_servers[0].authority=envelope']],
  ['law-firm-cross-domain', []],
  ['law-firm-cross-domain', ['topology.access_servers[0].trust=clarify']],
  ['due-diligence-drift', []],
  ['due-diligence-drift', ['monitor.detector=cusum']],
  ['compliance-pause', ['profile=aauth-r01']],
  ['after-hours-concierge', ['profile=aauth-latest', 'topology.resources[payments.example].revocation.mode=none']],
  ['bulk-export-after-terminate', ['profile=aauth-r11', 'interventions=[]', 'faults=[{agent: exporter, at: 5m, kind: revoke-agent-token}]']],
  // A revoked parent's agent token signs its sub-agents' delegation requests: agent_token.refused.
  ['travel-booking-payment', ['topology.person_servers[0].narrowing=at-evaluation', 'faults=[{agent: trip, at: 6m30s, kind: revoke-agent-token}]']],
  [
    'after-hours-concierge',
    [
      'profile=aauth-latest',
      'topology.resources[payments.example].revocation={mode: push, outages: [{at: 2h, for: 1h}], retries: 5, retry_interval: 10m}',
      'topology.resources[flights.example].revocation.mode=none',
    ],
  ],
  [
    'law-firm-cross-domain',
    [
      'profile=aauth-latest',
      'interventions=[{at: const(20m), person: erin, agent: reviewer, action: terminate}]',
      'topology.resources[counsel.lawfirm].revocation.mode=none',
    ],
  ],
  [
    'law-firm-cross-domain',
    [
      'profile=aauth-latest',
      'interventions=[{at: const(20m), person: erin, agent: reviewer, action: terminate}]',
      'topology.resources[docs.enterprise].revocation={mode: push, rate_limit: {calls: 1, per: 1m}}',
      'network.server_links=[{ps: ps.enterprise, as: as.lawfirm, loss: 1}]',
    ],
  ],
  [
    'after-hours-concierge',
    [
      'profile=aauth-latest',
      'agents[concierge].plan[3]={update: "Also hold a table for dinner", after: 10s}',
      'agents[concierge].mission.complete_at_plan_end=true',
      'people[1]={id: bob}',
      'interventions[0].person=bob',
    ],
  ],
  [
    'after-hours-concierge',
    [
      'profile=aauth-latest',
      'topology.person_servers[0].approval=immediate',
      'agents[concierge].plan[3]={update: "Also hold a table for dinner", after: 10s}',
      'agents[concierge].mission.complete_at_plan_end=true',
      'people[alice].mission_refusal=1',
      'interventions=[]',
    ],
  ],
  ['ttl-only-window', ['profile=aauth-latest']],
  ['failover-resume', []],
  ['failover-resume', ['agents[reconciler].authority_binding=runtime']],
  ['bulk-export-after-terminate', ['profile=mission-authority', 'interventions[0].action=complete']],
  ['bulk-export-after-terminate', ['profile=mission-authority', 'interventions[0]={at: const(50m), person: user, agent: exporter, action: cancel}']],
  ['bulk-export-after-terminate', ['profile=mission-authority', 'interventions[0].action=terminate-policy']],
  ['bulk-export-after-terminate', ['profile=mission-authority', 'interventions=[]', 'agents[exporter].mission.expires_in=9m']],
  [
    'ttl-only-window',
    [
      'profile=mission-authority',
      'topology.resources[records].revocation.mode=push',
      'interventions[0]={at: const(30m), person: owner, agent: worker, action: suspend}',
      'interventions[1]={at: const(31m), person: owner, agent: worker, action: resume}',
    ],
  ],
  ['prompt-injection-exfiltration', []],
  // The monitor's cumulative checks (flow, budget alarms).
  ['plausible-reading-drift', []],
  // The Person Server's mission budget (budget.enforced, and its refusals).
  ['plausible-reading-drift', ['topology.person_servers[ps.firm].budget.enabled=true']],
  ['after-hours-concierge', []],
  ['after-hours-concierge', ['network.loss=0.1']],
  // The person refuses the proposed mission.
  ['after-hours-concierge', ['people[alice].mission_refusal=1']],
  // The person-token endpoint refuses once the mission is terminated.
  ['after-hours-concierge', ['interventions[0].at=const(100m)', 'agents[concierge].plan[5].after=2h', 'duration=6h']],
  // A person who approves what does not look covered by the mission: the gate releases the post.
  ['prompt-injection-exfiltration', ['people[reader].off_mission_approval=1']],
  // -11's parent-mediated sub-agents: the parent's refusal, rate limit and narrowing, and a crashed parent.
  ['parent-mediated-sub-agents', []],
];

describe('the event catalogue', () => {
  const validate = new Ajv({ allErrors: true, strict: false }).compile(eventJsonSchema());
  const seen = new Set<string>();

  it.each(RUNS)('every line of %s %j validates against docs/event-schema.json', (name, overrides) => {
    const dir = join(tempDir(), 'run');
    runScenario(loadScenario(join(SCENARIOS, `${name}.yaml`), overrides), { outDir: dir });
    for (const line of readLines(join(dir, 'events.jsonl'))) {
      const event = JSON.parse(line) as { type: string };
      seen.add(event.type);
      const valid = validate(event) as boolean;
      if (!valid) throw new Error(`${event.type}: ${JSON.stringify(validate.errors)}\n${line}`);
    }
  });

  it('has no entry the simulator never writes', () => {
    expect(Object.keys(eventCatalogue()).filter((type) => !seen.has(type))).toEqual([]);
  });

  it('rejects an unknown type, a missing field and an extra field', () => {
    const base = { seq: 0, t: 0, type: 'mission.suspended', mission: 'm', actor: 'ps:x', agent: 'a' };
    expect(validate(base)).toBe(true);
    expect(validate({ ...base, type: 'mission.exploded' })).toBe(false);
    expect(validate({ ...base, agent: undefined })).toBe(false);
    expect(validate({ ...base, extra: 1 })).toBe(false);
  });
});

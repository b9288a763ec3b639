import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayData } from '../../analysis/replay.ts';
import { IncidentReport } from '../../sim/log/incident-report.ts';
import { readEvents } from '../../sim/log/read-log.ts';
import { runScenario } from '../../sim/run.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import { SCENARIOS, tempDir } from '../helpers.ts';

const INCIDENT = new URL('../../docs/examples/incident-bulk-export.jsonl', import.meta.url).pathname;

async function explain(path: string): Promise<string[]> {
  const report = new IncidentReport();
  for await (const event of readEvents(path)) report.add(event);
  return report.lines();
}

// The regulator's questions keep token grants (direct authority from a
// Person Server) apart from delegation (an agent minting authority for
// another): "delegation (2 hops)" used to count the two token grants.
describe("the regulator's questions", () => {
  it('list token grants apart from delegation, and say when there is no delegation', async () => {
    const lines = await explain(INCIDENT);
    expect(lines).toContain('  token grants (2):');
    expect(lines).toContain('  delegation: none in this log');
    expect(lines.join('\n')).not.toMatch(/delegation \(\d+ hops?\)/);
  });

  it('list the delegation hops of a chain, and the replay view carries them', async () => {
    const out = join(tempDir(), 'chain');
    runScenario(loadScenario(join(SCENARIOS, 'vendor-onboarding-chain.yaml')), { outDir: out });
    const lines = await explain(join(out, 'events.jsonl'));
    const hops = lines.filter((line) => /=> .* \(delegation, depth \d+\)/.test(line));
    expect(hops.length).toBeGreaterThan(0);
    expect(lines.some((line) => /^ {2}delegation \(\d+ hops?\):$/.test(line))).toBe(true);
    expect(lines.filter((line) => /^ {2}delegation \(/.test(line)).every((line) => !line.includes('token'))).toBe(true);
    const data = await replayData(join(out, 'events.jsonl'));
    expect(data.hops.length).toBe(hops.length);
    expect(data.hops.every((hop) => hop.parent !== hop.child && hop.depth >= 1)).toBe(true);
    expect(data.clockOrigin).toMatch(/^\d\d:\d\d$/);
  });
});

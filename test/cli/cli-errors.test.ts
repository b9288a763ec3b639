import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../cli/examples.ts';
import { tempDir, writeScenario } from '../helpers.ts';

const BIN = new URL('../../bin/missionbench.mjs', import.meta.url).pathname;
const CLI_DIR = new URL('../../cli/', import.meta.url).pathname;

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const SCENARIO = `name: tiny
description: one queue
duration: 1m
seed: 4
tokens:
  auth_ttl: 10m
topology:
  resources:
    - id: ledger
      queue:
        servers: 1
        service: exp(1s)
workload:
  - id: load
    resource: ledger
    interarrival: exp(2s)
`;

const DURATION = 'a duration such as 250ms, 30s, 5m, 2h or 3d (units: us, ms, s (sec), m (min), h (hr) or d (day))';

describe('command-line errors say what to do', () => {
  it('asks for a duration for --set tokens.auth_ttl=5, names the --set, and accepts 2min', () => {
    const file = writeScenario(SCENARIO);
    const bad = cli('run', file, '--set', 'tokens.auth_ttl=5', '--out', join(tempDir(), 'out'));
    expect(bad).toEqual({ code: 2, stdout: '', stderr: `${file} (--set tokens.auth_ttl=5): tokens.auth_ttl: expected ${DURATION}, found number 5\n` });
    expect(cli('run', file, '--set', 'tokens.auth_ttl=2min', '--set', 'duration=1min', '--out', join(tempDir(), 'out')).code).toBe(0);
  });

  it('lists the valid ids for a bad [id] in a --set path', () => {
    const file = writeScenario(SCENARIO);
    const result = cli('validate', file); // the file is fine; the override is not
    expect(result.code).toBe(0);
    const bad = cli('run', file, '--set', 'topology.resources[ledgr].queue.servers=2');
    expect(bad).toEqual({
      code: 2,
      stdout: '',
      stderr: `${file} (--set topology.resources[ledgr].queue.servers=2): topology.resources: expected the id of an item in this list (ledger), found "ledgr" (did you mean [ledger]?)\n`,
    });
  });

  it('labels a bad --grid value as --grid, and a missing scenario without any label', () => {
    const file = writeScenario(SCENARIO);
    const out = join(tempDir(), 'sweep');
    const grid = cli('sweep', file, '--grid', 'duration=1m,5x', '--out', out, '--workers', '1');
    expect(grid).toEqual({ code: 2, stdout: '', stderr: `${file} (--grid duration=5x): duration: expected ${DURATION}, found 5x at column 1 of "5x"\n` });
    const missing = cli('sweep', 'token-lifetme-sizing', '--grid', 'duration=1m', '--out', out);
    expect(missing.stderr).toBe(
      'token-lifetme-sizing: (document): expected a scenario file, or the name of one in scenarios/, found no such file (did you mean scenarios/token-lifetime-sizing.yaml?)\n',
    );
    expect(missing.code).toBe(2);
  });

  it('points replay, verify and export at a run when given a sweep folder', () => {
    const out = join(tempDir(), 'sweep');
    expect(cli('sweep', writeScenario(SCENARIO), '--grid', 'topology.resources[ledger].queue.servers=1,2', '--out', out, '--workers', '1').code).toBe(0);
    const first = join(out, 'runs', readdirSync(join(out, 'runs')).sort()[0] as string, 'seed=1');
    const hint = { code: 2, stdout: '', stderr: `missionbench: ${out} is a sweep folder; pick a run, e.g. ${first}\n` };
    const exported = join(tempDir(), 'calls.jsonl');
    expect(cli('replay', out)).toEqual(hint);
    expect(cli('verify', out)).toEqual(hint);
    expect(cli('export', out, '--format', 'aauth-call', '--out', exported)).toEqual(hint);
    expect(existsSync(exported)).toBe(false);
    expect(cli('replay', first).code).toBe(0);
    expect(cli('verify', first).code).toBe(0);
  }, 60_000);
});

describe('--help', () => {
  /** Every command as the CLI defines it, registered on a fresh program from its module in cli/. */
  async function commands(): Promise<Command[]> {
    const program = new Command('missionbench');
    for (const name of Object.keys(EXAMPLES).filter((key) => key !== 'missionbench')) {
      const module = (await import(join(CLI_DIR, `${name}.ts`))) as Record<string, unknown>;
      const register = Object.entries(module).find(([key]) => key.startsWith('register'))?.[1] as (program: Command) => void;
      register(program);
    }
    return program.commands as Command[];
  }

  it('lists every command that has examples, and every command has two or three', () => {
    const section = cli('--help').stdout.split('Commands:')[1]?.split('Examples:')[0] ?? '';
    const listed = [...section.matchAll(/^ {2}([a-z][a-z-]*)\b/gm)].map((match) => match[1]).filter((name) => name !== 'help');
    expect(listed.sort()).toEqual(
      Object.keys(EXAMPLES)
        .filter((key) => key !== 'missionbench')
        .sort(),
    );
    for (const [name, examples] of Object.entries(EXAMPLES)) {
      expect(examples.length, name).toBeGreaterThanOrEqual(2);
      expect(examples.length, name).toBeLessThanOrEqual(3);
    }
  });

  it('gives examples that use only the options their command has', async () => {
    for (const command of await commands()) {
      const options = new Set(command.options.map((option) => option.long));
      for (const example of EXAMPLES[command.name()] ?? []) {
        const own = example.split('&&')[0] as string;
        expect(own.startsWith(`missionbench ${command.name()} `) || own.trim() === `missionbench ${command.name()}`, example).toBe(true);
        for (const flag of own.split('#')[0]?.match(/--[a-z0-9-]+/g) ?? []) expect(options.has(flag), `${flag} in ${example}`).toBe(true);
      }
    }
  });

  it("prints the examples at the end of a command's help and of the program's", () => {
    const help = cli('run', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('\nExamples:\n  $ missionbench run token-lifetime-sizing ');
    expect(cli('--help').stdout).toContain('\nExamples:\n  $ missionbench run token-lifetime-sizing && ');
  });
});

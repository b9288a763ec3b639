import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const BIN = new URL('../../bin/missionbench.mjs', import.meta.url).pathname;

describe('output to a reader that stops early', () => {
  it('ends quietly, exit 0, when the pipe closes (schema --events | head -c 10)', () => {
    // The event schema is about 180 KB, more than a pipe holds, so the writer meets the closed pipe.
    const result = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" schema --events | head -c 10; echo " rc=\${PIPESTATUS[0]}"`], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^.{10} rc=0\n$/s);
  });
});

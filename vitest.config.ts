import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds dist/ when a source changed: tests that spawn the CLI run the built one.
    globalSetup: ['scripts/test-setup.mjs'],
    // DuckDB's native addon is only safe in forked processes, not worker threads.
    pool: 'forks',
    // `ingest` makes its signing key on first use under XDG_CONFIG_HOME: tests keep theirs out of the user's home.
    env: { XDG_CONFIG_HOME: join(tmpdir(), 'missionbench-test-config') },
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // CI reads the closing "N passed, N failed" line from this JSON report.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
});

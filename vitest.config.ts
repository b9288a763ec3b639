import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds dist/ when a source changed: tests that spawn the CLI run the built one.
    globalSetup: ['scripts/test-setup.mjs'],
    // DuckDB's native addon is only safe in forked processes, not worker threads.
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // CI reads the closing "N passed, N failed" line from this JSON report.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
});

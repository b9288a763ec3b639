import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Analysis } from '../../analysis/database.ts';
import { ingestAnalysis } from '../../analysis/ingest.ts';
import { viewDefinitions } from '../../analysis/queries.ts';
import { discoverRuns } from '../../analysis/run-folders.ts';
import { sqlString } from '../../analysis/sql-literal.ts';
import { SCENARIOS } from '../helpers.ts';
import { buildSweep } from './fixtures.ts';

// An analysed sweep, ingested in one place and then moved (and copied): the
// stored views and the runs table hold paths relative to the analysis
// folder, so the analysis opens where it is now.
let root: string;
let original: string;
let moved: string;
let expected: unknown[];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'missionbench-moved-'));
  original = join(root, 'ingested-here', 'sweep');
  buildSweep(join(SCENARIOS, 'token-lifetime-sizing.yaml'), ['topology.resources[ledger].revocation.mode=none,push'], [1], original);
  await ingestAnalysis(discoverRuns(original), viewDefinitions());
  const analysis = await Analysis.open(original);
  try {
    expected = await analysis.query('revocation_window');
  } finally {
    analysis.close();
  }
  moved = join(root, 'elsewhere', 'sweep');
  cpSync(join(root, 'ingested-here'), join(root, 'elsewhere'), { recursive: true });
  renameSync(join(root, 'ingested-here'), join(root, 'gone'));
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('an analysis folder that was moved', () => {
  it('stores no absolute path of the place it was ingested in', () => {
    const bytes = readFileSync(join(moved, 'analysis', 'analysis.duckdb')).toString('latin1');
    expect(bytes).not.toContain(original);
    expect(bytes).toContain('parquet/events/**/*.parquet');
  });

  it('opens with the DuckDB CLI way: its stored views resolve against the analysis folder', async () => {
    const instance = await DuckDBInstance.create(join(moved, 'analysis', 'analysis.duckdb'), { access_mode: 'READ_ONLY' });
    const connection = await instance.connect();
    try {
      // What `cd sweep/analysis && duckdb analysis.duckdb` gets from its working directory.
      await connection.run(`SET file_search_path = ${sqlString(join(moved, 'analysis'))}`);
      const events = (await connection.runAndReadAll('SELECT count(*)::DOUBLE AS n FROM events')).getRowObjectsJson();
      expect(Number(events[0]?.n)).toBeGreaterThan(0);
      const paths = (await connection.runAndReadAll('SELECT events_path FROM runs')).getRowObjectsJson();
      for (const row of paths) expect(String(row.events_path)).toMatch(/^\.\.\/runs\/.+\/events\.jsonl$/);
      const revocation = (await connection.runAndReadAll('SELECT count(*)::DOUBLE AS n FROM mission_revocation')).getRowObjectsJson();
      expect(Number(revocation[0]?.n)).toBeGreaterThan(0);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it('gives the same metrics through Analysis.open at its new place', async () => {
    const analysis = await Analysis.open(moved);
    try {
      expect(await analysis.query('revocation_window')).toEqual(expected);
    } finally {
      analysis.close();
    }
  });
});

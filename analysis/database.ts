import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { duckdbThreads } from './duckdb-threads.ts';
import { emptyTruthSelect } from './event-columns.ts';
import { ANALYSIS_FOLDER, DATABASE_FILE } from './ingested-record.ts';
import { checkParameters, namedQueries, QueryError, viewDefinitions, type NamedQuery } from './queries.ts';
import { withLoadIntervals, withReplicationIntervals } from './replication-intervals.ts';
import { sqlString } from './sql-literal.ts';

export type Row = Record<string, unknown>;

/**
 * Named queries whose rows are finished in TypeScript: the statistics that
 * SQL has no good form for (seeded bootstrap intervals), from values the
 * query returns. Every reader (CLI, dashboard, notebooks) gets the same.
 */
const FINISHERS: Record<string, (rows: Row[]) => Row[]> = {
  replications: withReplicationIntervals,
  architect: withLoadIntervals,
};

/**
 * An analysis, opened for reading: an in-memory DuckDB that attaches
 * DIR/analysis/analysis.duckdb read-only, puts views over the Parquet where
 * it is now (the folder may have moved since it was ingested), and defines
 * every metric view from analysis/sql/views. Any number of readers (CLI,
 * dashboard server, notebooks) can open the same analysis at once.
 */
export class Analysis {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly queries: Map<string, NamedQuery>,
  ) {}

  static async open(dir: string): Promise<Analysis> {
    const folder = resolve(dir, ANALYSIS_FOLDER);
    const database = join(folder, DATABASE_FILE);
    if (!existsSync(database)) throw new QueryError(`${dir} has not been analysed yet: run missionbench analyze ${dir}`);
    const instance = await DuckDBInstance.create(':memory:', duckdbThreads());
    const connection = await instance.connect();
    try {
      await connection.run(`ATTACH ${sqlString(database)} AS store (READ_ONLY)`);
      await connection.run('CREATE VIEW runs AS SELECT * FROM store.main.runs');
      await connection.run('CREATE VIEW run_params AS SELECT * FROM store.main.run_params');
      await connection.run(
        `CREATE VIEW events AS SELECT * FROM read_parquet(${sqlString(join(folder, 'parquet', 'events', '**', '*.parquet'))}, hive_partitioning = false)`,
      );
      const truthDir = join(folder, 'parquet', 'truth');
      // Runs without truth.jsonl get an empty truth table, so every metric view is defined.
      await connection.run(
        existsSync(truthDir) && readdirSync(truthDir).some((file) => file.endsWith('.parquet'))
          ? `CREATE VIEW truth AS SELECT * FROM read_parquet(${sqlString(join(truthDir, '*.parquet'))})`
          : `CREATE VIEW truth AS ${emptyTruthSelect()}`,
      );
      for (const view of viewDefinitions()) await connection.run(view.sql);
    } catch (error) {
      connection.closeSync();
      instance.closeSync();
      throw error;
    }
    return new Analysis(instance, connection, namedQueries());
  }

  /** The named queries this analysis answers, with their parameters. */
  list(): NamedQuery[] {
    return [...this.queries.values()];
  }

  /** Runs a named query with typed parameters (never arbitrary SQL): rows as plain objects. */
  async query(name: string, parameters: Record<string, unknown> = {}): Promise<Row[]> {
    const query = this.queries.get(name);
    if (!query) throw new QueryError(`no query named ${name} (known: ${[...this.queries.keys()].join(', ')})`);
    const values = checkParameters(query, parameters);
    for (const [parameter, value] of Object.entries(values)) {
      // checkParameters guarantees a finite number, so the literal is safe.
      await this.connection.run(`SET VARIABLE ${parameter} = ${value}::DOUBLE`);
    }
    const reader = await this.connection.runAndReadAll(query.sql);
    const rows = reader.getRowObjectsJson() as Row[];
    // JSON columns (e.g. a design's params) arrive as text; hand them over as values.
    const jsonColumns = reader.columnNames().filter((_, i) => reader.columnTypes()[i]?.alias === 'JSON');
    for (const row of rows) {
      for (const column of jsonColumns) if (typeof row[column] === 'string') row[column] = JSON.parse(row[column] as string);
    }
    return FINISHERS[name]?.(rows) ?? rows;
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

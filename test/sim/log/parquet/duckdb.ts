import { DuckDBInstance } from '@duckdb/node-api';

/** One in-memory DuckDB for a test file: rows as JSON values (BIGINTs come back as strings). */
export class TestDuckDB {
  private constructor(private readonly instance: DuckDBInstance) {}

  static async open(): Promise<TestDuckDB> {
    return new TestDuckDB(await DuckDBInstance.create());
  }

  async rows(sql: string): Promise<unknown[][]> {
    const connection = await this.instance.connect();
    try {
      return (await connection.runAndReadAll(sql)).getRowsJson() as unknown[][];
    } finally {
      connection.closeSync(); // connections before the instance
    }
  }

  close(): void {
    this.instance.closeSync();
  }
}

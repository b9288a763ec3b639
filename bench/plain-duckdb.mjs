// The floor for a CLI query's start-up (bench/startup.bench.ts): plain Node
// opening DuckDB and running given SQL statements, nothing of missionbench
// loaded. Plain JavaScript, run as it is.
//   node bench/plain-duckdb.mjs <statements.json>
// statements.json: { "setup": ["ATTACH ...", "CREATE VIEW ...", ...], "query": "SELECT ..." }
// Prints the query's row count.
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const { setup, query } = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
for (const statement of setup) await connection.run(statement);
const rows = (await connection.runAndReadAll(query)).getRowObjectsJson();
connection.closeSync();
instance.closeSync();
process.stdout.write(`${rows.length} rows\n`);

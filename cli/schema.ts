import type { Command } from 'commander';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { scenarioJsonSchema } from '../sim/scenario/validate.ts';

export const SCHEMA_PATH = new URL('../scenarios/schema.json', import.meta.url);

/** The scenario JSON Schema as committed: generated from sim/scenario/schema.ts. */
export function renderScenarioSchema(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('print the scenario JSON Schema (generated from the TypeScript definitions)')
    .option('--write', 'write it to scenarios/schema.json')
    .option('--check', 'exit 1 if scenarios/schema.json is stale')
    .action((options: { write?: boolean; check?: boolean }) => {
      const schema = renderScenarioSchema();
      if (options.check) {
        const committed = readFileSync(SCHEMA_PATH, 'utf8');
        if (committed !== schema) {
          process.stderr.write('scenarios/schema.json is stale: run `npm run schema`\n');
          process.exit(1);
        }
        return;
      }
      if (options.write) {
        const temporary = new URL('../scenarios/.schema.json.tmp', import.meta.url);
        writeFileSync(temporary, schema);
        renameSync(temporary, SCHEMA_PATH);
        process.stderr.write('wrote scenarios/schema.json\n');
        return;
      }
      process.stdout.write(schema);
    });
}

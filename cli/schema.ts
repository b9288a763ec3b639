import type { Command } from 'commander';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { eventCatalogueMarkdown, eventJsonSchema } from '../sim/events.ts';
import { scenarioJsonSchema } from '../sim/scenario/validate.ts';

/** The committed schemas, each generated from its TypeScript definitions. */
const json = (build: () => unknown) => () => `${JSON.stringify(build(), null, 2)}\n`;
const SCHEMAS = {
  scenario: { path: new URL('../scenarios/schema.json', import.meta.url), name: 'scenarios/schema.json', render: json(scenarioJsonSchema) },
  events: { path: new URL('../docs/event-schema.json', import.meta.url), name: 'docs/event-schema.json', render: json(eventJsonSchema) },
  catalogue: { path: new URL('../docs/event-catalogue.md', import.meta.url), name: 'docs/event-catalogue.md', render: eventCatalogueMarkdown },
};

export function renderSchema(which: keyof typeof SCHEMAS): string {
  return SCHEMAS[which].render();
}

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('print the scenario JSON Schema, or with --events the audit event schema (both generated from the TypeScript definitions)')
    .option('--events', 'the audit event schema (docs/event-schema.json) instead')
    .option('--write', 'write the committed files: scenarios/schema.json, docs/event-schema.json, docs/event-catalogue.md')
    .option('--check', 'exit 1 if a committed schema is stale')
    .action((options: { events?: boolean; write?: boolean; check?: boolean }) => {
      if (options.check || options.write) {
        let stale = 0;
        for (const which of Object.keys(SCHEMAS) as Array<keyof typeof SCHEMAS>) {
          const { path, name } = SCHEMAS[which];
          const schema = renderSchema(which);
          if (options.write) {
            const temporary = new URL(`${path.href}.tmp`);
            writeFileSync(temporary, schema);
            renameSync(temporary, path);
            process.stderr.write(`wrote ${name}\n`);
          } else if (readFileSync(path, 'utf8') !== schema) {
            process.stderr.write(`${name} is stale: run \`npm run schema\`\n`);
            stale++;
          }
        }
        if (stale > 0) process.exit(1);
        return;
      }
      process.stdout.write(renderSchema(options.events ? 'events' : 'scenario'));
    });
}

import { Type, type Static, type TObject } from '@sinclair/typebox';
import { ALIGNMENT_EVENTS } from './catalogue/alignment.ts';
import { AUDIT_EVENTS } from './catalogue/audit.ts';
import { DELEGATION_EVENTS } from './catalogue/delegation.ts';
import { FAULT_EVENTS } from './catalogue/faults.ts';
import { GOVERNANCE_EVENTS } from './catalogue/governance.ts';
import { MISSION_EVENTS } from './catalogue/mission.ts';
import { MISSION_AUTHORITY_EVENTS } from './catalogue/mission-authority.ts';
import { MISSION_END_EVENTS } from './catalogue/mission-ends.ts';
import { OPERATION_EVENTS } from './catalogue/operations.ts';
import { REVOCATION_EVENTS } from './catalogue/revocation.ts';
import { RUN_EVENTS } from './catalogue/run.ts';
import { TOKEN_EVENTS } from './catalogue/tokens.ts';

/**
 * The catalogue of audit events: every type and the fields it carries after
 * the common ones (seq, t, type, mission, actor) and before prev and hash.
 * The world records events through these definitions (WorldContext.record
 * is typed by them), and docs/event-schema.json is generated from them, so
 * a log written elsewhere can be checked against exactly what the simulator
 * writes. Field order in a definition is the order in the log. The core
 * types are defined by family in sim/log/catalogue/ (with the small schemas
 * they share, fields.ts); their order here is the order of
 * docs/event-schema.json and docs/event-catalogue.md.
 */
const CORE_EVENTS = {
  ...RUN_EVENTS,
  ...MISSION_EVENTS,
  ...DELEGATION_EVENTS,
  ...MISSION_END_EVENTS,
  ...GOVERNANCE_EVENTS,
  ...TOKEN_EVENTS,
  ...OPERATION_EVENTS,
  ...REVOCATION_EVENTS,
  ...FAULT_EVENTS,
  ...AUDIT_EVENTS,
  ...ALIGNMENT_EVENTS,
  ...MISSION_AUTHORITY_EVENTS,
} satisfies Record<string, TObject>;

/**
 * Every event type's schema, by type. A domain that records events of its
 * own (AOP: sim/aop/events.ts) adds them to this interface by declaration
 * merging and registers their schemas with `registerEvents`; the catalogue
 * imports no domain.
 */
export interface EventSchemas extends CoreEvents {}
type CoreEvents = typeof CORE_EVENTS;

export type EventType = keyof EventSchemas & string;
export type EventFields<T extends EventType> = Static<EventSchemas[T]>;

const registry: Record<string, TObject> = { ...CORE_EVENTS };
let assembled = false;

/** A domain's event types join the catalogue, after those already there (the order of the schema files). */
export function registerEvents(group: Record<string, TObject>): void {
  if (assembled) throw new Error('the event catalogue is already assembled: register event types before assembleCatalogue()');
  for (const [type, schema] of Object.entries(group)) {
    if (type in registry) throw new Error(`event type ${type} is registered twice`);
    registry[type] = schema;
  }
}

/** Called once every domain has registered (sim/events.ts): from now on the catalogue is complete and fixed. */
export function assembleCatalogue(): void {
  assembled = true;
}

/**
 * The complete catalogue. Throws if it was not assembled yet, so a reader
 * never sees it without a domain's events: import sim/events.ts (which
 * registers every domain) before asking.
 */
export function eventCatalogue(): Readonly<Record<string, TObject>> {
  if (!assembled) throw new Error("the event catalogue is not assembled: import sim/events.ts, which registers every domain's event types");
  return registry;
}

const hex64 = Type.String({ pattern: '^[0-9a-f]{64}$' });

/** The JSON Schema of one log line, as committed in docs/event-schema.json. */
export function eventJsonSchema(): Record<string, unknown> {
  const catalogue = eventCatalogue();
  const variants = Object.entries(catalogue).map(([type, schema]) => {
    const own = JSON.parse(JSON.stringify(schema)) as { properties: Record<string, unknown>; required?: string[]; description: string };
    return {
      description: own.description,
      type: 'object',
      additionalProperties: false,
      required: ['seq', 't', 'type', 'mission', 'actor', ...(own.required ?? [])],
      properties: {
        seq: { type: 'integer', minimum: 0 },
        t: { type: 'integer', minimum: 0, description: 'simulated time, integer microseconds' },
        type: { const: type },
        mission: { type: ['string', 'null'], description: 'the mission s256, or null' },
        actor: { type: 'string' },
        ...own.properties,
        prev: { ...hex64, description: 'previous line hash; absent in a log that was never chained' },
        hash: { ...hex64, description: 'SHA-256 of this line without its hash member' },
      },
    };
  });
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://missionbench.dev/schema/event.json',
    title: 'missionbench audit event (one line of events.jsonl)',
    type: 'object',
    required: ['type'],
    properties: { type: { enum: Object.keys(catalogue) } },
    allOf: Object.keys(catalogue).map((type, i) => ({ if: { properties: { type: { const: type } } }, then: variants[i] })),
  };
}

/** docs/event-catalogue.md: the catalogue as a table, generated like the schema. */
export function eventCatalogueMarkdown(): string {
  const rows = Object.entries(eventCatalogue()).map(([type, schema]) => {
    const required = new Set((schema as TObject).required ?? []);
    const names = Object.keys((schema as TObject).properties).map((name) => (required.has(name) ? `\`${name}\`` : `\`${name}\`?`));
    return `| \`${type}\` | ${names.join(', ') || '(none)'} | ${(schema as TObject).description ?? ''} |`;
  });
  return [
    '# Audit event catalogue',
    '',
    'Generated from `sim/log/catalogue.ts` by `npm run schema`; do not edit by hand.',
    'Every line of `events.jsonl` is `seq, t, type, mission, actor`, then the fields',
    'below in this order (`?`: optional), then `prev` and `hash` (see the README,',
    '"The event log"). The JSON Schema of a line is `docs/event-schema.json`;',
    '`missionbench ingest` checks logs from outside against it.',
    '',
    '| type | fields | meaning |',
    '|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

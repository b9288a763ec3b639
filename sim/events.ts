import { AOP_EVENTS } from './aop/events.ts';
import { assembleCatalogue, registerEvents } from './log/catalogue.ts';

/**
 * The complete audit event catalogue: the core types (sim/log/catalogue.ts)
 * and every domain's own, registered here in a fixed order (the order of
 * docs/event-schema.json). Anything that needs the whole catalogue (a run,
 * the schema command, analysis, ingest) imports this module first.
 */
registerEvents(AOP_EVENTS);
assembleCatalogue();

export { eventCatalogue, eventCatalogueMarkdown, eventJsonSchema } from './log/catalogue.ts';
export { ANALYSED_FIELDS, catalogueFieldTypes, eventColumns } from './log/analysed-columns.ts';

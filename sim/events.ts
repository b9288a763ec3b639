import { AOP_EVENTS } from './aop/events.ts';
import { assembleCatalogue, registerEvents } from './audit/catalogue.ts';

/**
 * The complete audit event catalogue: the core types (sim/audit/catalogue.ts)
 * and every domain's own, registered here in a fixed order (the order of
 * docs/event-schema.json). Anything that needs the whole catalogue (a run,
 * the schema command, analysis, ingest) imports this module first.
 */
registerEvents(AOP_EVENTS);
assembleCatalogue();

export { eventCatalogue, eventCatalogueMarkdown, eventJsonSchema } from './audit/catalogue.ts';
export { ANALYSED_FIELDS, catalogueFieldTypes, eventColumns } from './audit/analysed-columns.ts';

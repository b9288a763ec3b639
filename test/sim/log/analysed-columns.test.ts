import { describe, expect, it } from 'vitest';
import '../../../sim/events.ts'; // the whole event catalogue, as a run has it
import { ANALYSED_FIELDS, eventColumns } from '../../../sim/log/analysed-columns.ts';

describe("the event table's columns", () => {
  it('are the common fields, then the analysed fields, each typed as the catalogue declares it', () => {
    const columns = eventColumns();
    expect(columns.map(([name]) => name)).toEqual(['seq', 't', 'type', 'mission', 'actor', ...ANALYSED_FIELDS]);
    expect(Object.fromEntries(columns)).toMatchObject({ seq: 'BIGINT', t: 'BIGINT', agent: 'VARCHAR', irreversible: 'BOOLEAN', depth: 'BIGINT' });
  });

  it('are computed once but handed out as a fresh list each time: a caller that changes its list changes no other', () => {
    const first = eventColumns();
    (first[0] as [string, string])[1] = 'JSON';
    first.pop();
    expect(eventColumns()[0]).toEqual(['seq', 'BIGINT']);
    expect(eventColumns()).toHaveLength(5 + ANALYSED_FIELDS.length);
  });
});

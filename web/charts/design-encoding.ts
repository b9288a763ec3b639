/**
 * How designs appear on a chart: their grid values as short labels and as
 * fields a chart can encode (one per sweep axis), and their colours.
 */
import type { Row } from './spec-basics.ts';

/** Designs' colours: 10 strong hues, or 20 when there are more designs (category10 would repeat after 10). */
export function designScheme(rows: readonly Row[]): string {
  return new Set(rows.map((row) => row.design)).size > 10 ? 'tableau20' : 'tableau10';
}

/**
 * Colour by design, for charts with a line per design: the legend lists the
 * designs in the query's order, not alphabetically (sort: null), each by its
 * short label.
 */
export function designColor(rows: readonly Row[]): Record<string, unknown> {
  return {
    field: 'label',
    type: 'nominal',
    sort: null,
    title: 'design',
    scale: { scheme: designScheme(rows) },
    legend: { orient: 'right', labelLimit: 240 },
  };
}

/** The grid axes of a sweep, from the first design's params (none outside a sweep). */
export function axesOf(designs: readonly Row[]): string[] {
  const params = designs[0]?.params;
  return params && typeof params === 'object' ? Object.keys(params as Record<string, unknown>) : [];
}

/** Rows with each grid value as its own field (`axis:<key>`), so charts can encode them. */
export function withAxes(designs: readonly Row[]): Row[] {
  return designs.map((row, order) => {
    const flat: Row = { ...row, order, label: shortLabel(String(row.design)) };
    for (const [key, value] of Object.entries((row.params ?? {}) as Record<string, unknown>)) flat[`axis:${key}`] = value;
    return flat;
  });
}

/**
 * A design's grid values without their paths ("5m · push" for
 * "tokens.auth_ttl=5m, topology.resources[ledger].revocation.mode=push"):
 * legends and axes stay readable; tooltips keep the full design.
 */
export function shortLabel(design: string): string {
  if (!design.includes('=')) return design;
  return design
    .split(', ')
    .map((part) => part.slice(part.indexOf('=') + 1))
    .join(' · ');
}

/** A grid axis's key as an axis title, its dots back (`tokens_auth_ttl` reads `tokens.auth_ttl`). */
export function axisTitle(key: string): string {
  return key.replace(/_/g, '.');
}

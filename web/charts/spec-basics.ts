/**
 * What every chart spec here starts from: the vega-lite schema, the common
 * width, and the shapes of a query row and of a spec (plain objects, so the
 * browser and Node both take them as they are).
 */

export type Row = Record<string, unknown>;
export type Spec = Record<string, unknown>;

export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
export const WIDTH = 420;

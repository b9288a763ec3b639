/** The Person Server's load per design as bars, with its note. */
import { formatRate } from '../format.ts';
import { withAxes } from './design-encoding.ts';
import { flatNote } from './flat-note.ts';
import { type Row, SCHEMA, type Spec, WIDTH } from './spec-basics.ts';

/** Control-plane and human load per design: mean PS requests per second (tokens + status checks). */
export function loadSpec(designs: readonly Row[]): Spec {
  return {
    $schema: SCHEMA,
    title: 'Person Server load (requests/s: tokens + status checks)',
    width: WIDTH,
    data: { values: withAxes(designs) },
    name: 'bars',
    params: [{ name: 'pick', select: { type: 'point', fields: ['design'], toggle: 'true' } }],
    mark: { type: 'bar', cursor: 'pointer' },
    encoding: {
      y: { field: 'label', type: 'nominal', sort: { field: 'order' }, axis: { labelLimit: 240 }, title: 'design' },
      x: { field: 'ps_load_rps', type: 'quantitative', title: 'PS requests per second (req/s)', axis: { format: '~r', tickCount: 5 } },
      opacity: { condition: { param: 'pick', empty: true, value: 1 }, value: 0.35 },
      tooltip: [
        { field: 'design' },
        { field: 'ps_load_rps', format: '.3~r', title: 'PS load (req/s)' },
        { field: 'ps_token_rps', format: '.3~r', title: 'of which tokens (req/s)' },
      ],
    },
  };
}

/** Why the load bars would mislead. */
export function loadNote(designs: readonly Row[]): string | null {
  if (designs.length === 1) return null;
  return flatNote(
    designs.map((row) => row.ps_load_rps),
    'Person Server load',
    (value) => formatRate(value),
  );
}

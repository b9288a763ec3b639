/**
 * The dashboard's and the report's charts, as vega-lite specs built from the
 * rows of named queries (analysis/sql/queries). One definition per chart: the
 * browser embeds them with vega-embed, `missionbench report` renders the
 * same specs to SVG in Node. Only import-free modules are imported, so both
 * can load these files.
 *
 * A chart whose data are absent, all zero or all equal would draw nothing
 * or a misleading axis (a "0.000000" tick, curves collapsed onto one line):
 * each chart has a `...Note` function that says so in words instead, and
 * the dashboard and report show the note in place of the chart.
 *
 * One file per chart family (and one per shared part); this file is the
 * door the dashboard, the report, the notebooks and the tests import.
 */
export { containmentNote, containmentSpec } from './containment-spec.ts';
export { axesOf, shortLabel } from './design-encoding.ts';
export { driftSummaryNote, driftSummarySpec, driftTimelineSpec } from './drift-specs.ts';
export { DURATION_LABEL, durationTicks, linearDurationTicks } from './duration-axis.ts';
export { flatNote } from './flat-note.ts';
export { LIFECYCLE_COLUMNS, LIFECYCLE_COSTS, lifecycleCosts, lifecycleNote, lifecycleSpec } from './lifecycle-spec.ts';
export { loadNote, loadSpec } from './load-spec.ts';
export { stopCdfNote, stopCdfSpec, stopHeatmapNote, stopHeatmapSpec } from './stop-specs.ts';
export { tradeoffNote, tradeoffSpec } from './tradeoff-spec.ts';

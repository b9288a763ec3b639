/**
 * Which analysis the page is drawn from. serve builds an analysis again
 * while the page is open when its runs change on disk, and answers an error
 * while a rebuild fails (docs/dashboard.md, "When the runs are checked");
 * every /api/ answer names the analysis, or the refusal, it came from
 * (ANALYSIS_HEADER). The check banner is drawn first and says which one the
 * page follows; an answer from another means the banner describes a check
 * that no longer answers and the views hold answers it no longer gives, so
 * the page draws again: banner, subject and every view.
 */
let drawn: { gap: string | null; identity: string } | undefined;
let drawAgain: () => void = () => {};

/** What to call when an answer comes from another analysis than the page's (main.ts: a redraw). */
export function onAnotherAnalysis(callback: () => void): void {
  drawAgain = callback;
}

/** The banner was drawn from this analysis (null: unknown, say the check could not be fetched, so nothing to compare with). */
export function drawingFrom(gap: string | null, identity: string | null): void {
  drawn = identity === null ? undefined : { gap, identity };
}

/** An answer for `gap` came from `identity`: another gap's answers (a switch's probe, one in flight) say nothing about this page. */
export function answeredFrom(gap: string | null, identity: string | null): void {
  if (identity === null || drawn === undefined || gap !== drawn.gap || identity === drawn.identity) return;
  drawAgain();
}

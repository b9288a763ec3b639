/**
 * Which analysis the page is drawn from. serve builds an analysis again
 * while the page is open when its runs change on disk, and answers an error
 * while a rebuild fails (docs/dashboard.md, "When the runs are checked");
 * every /api/ answer an analysis (or a refused rebuild) gave names it
 * (ANALYSIS_HEADER). The check banner is drawn first and says which one the
 * page follows; an answer from another means the banner describes a check
 * that no longer answers and the views hold answers it no longer gives, so
 * the page draws again: banner, subject and every view.
 */

/**
 * The gap drawn and the analysis its banner came from (identity null: the
 * banner could not be fetched, so which check the page shows is unknown);
 * undefined until the banner of the draw under way has answered.
 */
let drawn: { gap: string | null; identity: string | null } | undefined;
/** A draw is under way: its own answers never ask for another. */
let drawing = false;
/** How many draws have begun: an answer asked before the latest began is stale (still-wanted.ts). */
let begun = 0;
let drawAgain: () => void = () => {};

/** What to call when an answer comes from another analysis than the page's (main.ts: a redraw). */
export function onAnotherAnalysis(callback: () => void): void {
  drawAgain = callback;
}

/** A draw begins (page-draw.ts): answers arriving until its banner answers were asked before it, and ask for no redraw (this draw is one). */
export function drawStarts(): void {
  drawn = undefined;
  drawing = true;
  begun++;
}

/** How many draws have begun so far. */
export function drawsBegun(): number {
  return begun;
}

/** The banner was drawn from this analysis (null: the check could not be fetched). */
export function drawingFrom(gap: string | null, identity: string | null): void {
  drawn = { gap, identity };
}

/** The draw is done: from now on, with the banner unknown, any answer for the gap asks for a redraw. */
export function drawEnds(): void {
  drawing = false;
}

/** An answer for `gap` came from `identity`: another gap's answers (a switch's probe, one in flight) say nothing about this page. */
export function answeredFrom(gap: string | null, identity: string | null): void {
  if (identity === null || drawn === undefined || gap !== drawn.gap || identity === drawn.identity) return;
  // The banner could not be fetched: the draw's own answers cannot say whether they match it; the next answer after the draw asks for a redraw,
  // which fetches the banner again (not during the draw: a banner that keeps failing would redraw without end).
  if (drawn.identity === null && drawing) return;
  drawAgain();
}

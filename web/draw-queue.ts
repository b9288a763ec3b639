/**
 * The page's draws (the first one, a gap switch, a redraw for another
 * analysis: drawn-from.ts) run one at a time. Two at once would interleave
 * their answers: one draw's views under the other's banner, or a gap's
 * charts under another gap's name. Redraws asked for while one is waiting
 * to start are that one.
 */
let last: Promise<void> = Promise.resolve();
let redrawWaiting = false;

/** Runs `draw` once the draws before it are done (whether they succeeded or not). */
export function inTurn(draw: () => Promise<void>): Promise<void> {
  const next = last.then(draw, draw);
  last = next.catch(() => undefined);
  return next;
}

/** A redraw in turn, unless one is already waiting: answers asking for it during a draw are many, one redraw serves them all. */
export function redrawInTurn(draw: () => Promise<void>): void {
  if (redrawWaiting) return;
  redrawWaiting = true;
  void inTurn(() => {
    // From here on, an answer from yet another analysis asks for the next redraw.
    redrawWaiting = false;
    return draw();
  });
}

/**
 * Whether an answer asked outside the page's draws is still wanted when it
 * arrives. Picking a replay run or mission and sizing again ask the server
 * at once, not in turn (draw-queue.ts): a run swept without --logs has its
 * log regenerated first (seconds), and meanwhile the user may switch gap, the
 * page may draw itself again from another analysis, or the user may ask
 * again. Shown then, gap A's replay would sit under gap B's banner and URL;
 * answeredFrom (drawn-from.ts) ignores answers for another gap, so no redraw
 * would put it right. Such an answer is dropped: the draw that overtook it,
 * or the later ask, shows what the page now asks for.
 */
import { getGap } from './api.ts';
import { drawsBegun } from './drawn-from.ts';

/**
 * One view's asks (the replay's, the sizing form's): call it when asking;
 * the function it returns says, once the answer is in, whether to show it:
 * not if a draw began since, the gap changed, or the view asked again.
 */
export function asksOfOneView(): () => () => boolean {
  let asks = 0;
  return () => {
    const ask = ++asks;
    const draw = drawsBegun();
    const gap = getGap();
    return () => ask === asks && draw === drawsBegun() && gap === getGap();
  };
}

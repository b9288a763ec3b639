import { describe, expect, it } from 'vitest';
import { MissionControlView } from '../../../sim/log/mission-control.ts';
import type { LoggedEvent } from '../../../sim/log/read-log.ts';
import { runEvents } from '../../scenarios/run-events.ts';

/** The Mission Control view of a whole log, line by line, as `replay` prints it. */
function view(events: ReadonlyArray<Record<string, unknown>>): string[] {
  const control = new MissionControlView();
  return events.map((event) => control.line(event as LoggedEvent)).filter((line): line is string => line !== undefined);
}

describe('the Mission Control view shows refused person tokens (-11)', () => {
  it("wire-forged-mission under aauth-r11: the intern's and the ghost's refusals are lines of the view, naming the PS's reason", () => {
    const lines = view(runEvents('wire-forged-mission', ['profile=aauth-r11'], 1));
    expect(lines.filter((line) => line.includes('person token denied'))).toEqual([
      expect.stringMatching(/^\d\d:\d\d intern -> reports person token denied — mission_not_found$/),
      expect.stringMatching(/^\d\d:\d\d ghost -> reports person token denied — mission_not_found$/),
    ]);
  });

  it('under aauth-r01 there is no person token: the forged header is granted and the view shows no person-token line', () => {
    const lines = view(runEvents('wire-forged-mission', ['profile=aauth-r01'], 1));
    expect(lines.some((line) => line.includes('person token'))).toBe(false);
    expect(lines.some((line) => line.startsWith('09:') && line.includes('intern -> payments scope: transfer granted'))).toBe(true);
  });
});

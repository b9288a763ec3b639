import { describe, expect, it } from 'vitest';
import { BrokenLogError } from '../../analysis/check-logs.ts';
import { FreshSessions, type RunsNow } from '../../cli/fresh-sessions.ts';

/** A folder whose runs the test changes, analyses that say which build they are, and a clock the test moves. */
function harness(options: { failOn?: string; failing?: number; thrown?: (folder: string) => unknown; saying?: (build: number) => string[] } = {}) {
  // How many builds after the first fail for a cause outside the runs (say, a full disk).
  let failing = options.failing ?? 0;
  let runs: RunsNow = { current: true };
  let clock = 0;
  let builds = 0;
  let release: (() => void) | undefined;
  const closed: number[] = [];
  const looks: number[] = [];
  const warnings: string[] = [];
  const sessions = new FreshSessions<{ build: number }>({
    prepare: async (folder, say) => {
      const build = ++builds;
      // What prepareAnalysis says at each build (say, how many planned runs are not finished).
      for (const line of options.saying?.(build) ?? []) say(line);
      // A build may be held until the test lets it finish.
      await new Promise<void>((resolve) => {
        release = resolve;
        if (build === 1) resolve();
      });
      if (!runs.current && runs.state === options.failOn) throw new BrokenLogError(`${folder}: run r1: seq 5: edited`);
      if (build > 1 && failing > 0) {
        failing--;
        throw options.thrown ? options.thrown(folder) : new Error(`${folder}: ENOSPC: no space left on device`);
      }
      runs = { current: true };
      return { build };
    },
    close: ({ build }) => closed.push(build),
    look: () => {
      looks.push(clock);
      return runs;
    },
    record: () => (runs.current ? runs.record : undefined),
    now: () => clock,
    intervalMs: 1000,
    retryMs: 5000,
    warn: (line) => warnings.push(line),
  });
  return {
    sessions,
    closed,
    looks,
    warnings,
    builds: () => builds,
    change: (state: string) => {
      runs = { current: false, state };
    },
    /** Another command rebuilt the folder's analysis for the same runs: current, with another record. */
    rebuiltElsewhere: (record: string) => {
      runs = { current: true, record };
    },
    tick: (ms: number) => {
      clock += ms;
    },
    finishBuild: () => release?.(),
    /** The folder opened once (the first build) and no request holding it. */
    served: async () => {
      const first = sessions.lease();
      await first.open('sweep');
      first.release();
    },
    /** One request for `sweep` whose build (if it starts one) the test lets finish. */
    request: async () => {
      const opening = sessions.lease().open('sweep');
      // Its rejection is the test's to check, after the build is let finish.
      opening.catch(() => undefined);
      await tick();
      release?.();
      return opening;
    },
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("serve's analyses are looked at again before answering, and rebuilt when their runs changed", () => {
  it('looks at most once per interval; a change is rebuilt once for every waiting request; the old one is closed only when its requests are done', async () => {
    const h = harness();
    const first = h.sessions.lease();
    expect(await first.open('sweep')).toEqual({ build: 1 });
    first.release();
    // Within the interval: no look again.
    h.tick(500);
    const early = h.sessions.lease();
    expect(await early.open('sweep')).toEqual({ build: 1 });
    expect(h.looks).toEqual([0]);

    // A request still in flight on build 1 (`early`), the runs changed, the interval passed: two requests arrive.
    h.change('parquet edited');
    h.tick(600);
    const a = h.sessions.lease();
    const b = h.sessions.lease();
    let answered = 0;
    const counted = (p: Promise<{ build: number }>) =>
      p.then((value) => {
        answered++;
        return value;
      });
    const pending = [counted(a.open('sweep')), counted(b.open('sweep'))];
    await tick();
    // The rebuild waits for the request in flight: nothing built, nothing closed, nobody answered.
    expect(h.builds()).toBe(1);
    expect(h.closed).toEqual([]);
    expect(answered).toBe(0);
    early.release();
    await tick();
    expect(h.builds()).toBe(2);
    // A request during a long rebuild, past the interval, waits for it: it starts no second build of the folder.
    h.tick(1500);
    const c = h.sessions.lease();
    pending.push(counted(c.open('sweep')));
    await tick();
    expect(h.builds()).toBe(2);
    h.finishBuild();
    expect(await Promise.all(pending)).toEqual([{ build: 2 }, { build: 2 }, { build: 2 }]);
    expect(h.closed).toEqual([1]);
    c.release();
    expect(h.warnings).toEqual(['missionbench serve: sweep: its runs changed since they were checked; checking them again before answering']);
    a.release();
    b.release();
    await h.sessions.closeAll();
    expect(h.closed).toEqual([1, 2]);
  }, 10_000);

  it('answers a failed rebuild as an error without building again within the back-off; once the runs change, builds again; serve stays usable', async () => {
    const h = harness({ failOn: 'log edited' });
    await h.served();
    h.change('log edited');
    h.tick(1000);
    const failing = h.request();
    await expect(failing).rejects.toThrow('sweep: run r1: seq 5: edited');
    expect(h.closed).toEqual([1]);
    expect(h.warnings).toContain('missionbench: sweep: run r1: seq 5: edited');
    // The same runs a second later: the same error, no new build.
    h.tick(1000);
    await expect(h.sessions.lease().open('sweep')).rejects.toThrow('seq 5: edited');
    expect(h.builds()).toBe(2);
    // The log put back (a new state): built again, and answered.
    h.change('log restored');
    h.tick(1000);
    const restored = h.request();
    expect(await restored).toEqual({ build: 3 });
  }, 10_000);

  it('tries a failed rebuild again after the back-off, the runs unchanged (a cause outside them, say a full disk), answering its error until one succeeds', async () => {
    const h = harness({ failing: 2 });
    await h.served();
    h.change('parquet edited');
    h.tick(1000);
    await expect(h.request()).rejects.toThrow('sweep: ENOSPC: no space left on device');
    expect(h.builds()).toBe(2);
    // Looked at again within the back-off: the same error, no build.
    h.tick(4000);
    await expect(h.request()).rejects.toThrow('ENOSPC');
    expect(h.builds()).toBe(2);
    // The back-off over: tried again, failing again the same way, said once on stderr.
    h.tick(1000);
    await expect(h.request()).rejects.toThrow('ENOSPC');
    expect(h.builds()).toBe(3);
    expect(h.warnings.filter((line) => line.includes('ENOSPC'))).toHaveLength(1);
    // The back-off counts from the last failure; then the cause is gone: answered.
    h.tick(4000);
    await expect(h.request()).rejects.toThrow('ENOSPC');
    expect(h.builds()).toBe(3);
    h.tick(1000);
    expect(await h.request()).toEqual({ build: 4 });
    expect(h.warnings.at(-1)).toBe('missionbench serve: sweep: built again, the runs unchanged; the error before is no longer answered');
    expect(h.closed).toEqual([1]);
  }, 10_000);

  it('a broken log is not tried again on the timer, only once the runs change: checking every log again would fail the same way', async () => {
    const h = harness({ failOn: 'log edited' });
    await h.served();
    h.change('log edited');
    h.tick(1000);
    const opening = h.request();
    await expect(opening).rejects.toThrow(BrokenLogError);
    expect(h.builds()).toBe(2);
    // Long past RETRY_FAILED_MS, the runs unchanged: every request gets the same error, and no build checks the logs again.
    for (let look = 0; look < 4; look++) {
      h.tick(6000);
      await expect(h.sessions.lease().open('sweep')).rejects.toThrow('sweep: run r1: seq 5: edited');
    }
    expect(h.builds()).toBe(2);
    expect(h.warnings.filter((line) => line.includes('seq 5: edited'))).toEqual(['missionbench: sweep: run r1: seq 5: edited']);
    // It says when it is tried again: not "5 s later".
    expect(h.warnings.at(-1)).toBe('missionbench serve: sweep: the dashboard answers this error until a rebuild succeeds (tried again when the runs change)');
    // The runs change: built again.
    h.change('log restored');
    h.tick(1000);
    const restored = h.request();
    expect(await restored).toEqual({ build: 3 });
  }, 10_000);

  it("says prepare's notes once, not again at each retry that says the same; a note that changed is said", async () => {
    // Every build says how many runs are not finished; from the fourth build on, one fewer.
    const h = harness({
      failing: 2,
      saying: (build) => [`missionbench: sweep: ${build < 4 ? 2 : 1} of 6 planned runs are not finished`],
    });
    await h.served();
    h.change('parquet edited');
    h.tick(1000);
    await expect(h.request()).rejects.toThrow('ENOSPC');
    h.tick(5000);
    await expect(h.request()).rejects.toThrow('ENOSPC');
    h.tick(5000);
    expect(await h.request()).toEqual({ build: 4 });
    expect(h.warnings.filter((line) => line.includes('planned runs'))).toEqual([
      'missionbench: sweep: 2 of 6 planned runs are not finished',
      'missionbench: sweep: 1 of 6 planned runs are not finished',
    ]);
  }, 10_000);

  it('a rebuild that throws something not an Error is answered and said by what was thrown, and tried again', async () => {
    const h = harness({ failing: 2, thrown: () => null });
    await h.served();
    h.change('parquet edited');
    h.tick(1000);
    await expect(h.request()).rejects.toThrow(/^null$/);
    // The retry fails the same way: compared by message without throwing, said once.
    h.tick(5000);
    await expect(h.request()).rejects.toThrow(/^null$/);
    expect(h.builds()).toBe(3);
    expect(h.warnings.filter((line) => line === 'missionbench: null')).toHaveLength(1);
    h.tick(5000);
    expect(await h.request()).toEqual({ build: 4 });
  }, 10_000);

  it('opens the analysis again when another command rebuilt it for the same runs (its record changed), and closes the old one once', async () => {
    const h = harness();
    const first = h.sessions.lease();
    expect(await first.open('sweep')).toEqual({ build: 1 });
    first.release();
    // `analyze` rebuilt the folder: the runs are current, but against a record this serve did not open.
    h.rebuiltElsewhere('record written by analyze');
    h.tick(1000);
    const afterLease = h.sessions.lease();
    const after = afterLease.open('sweep');
    await tick();
    h.finishBuild();
    expect(await after).toEqual({ build: 2 });
    afterLease.release();
    expect(h.closed).toEqual([1]);
    expect(h.warnings).toEqual(['missionbench serve: sweep: its analysis was built again by another command; opening it again before answering']);
    // The record it opened is the one a look now finds: no more rebuilds.
    h.tick(1000);
    const again = h.sessions.lease();
    expect(await again.open('sweep')).toEqual({ build: 2 });
    again.release();
    expect(h.builds()).toBe(2);
    // Ctrl-C while a rebuild waits for a request on the old analysis: each analysis is closed once.
    const holding = h.sessions.lease();
    await holding.open('sweep');
    h.change('parquet edited');
    h.tick(1000);
    const rebuilt = h.sessions.lease().open('sweep');
    await tick();
    const closing = h.sessions.closeAll();
    holding.release();
    await tick();
    h.finishBuild();
    await closing;
    await rebuilt.catch(() => undefined);
    expect(h.closed.filter((build) => build === 2)).toEqual([2]);
  }, 10_000);
});

/**
 * The inline watchdog's rerun rule: a run the watch stopped while this thread ran on a CPU for
 * less than the limit and less than half the watch runs again under a longer watch; one that ran
 * the limit, or had half a CPU across the watch, is a hang, as is
 * every stop once the wall time spent reaches STARVED_LIMIT_FACTOR × the limit, and every stop
 * where the OS reports no run times (the wall-clock rule). A rerun that ends after running the
 * limit of CPU ran over it: it runs once more under the limit's watch, and is the hang when
 * stopped there unstarved. A stop the work reports as STARVED is starved whatever the readings.
 */
import { describe, expect, it } from 'vitest';
import { RERUN_MARGIN, STARVED, StarvedRerun, type Attempt } from '../../../src/exec/starved_rerun.js';
import { STARVED_LIMIT_FACTOR } from '../../../src/exec/stall_clock.js';
import { TIMED_OUT } from '../../../src/exec/watchdog.js';

const LIMIT = 100;

/** A fake thread and clock: each attempt spends its whole watch of wall time (or `endsAt` ms,
 *  when it ends by itself) and runs `share` of that on a CPU. */
function fakeThread(share: number | undefined, endsAt = Infinity) {
  let wallMs = 0;
  let runNs = 0;
  const watches: number[] = [];
  const attempt: Attempt<string> = (ms) => {
    watches.push(ms);
    const spent = Math.min(ms, endsAt);
    wallMs += spent;
    runNs += spent * (share ?? 0) * 1e6;
    return endsAt <= ms ? 'clean' : TIMED_OUT;
  };
  const rerun = new StarvedRerun(LIMIT, () => (share === undefined ? undefined : runNs), () => wallMs);
  return { attempt, rerun, watches, wall: () => wallMs };
}

/** A fake thread whose share of a CPU changes from one attempt to the next (`shares[i]` in the
 *  i-th; the last one after that), running a trial that ends after `needMs` of CPU time. */
function risingShare(needMs: number, shares: readonly number[]) {
  let wallMs = 0;
  let runNs = 0;
  const watches: number[] = [];
  const attempt: Attempt<string> = (ms) => {
    const share = shares[Math.min(watches.length, shares.length - 1)]!;
    watches.push(ms);
    const ends = needMs <= ms * share;
    const spent = ends ? needMs / share : ms;
    wallMs += spent;
    runNs += spent * share * 1e6;
    return ends ? 'clean' : TIMED_OUT;
  };
  const rerun = new StarvedRerun(LIMIT, () => runNs, () => wallMs);
  return { attempt, rerun, watches };
}

describe('starved rerun', () => {
  it('runs a trial that ran 10 ms of a 100 ms watch again under a longer watch, and returns its result', () => {
    const t = fakeThread(0.1, 150);
    expect(t.rerun.run(t.attempt)).toBe('clean');
    expect(t.watches).toEqual([LIMIT, RERUN_MARGIN * LIMIT * 10]);
  });

  it('reports the hang after one watch when the thread ran the full limit', () => {
    const t = fakeThread(1);
    expect(t.rerun.run(t.attempt)).toBe(TIMED_OUT);
    expect(t.watches).toEqual([LIMIT]);
  });

  it('reports the hang after one watch when the thread had half a CPU across it (ran 60 of 100 ms)', () => {
    const t = fakeThread(0.6);
    expect(t.rerun.run(t.attempt)).toBe(TIMED_OUT);
    expect(t.watches).toEqual([LIMIT]);
  });

  it('holds a rerun\'s longer watch to the limit of CPU time, not to half the watch', () => {
    const t = fakeThread(0.1, 150);
    const watch = RERUN_MARGIN * LIMIT * 10;
    expect(t.rerun.nextWatch({ watchMs: watch, ranMs: LIMIT - 1, spentMs: LIMIT + watch })).toBeDefined();
    expect(t.rerun.nextWatch({ watchMs: watch, ranMs: LIMIT, spentMs: LIMIT + watch })).toBeUndefined();
  });

  it(`gives up once the wall time spent reaches STARVED_LIMIT_FACTOR × the limit (${STARVED_LIMIT_FACTOR * LIMIT} ms)`, () => {
    const t = fakeThread(0.01);
    expect(t.rerun.run(t.attempt)).toBe(TIMED_OUT);
    expect(t.watches.length).toBeGreaterThan(1);
    expect(t.wall()).toBe(STARVED_LIMIT_FACTOR * LIMIT);
  });

  it('keeps the wall-clock rule where the OS reports no run times: the first stop is the hang', () => {
    const t = fakeThread(undefined);
    expect(t.rerun.run(t.attempt)).toBe(TIMED_OUT);
    expect(t.watches).toEqual([LIMIT]);
  });

  it('counts a run already stopped as the first: its share sizes the next watch, its wall time the bound', () => {
    const t = fakeThread(0.5, 150);
    expect(t.rerun.run(t.attempt, { watchMs: 120, ranMs: 10, spentMs: 120 })).toBe('clean');
    expect(t.watches).toEqual([RERUN_MARGIN * 120 * (LIMIT / 10)]);
    const late = fakeThread(0.5, 150);
    expect(late.rerun.run(late.attempt, { watchMs: 120, ranMs: 10, spentMs: STARVED_LIMIT_FACTOR * LIMIT })).toBe(TIMED_OUT);
    expect(late.watches).toEqual([]);
  });

  describe('a rerun during which the thread\'s share rises', () => {
    const rerunWatch = RERUN_MARGIN * LIMIT * 10;

    it('is the hang when it ended after running 3 × the limit of CPU and is stopped under the limit\'s watch', () => {
      const t = risingShare(3 * LIMIT, [0.1, 1]);
      expect(t.rerun.run(t.attempt)).toBe(TIMED_OUT);
      expect(t.watches).toEqual([LIMIT, rerunWatch, LIMIT]);
    });

    it('keeps its result when it ended after running less than the limit of CPU', () => {
      const t = risingShare(LIMIT / 2, [0.1, 0.5]);
      expect(t.rerun.run(t.attempt)).toBe('clean');
      expect(t.watches).toEqual([LIMIT, rerunWatch]);
    });

    it('runs again when the check under the limit\'s watch is stopped starved, and keeps the result of the next check', () => {
      const t = risingShare(LIMIT, [0.1, 1, 0.1, 1]);
      expect(t.rerun.run(t.attempt)).toBe('clean');
      expect(t.watches).toEqual([LIMIT, rerunWatch, LIMIT, rerunWatch, LIMIT]);
    });

    it('keeps its result when it ran the limit of CPU and ends again under the limit\'s watch', () => {
      const t = risingShare(LIMIT, [0.1, 1]);
      expect(t.rerun.run(t.attempt)).toBe('clean');
      expect(t.watches).toEqual([LIMIT, rerunWatch, LIMIT]);
    });
  });

  describe('a run that ends after more than its watch of wall time (the watch ran out late)', () => {
    /** Each attempt ends by itself after `tookMs` of wall time (whatever its watch) having run
     *  `ranMs` of CPU, or is stopped at its watch when it needs more than `endsBelowMs`. */
    function lateThread(tookMs: number, ranMs: number, endsBelowMs = Infinity) {
      let wallMs = 0;
      let runNs = 0;
      const watches: number[] = [];
      const attempt: Attempt<string> = (ms) => {
        watches.push(ms);
        const ends = watches.length === 1 || tookMs < endsBelowMs;
        wallMs += ends ? tookMs : ms;
        runNs += (ends ? ranMs : ms) * 1e6;
        return ends ? 'clean' : TIMED_OUT;
      };
      return { attempt, watches, rerun: new StarvedRerun(LIMIT, () => runNs, () => wallMs) };
    }

    it('is checked under the limit\'s watch when it ran the limit of CPU: the hang when the check is stopped', () => {
      const t = lateThread(LIMIT + 12, LIMIT, LIMIT);
      expect(t.rerun.run(t.attempt)).toBe(TIMED_OUT);
      expect(t.watches).toEqual([LIMIT, LIMIT]);
    });

    it('keeps its result when it ran less than the limit of CPU', () => {
      const t = lateThread(LIMIT + 12, LIMIT - 1, LIMIT);
      expect(t.rerun.run(t.attempt)).toBe('clean');
      expect(t.watches).toEqual([LIMIT]);
    });

    it(`keeps its result once STARVED_LIMIT_FACTOR × the limit is spent on checks that each end late over the limit`, () => {
      const t = lateThread(LIMIT + 12, LIMIT);
      expect(t.rerun.run(t.attempt)).toBe('clean');
      expect(t.watches).toEqual(Array.from({ length: Math.ceil(STARVED_LIMIT_FACTOR * LIMIT / (LIMIT + 12)) }, () => LIMIT));
    });
  });

  it('counts a stop the work reports as STARVED as starved whatever the readings: a rerun under the rest of the bound', () => {
    const t = fakeThread(1, 20);
    const results: (string | typeof STARVED)[] = [STARVED, 'clean'];
    const watches: number[] = [];
    const attempt: Attempt<string> = (ms) => { watches.push(ms); t.attempt(ms); return results.shift()!; };
    expect(t.rerun.run(attempt)).toBe('clean');
    expect(watches).toEqual([LIMIT, STARVED_LIMIT_FACTOR * LIMIT - 20]);
  });

  it('checks a run the caller made that ran over the limit (OverRun) under the limit\'s watch first', () => {
    const t = fakeThread(1);
    expect(t.rerun.run(t.attempt, { over: true, spentMs: 2 * LIMIT })).toBe(TIMED_OUT);
    expect(t.watches).toEqual([LIMIT]);
  });

  it('counts a run over the limit from the thread\'s run time readings: at least the limit, both known', () => {
    const r = new StarvedRerun(LIMIT, () => 0);
    expect([r.ranOver(0, LIMIT * 1e6), r.ranOver(0, LIMIT * 1e6 - 1), r.ranOver(undefined, LIMIT * 1e6), r.ranOver(0, undefined)])
      .toEqual([true, false, false, false]);
  });
});

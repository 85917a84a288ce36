/**
 * A slice trial the watch stops after it ended — before its strategy is told (endSchedule), inside
 * the strategy's `end`, or in the slice's bookkeeping after it — is counted with its own result,
 * not run again, and its strategy learns it ended exactly once (slice_verdict.ts
 * SliceVerdict.ended). The stuck calls spin for at most SPIN_MS and then throw, so a break that
 * lets one spin unwatched fails the test instead of hanging the file.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InlineExecutor } from '../../../src/exec/inline.js';
import type { TrialResult } from '../../../src/exec/result.js';
import type { Slice } from '../../../src/exec/slice.js';
import { RandomScheduler } from '../../../src/sched/random.js';
import { Arena } from '../../../src/shm/arena.js';
import { catalogScenarioNamed } from '../../../scenarios/index.js';
import { withExecutorSync } from '../../support/executor.js';

/** The slice's time: its watch (SLICE_MS + the 100 ms trial timeout) must not run out before the
 *  stuck call is reached — between a trial's end and its strategy's `end` a loaded host has kept
 *  this thread off the CPUs for over 110 ms (the stop then lands before the stuck call, which then
 *  spins unwatched) — and gaps measured here at load ~15 stay well under a second. */
const SLICE_MS = 1000;
/** Far past the slice's watch, even on a loaded host. */
const SPIN_MS = 5000;

/** A call stuck until the watch stops it; throws if none does within SPIN_MS. */
function stuck(): never {
  const until = performance.now() + SPIN_MS;
  while (performance.now() < until) { /* the watch runs out here */ }
  throw new Error(`spun ${SPIN_MS} ms and no watch stopped it`);
}

/** Completed calls of RandomScheduler's `end`; `cutEnd` makes the next call stick instead. */
let ended = 0;
let cutEnd = false;
const realEnd = RandomScheduler.prototype.end;

afterEach(() => vi.restoreAllMocks());

/** A slice of abba-no-ctx under random (its strategy's `end` and `begin` spied on), on a thread
 *  the readings say ran no CPU time: a trial the watch stopped would count as starved and run again. */
function runSlice(keep: (r: TrialResult) => boolean = () => true): { s: Slice; begins: number } {
  ended = 0;
  vi.spyOn(RandomScheduler.prototype, 'end').mockImplementation(function (this: RandomScheduler, steps: number) {
    if (cutEnd) { cutEnd = false; stuck(); }
    realEnd.call(this, steps);
    ended++;
  });
  const begin = vi.spyOn(RandomScheduler.prototype, 'begin');
  const s = withExecutorSync(new InlineExecutor(catalogScenarioNamed('abba-no-ctx')!, { trialTimeoutMs: 100, readRunNs: () => 1e9 }), (ex) =>
    ex.runSlice({ strategies: ['random'], from: 0, to: 10, base: 7, ms: SLICE_MS, keep }));
  return { s, begins: begin.mock.calls.length };
}

/** The findings of abba-no-ctx's trial 7 run alone. */
function alone(): string[] {
  return withExecutorSync(new InlineExecutor(catalogScenarioNamed('abba-no-ctx')!), (ex) => ex.runTrial(7)).findings.map((f) => f.title);
}

describe('a slice trial the watch stopped after it ended', () => {
  it('stopped before its strategy was told: kept with its own result, its strategy told once', () => {
    // The first read of the trial's state in endSchedule sticks: the trial ended, `end` not called.
    let cut = true;
    const realCtl = Arena.prototype.ctl;
    vi.spyOn(Arena.prototype, 'ctl').mockImplementation(function (this: Arena, field: number) {
      if (cut && new Error().stack!.includes('endSchedule')) { cut = false; stuck(); }
      return realCtl.call(this, field);
    });
    const { s, begins } = runSlice();
    expect([s.ran, s.hung, s.kept.map((t) => t.trial), begins, ended]).toEqual([1, false, [0], 1, 1]);
    expect(s.kept[0]!.result.findings.map((f) => f.title)).toEqual(alone());
  });

  it('stopped inside its strategy\'s end: kept with its own result, its strategy told again, once', () => {
    cutEnd = true;
    const { s, begins } = runSlice();
    expect([s.ran, s.hung, s.kept.map((t) => t.trial), begins, ended]).toEqual([1, false, [0], 1, 1]);
    expect(s.kept[0]!.result.findings.map((f) => f.title)).toEqual(alone());
  });

  it('stopped in the slice\'s bookkeeping after its strategy was told: kept with its own result, told once', () => {
    let cut = true;
    const { s, begins } = runSlice(() => { if (cut) { cut = false; stuck(); } return true; });
    expect([s.ran, s.hung, s.kept.map((t) => t.trial), begins, ended]).toEqual([1, false, [0], 1, 1]);
    expect(s.kept[0]!.result.findings.map((f) => f.code)).not.toContain('watchdog');
  });
});

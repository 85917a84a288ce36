/**
 * How the inline executor judges a hunt slice's last trial (src/exec/slice_verdict.ts), against a
 * stub host: the run time is read only once a trial took the limit of wall time; a trial the
 * watch stopped is run again charged the watch's CPU time less the wall time of the trials before
 * it (never below 0); one stopped after its phase said it ended is judged as an end — checked when
 * it ran the limit of CPU, else its own result told to its strategy, not run again; one stopped
 * after the slice recorded its end keeps that result, its strategy told once.
 */
import { describe, expect, it } from 'vitest';
import type { TrialResult } from '../../../src/exec/result.js';
import type { SliceClock } from '../../../src/exec/slice_clock.js';
import { SliceVerdict } from '../../../src/exec/slice_verdict.js';
import { StarvedRerun, type OverRun, type StoppedRun } from '../../../src/exec/starved_rerun.js';
import { runReadings } from '../../fixtures/exec/ran_per_watch.js';

const LIMIT = 100;
const OWN = { seed: 1, end: 'done', steps: 4, findings: [], user: [] } as unknown as TrialResult;
const AGAIN = { seed: 1, end: 'aborted', steps: 2, findings: [], user: [] } as unknown as TrialResult;

/** A verdict over a stub host whose thread's run times are `readings` (ms) and whose last trial
 *  ended when `ended`; it records what it was told and asked to run again. */
function stubbed(readings: readonly number[], ended = false) {
  const read = runReadings(readings);
  const told: string[] = [];
  const again: { strategy: string; seed: number; earlier: StoppedRun | OverRun }[] = [];
  const verdict = new SliceVerdict({
    rerun: new StarvedRerun(LIMIT, read),
    readRun: read,
    trialEnded: () => ended,
    result: () => OWN,
    tell: (strategy) => told.push(strategy),
    runAgain: (strategy, seed, earlier) => {
      again.push({ strategy, seed, earlier });
      return AGAIN;
    },
  });
  return { verdict, read, told, again };
}

/** A slice's clock whose watch started `sliceMs` ago and whose current trial started `trialMs`
 *  ago, the thread's run time 0 at the watch's start. */
function clock(sliceMs: number, trialMs: number, ended?: TrialResult, told = false): SliceClock {
  const now = performance.now();
  return { t0: now - sliceMs, trialT0: now - trialMs, run0: 0, ended, told };
}

describe('a slice verdict', () => {
  it('reads the run time only for a trial that took the limit of wall time: ran the limit of CPU', () => {
    const { verdict, read } = stubbed([LIMIT, LIMIT - 1]);
    expect(verdict.ranLimit(clock(50, 50), performance.now())).toBe(false);
    expect(read.calls).toBe(0);
    expect(verdict.ranLimit(clock(300, 2 * LIMIT), performance.now())).toBe(true);
    expect(verdict.ranLimit(clock(300, 2 * LIMIT), performance.now())).toBe(false);
    expect(read.calls).toBe(2);
  });

  it('charges a stopped trial the watch\'s CPU time less the wall time of the trials before it', () => {
    const { verdict, again, told } = stubbed([250, 250]);
    expect(verdict.stopped('pct:2', 7, clock(300, 100))).toBe(AGAIN);
    expect(verdict.stopped('pct:2', 8, clock(300, 10))).toBe(AGAIN);
    const charged = again.map((a) => [a.strategy, a.seed, 'ranMs' in a.earlier ? a.earlier.ranMs : 'over']);
    expect(charged).toEqual([['pct:2', 7, 50], ['pct:2', 8, 0]]);
    expect(told).toEqual([]);
  });

  it('judges a trial stopped after its phase said it ended as an end: checked when it ran the limit', () => {
    const own = stubbed([10], true);
    expect(own.verdict.stopped('random', 3, clock(300, 2 * LIMIT))).toBe(OWN);
    expect([own.told, own.again]).toEqual([['random'], []]);
    const over = stubbed([LIMIT], true);
    expect(over.verdict.stopped('random', 3, clock(300, 2 * LIMIT))).toBe(AGAIN);
    expect([over.told, over.again.map((a) => [a.seed, 'over' in a.earlier])]).toEqual([[], [[3, true]]]);
  });

  it('keeps the result of a trial stopped after the slice recorded its end, its strategy told once', () => {
    const { verdict, told, again } = stubbed([]);
    expect(verdict.ended('pos', clock(30, 10, OWN, false))).toBe(OWN);
    expect(verdict.ended('pos', clock(30, 10, OWN, true))).toBe(OWN);
    expect([told, again]).toEqual([['pos'], []]);
  });
});

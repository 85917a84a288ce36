/** The ww stress progress bench (bench/stress_progress.ts): what it reads from the test's
 *  measureStress results and how it adds them up; the figures themselves are benchmarks. */
import { describe, expect, it } from 'vitest';
import { runFigures, runLine, totalLines, totals } from '../../../bench/stress_progress.js';
import type { StressResult } from '../../../src/exec/stress.js';
import { PER_ACTOR } from '../../fixtures/stress/ww_stress.js';
import type { StressProgress } from '../../support/stress_progress.js';

/** A measured trial whose actors made `rounds` rounds. */
const trial = (rounds: readonly number[], wallMs = 600): StressResult => {
  const user = new Array<number>(PER_ACTOR + rounds.length).fill(0);
  rounds.forEach((n, i) => { user[PER_ACTOR + i] = n; });
  return { user, wallMs } as unknown as StressResult;
};

/** One run's result: its trials (rounds per actor) and each actor's CPU over them. */
const run = (trials: readonly (readonly number[])[], cpuMs: readonly number[]): StressProgress => ({
  trials: trials.map((r) => trial(r)),
  takeUpMs: trials.map(() => 0),
  progress: cpuMs.map((c, i) => ({ rounds: trials.reduce((n, r) => n + r[i]!, 0), cpuMs: c })),
});

describe('stress progress bench', () => {
  it('counts an actor without a round in the first trial apart from one without a round at all', () => {
    const f = runFigures(run([[5, 0, 0], [3, 2, 0]], [10, 4, 6]));
    expect(f).toMatchObject({ trials: 2, zeroFirst: 2, zeroAll: 1, starved: 1, rounds: [8, 2, 0] });
    expect(runLine(1, 'inorder wait-die true', f)).toContain('least cpu 4.0 ms');
  });

  it('adds runs up: the least CPU and fewest rounds by actor, NaN CPU left out of both medians', () => {
    const t = totals([runFigures(run([[30, 60]], [13.9, 10])), runFigures(run([[90, 120]], [NaN, 20]))]);
    expect(t).toMatchObject({ actorTrials: 4, zeroFirst: 0, zeroAll: 0, extraTrials: 0, starved: 0 });
    expect(t.leastCpu).toEqual({ rounds: 60, cpuMs: 10 });
    expect(t.fewestRounds).toEqual({ rounds: 30, cpuMs: 13.9 });
    expect(t.medianRounds).toBe(75);
    expect(t.medianPerCpuMs).toBe(6);
    expect(totalLines([])).toHaveLength(2);
  });
});

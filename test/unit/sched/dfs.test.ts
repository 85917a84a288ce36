import { describe, expect, it, vi } from 'vitest';
import { DFS_DEFAULT_DEPTH, DfsScheduler, isPreemption } from '../../../src/sched/dfs.js';

/**
 * One trial of a synthetic program without an executor: actor i runs `lens[i]` steps and is
 * always runnable until done. Returns the schedule as a string of actor digits.
 */
function runTrial(s: DfsScheduler, lens: readonly number[], seed = 0): string {
  s.begin(seed, lens.length);
  const left = [...lens];
  let mask = 0;
  lens.forEach((l, a) => { if (l > 0) mask |= 1 << a; });
  let current = -1;
  let out = '';
  while (mask !== 0) {
    const a = s.pick(mask, current, out.length);
    if (((mask >>> a) & 1) === 0) throw new Error(`picked ${a}, not in runnable ${mask}`);
    out += String(a);
    if (--left[a]! === 0) mask &= ~(1 << a);
    current = a;
  }
  s.end(out.length);
  return out;
}

/** The schedules of one full pass, in the order run; throws past `limit` trials. */
function onePass(s: DfsScheduler, lens: readonly number[], limit = 100_000): string[] {
  const passes = s.passes;
  const all: string[] = [];
  while (s.passes === passes) {
    all.push(runTrial(s, lens));
    if (all.length > limit) throw new Error('pass did not end');
  }
  return all;
}

/** Preemptions of schedule `sched` for a program of `lens` (switching away from a live actor). */
function preemptionsOf(sched: string, lens: readonly number[]): number {
  const left = [...lens];
  let count = 0;
  let cur = -1;
  for (const ch of sched) {
    const a = Number(ch);
    if (cur >= 0 && a !== cur && left[cur]! > 0) count++;
    left[a]!--;
    cur = a;
  }
  return count;
}

/** Every interleaving of a program of `lens` (brute force). */
function interleavings(lens: readonly number[]): string[] {
  if (lens.every((l) => l === 0)) return [''];
  const out: string[] = [];
  lens.forEach((l, a) => {
    if (l === 0) return;
    const rest = lens.map((x, b) => (b === a ? x - 1 : x));
    for (const tail of interleavings(rest)) out.push(String(a) + tail);
  });
  return out;
}

function expectedSet(lens: readonly number[], bound: number): string[] {
  return interleavings(lens).filter((x) => preemptionsOf(x, lens) <= bound).sort();
}

describe('dfs scheduler', () => {
  it('is named dfs:B and rejects bounds outside 0..9 and bad depths', () => {
    expect(new DfsScheduler(2).name).toBe('dfs:2');
    expect(new DfsScheduler(0).maxDepth).toBe(DFS_DEFAULT_DEPTH);
    for (const b of [-1, 10, 1.5, NaN]) expect(() => new DfsScheduler(b)).toThrow(RangeError);
    for (const d of [0, -3, 2.5]) expect(() => new DfsScheduler(1, d)).toThrow(RangeError);
  });

  it('counts a switch away from a runnable current actor as a preemption', () => {
    expect(isPreemption(0b11, 0, 1)).toBe(true);
    expect(isPreemption(0b10, 0, 1)).toBe(false);
    expect(isPreemption(0b11, -1, 1)).toBe(false);
    expect(isPreemption(0b11, 1, 1)).toBe(false);
  });

  it.each([1, 2, 3, 5])('with bound 0 runs exactly the 2 non-preemptive schedules of 2 actors × %i steps', (k) => {
    const s = new DfsScheduler(0);
    const pass = onePass(s, [k, k]);
    expect(pass.sort()).toEqual(['0'.repeat(k) + '1'.repeat(k), '1'.repeat(k) + '0'.repeat(k)]);
    expect(s.exhausted).toBe(true);
    expect(s.lastPassTrials).toBe(2);
  });

  it('with bound 0 runs the 3! actor orders of 3 actors (free choices when an actor ends)', () => {
    const pass = onePass(new DfsScheduler(0), [2, 2, 2]);
    expect(pass.sort()).toEqual(expectedSet([2, 2, 2], 0));
    expect(pass.length).toBe(6);
  });

  it.each([2, 3, 4, 6])('with bound 1 runs the 2k schedules of ≤1 preemption of 2 actors × %i steps', (k) => {
    const pass = onePass(new DfsScheduler(1), [k, k]);
    expect(pass.length).toBe(2 * k);
    expect(pass.sort()).toEqual(expectedSet([k, k], 1));
  });

  it.each([[[3, 3], 2], [[4, 4], 2], [[3, 2, 2], 1], [[2, 2, 2], 2], [[3, 3], 9]] as const)(
    'runs every schedule of %j with ≤ %i preemptions exactly once per pass',
    (lens, bound) => {
      const s = new DfsScheduler(bound);
      const pass = onePass(s, lens);
      expect(new Set(pass).size).toBe(pass.length);
      expect(pass.sort()).toEqual(expectedSet(lens, bound));
      for (const x of pass) expect(preemptionsOf(x, lens)).toBeLessThanOrEqual(bound);
    },
  );

  it('runs 2k + 2(k-1)^2 schedules of 2 actors × k steps with bound 2', () => {
    for (const k of [2, 3, 5]) expect(onePass(new DfsScheduler(2), [k, k]).length).toBe(2 * k + 2 * (k - 1) ** 2);
  });

  it('starts over after a pass, repeating the same enumeration, and ignores the seed', () => {
    const s = new DfsScheduler(1);
    expect(s.exhausted).toBe(false);
    const first = onePass(s, [3, 3]);
    expect(s.passes).toBe(1);
    expect(s.exhausted).toBe(true);
    const passes = s.passes;
    const second: string[] = [];
    for (let seed = 0; s.passes === passes; seed++) second.push(runTrial(s, [3, 3], seed * 7919));
    expect(second).toEqual(first);
    expect(s.passes).toBe(2);
  });

  it('branches only within the first maxDepth decisions', () => {
    // Depth 2, bound 1: the free first choice, then "preempt at step 1 or not"; the rest runs
    // non-preemptively.
    const pass = onePass(new DfsScheduler(1, 2), [5, 5]);
    expect(pass.sort()).toEqual(['0000011111', '0111110000', '1000001111', '1111100000']);
  });

  it('closes a trial whose end a watch stop cut partway when end is called again: no schedule runs twice', () => {
    const ref = onePass(new DfsScheduler(1), [3, 3]);
    // The search for the next branch throws once, as the inline watchdog stops a script inside it.
    const proto = DfsScheduler.prototype as unknown as { alternative(i: number): number };
    const real = proto.alternative;
    let cut = false;
    const spy = vi.spyOn(proto, 'alternative').mockImplementation(function (this: DfsScheduler, i: number) {
      if (cut) { cut = false; throw new Error('watch stop'); }
      return real.call(this, i);
    });
    try {
      const s = new DfsScheduler(1);
      const pass = [runTrial(s, [3, 3])];
      cut = true;
      expect(() => runTrial(s, [3, 3])).toThrow('watch stop');
      s.end(6); // told again, as a slice tells a trial's strategy it ended (slice_verdict.ts SliceVerdict.ended)
      while (s.passes === 0 && pass.length < 100) pass.push(runTrial(s, [3, 3]));
      expect([s.lastPassTrials, new Set(pass).size]).toEqual([ref.length, ref.length - 1]);
    } finally {
      spy.mockRestore();
    }
  });

  it('treats a trial that was begun and never ended as ended (step-bound trials)', () => {
    const s = new DfsScheduler(0);
    s.begin(0, 2);
    expect(s.pick(0b11, -1, 0)).toBe(0);
    expect(s.pick(0b11, 0, 1)).toBe(0);
    // No end(): the next trial still moves on to the other first choice.
    s.begin(0, 2);
    expect(s.pick(0b11, -1, 0)).toBe(1);
    s.end(1);
    expect(s.exhausted).toBe(true);
  });

  it('runs a trial stopped and restarted along the same schedule, then moves on as if it ran once', () => {
    const s = new DfsScheduler(2);
    const first = runTrial(s, [2, 2]);
    s.begin(0, 2);
    const a0 = s.pick(0b11, -1, 0);
    const stoppedAt = [a0, s.pick(0b11, a0, 1)];
    s.restart();
    const again = runTrial(s, [2, 2]);
    expect(again.slice(0, 2)).toBe(stoppedAt.join(''));
    const fresh = new DfsScheduler(2);
    expect([first, again, runTrial(s, [2, 2])]).toEqual([runTrial(fresh, [2, 2]), runTrial(fresh, [2, 2]), runTrial(fresh, [2, 2])]);
  });

  it('survives a program that does not follow its prefix, picking only runnable actors', () => {
    const s = new DfsScheduler(2);
    let flip = 0;
    for (let t = 0; t < 200; t++) {
      // Actor 2 takes part only in every other trial.
      flip ^= 1;
      runTrial(s, flip === 1 ? [3, 3, 2] : [3, 3, 0]);
    }
    expect(s.divergences).toBeGreaterThan(0);
  });
});

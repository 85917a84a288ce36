import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PCT_DEFAULT_K, PCT_K_WORD, PctScheduler } from '../../../src/sched/pct.js';
import type { SchedViews } from '../../../src/sched/scheduler.js';
import { SCHED_PERSIST, SCHED_WORDS } from '../../../src/shm/layout.js';

function views(): SchedViews {
  return { state: new Int32Array(SCHED_WORDS), decisions: new Int32Array(64), pending: () => 0, resvLock: () => 0, jobFence: () => -1 };
}

/** Arena reset: per-trial words are zeroed, persistent ones survive. */
function reset(v: SchedViews): void {
  v.state.fill(0, 0, SCHED_PERSIST);
}

/**
 * One trial of a synthetic program without an executor: actor i runs `lens[i]` steps and is
 * always runnable until done. Returns, per actor, the global position of each of its steps.
 */
function runTrial(
  s: PctScheduler, v: SchedViews, seed: number, lens: readonly number[],
): number[][] {
  reset(v);
  const n = lens.length;
  s.begin(seed, n);
  const pos = lens.map(() => [] as number[]);
  let mask = (1 << n) - 1;
  let current = -1;
  let step = 0;
  while (mask !== 0) {
    const a = s.pick(mask, current, step);
    if (((mask >>> a) & 1) === 0) throw new Error(`picked ${a}, not in runnable ${mask}`);
    const mine = pos[a]!;
    mine.push(step++);
    if (mine.length === lens[a]) mask &= ~(1 << a);
    current = a;
  }
  s.end(step);
  return pos;
}

/**
 * Steps at which the scheduler switched away from an actor that was still runnable, with all
 * `n` actors runnable for `steps` steps. (A change point at the first step only reorders the
 * initial priorities: it is not a preemption.)
 */
function preemptions(s: PctScheduler, seed: number, n: number, steps: number): number[] {
  s.begin(seed, n);
  const all = (1 << n) - 1;
  let current = -1;
  const at: number[] = [];
  for (let i = 0; i < steps; i++) {
    const a = s.pick(all, current, i);
    if (current !== -1 && a !== current) at.push(i);
    current = a;
  }
  return at;
}

describe('pct scheduler', () => {
  it('is named pct:d and rejects depths outside 1..10', () => {
    expect(new PctScheduler(views(), 3).name).toBe('pct:3');
    for (const d of [0, 11, 1.5, NaN]) {
      expect(() => new PctScheduler(views(), d)).toThrow(RangeError);
    }
  });

  it('always picks a runnable actor', () => {
    const masks = fc.array(fc.integer({ min: 1, max: 0xff }), { minLength: 1, maxLength: 100 });
    fc.assert(fc.property(fc.integer({ min: 1, max: 10 }), fc.nat(), masks, (d, seed, ms) => {
      const s = new PctScheduler(views(), d);
      s.begin(seed, 8);
      ms.forEach((m, i) => expect((m >>> s.pick(m, -1, i)) & 1).toBe(1));
    }));
  });

  it('preempts d-1 times (d-2 if a change point is the first step) when all stay runnable', () => {
    const gen = [fc.integer({ min: 1, max: 10 }), fc.integer({ min: 2, max: 8 }),
      fc.integer({ min: PCT_DEFAULT_K, max: 200 }), fc.nat()] as const;
    fc.assert(fc.property(...gen, (d, n, steps, seed) => {
      const count = preemptions(new PctScheduler(views(), d), seed, n, steps).length;
      expect(count).toBeLessThanOrEqual(d - 1);
      expect(count).toBeGreaterThanOrEqual(Math.max(0, d - 2));
    }));
  });

  it('uses the default k before anything is learned', () => {
    const s = new PctScheduler(views(), 10);
    expect(s.learnedK()).toBe(PCT_DEFAULT_K);
    let nine = 0;
    for (let seed = 0; seed < 100; seed++) {
      // All 9 change points fall within counted steps 1..PCT_DEFAULT_K (step indices 0..15).
      const at = preemptions(s, seed, 4, 100);
      expect(at.length).toBeGreaterThanOrEqual(8);
      expect(Math.max(...at)).toBeLessThan(PCT_DEFAULT_K);
      if (at.length === 9) nine++;
    }
    // No change point sits at step 1 with probability 7/16.
    expect(nine).toBeGreaterThan(20);
    expect(nine).toBeLessThan(70);
  });

  it('counts only steps with two or more runnable actors', () => {
    const v = views();
    const s = new PctScheduler(v, 2);
    s.begin(1, 3);
    const masks = [0b111, 0b001, 0b010, 0b110, 0b100, 0b101, 0b100];
    masks.forEach((m, i) => s.pick(m, -1, i));
    s.end(masks.length);
    expect(v.state[PCT_K_WORD]).toBe(3);
    expect(s.learnedK()).toBe(3);
  });

  it('learns k as the most counted steps seen in earlier trials', () => {
    const v = views();
    const s = new PctScheduler(v, 3);
    expect(runTrial(s, v, 0, [4, 1]).length).toBe(2); // counted steps ≤ 4
    const first = s.learnedK();
    expect(first).toBeGreaterThanOrEqual(1);
    expect(first).toBeLessThanOrEqual(4);
    runTrial(s, v, 1, [10, 10]);
    const second = s.learnedK();
    expect(second).toBeGreaterThan(first);
    runTrial(s, v, 2, [2, 1]);
    expect(s.learnedK()).toBe(second);
  });

  it('keeps its state in the views, not the object', () => {
    const v = views();
    const a = new PctScheduler(v, 4);
    const b = new PctScheduler(v, 4);
    const ref = new PctScheduler(views(), 4);
    a.begin(77, 5);
    ref.begin(77, 5);
    for (let i = 0; i < 60; i++) {
      const m = (i * 7) % 31 + 1;
      expect((i % 3 === 0 ? a : b).pick(m, -1, i)).toBe(ref.pick(m, -1, i));
    }
  });

  it('gives each actor the top priority equally often', () => {
    const s = new PctScheduler(views(), 1);
    const counts = [0, 0, 0, 0];
    for (let seed = 0; seed < 8000; seed++) {
      s.begin(seed, 4);
      counts[s.pick(0b1111, -1, 0)]!++;
    }
    for (const c of counts) expect(Math.abs(c - 2000)).toBeLessThan(150);
  });

  /** Hit rate over 10,000 trials of `bug` on a program of `lens`, and the learned k. */
  function hitRate(d: number, lens: readonly number[], bug: (pos: number[][]) => boolean) {
    const v = views();
    const s = new PctScheduler(v, d);
    let hits = 0;
    for (let seed = 0; seed < 10_000; seed++) if (bug(runTrial(s, v, seed, lens))) hits++;
    return { rate: hits / 10_000, k: s.learnedK() };
  }

  // Atomicity violation: B's step 1 lands between A's steps 2 and 3 (A running first and
  // uninterrupted — the natural order — never shows it). Depth 2: a2 < b1 < a3.
  const between = (pos: number[][]): boolean =>
    pos[0]![2]! < pos[1]![1]! && pos[1]![1]! < pos[0]![3]!;

  // Lost update: A and B each read a counter at step 2 and write it back at step 3; an update
  // is lost when the read–write windows overlap. Depth 2: a_read < b_write, b_read < a_write.
  const lostUpdate = (pos: number[][]): boolean =>
    pos[0]![2]! < pos[1]![3]! && pos[1]![2]! < pos[0]![3]!;

  it('finds a depth-2 atomicity violation among 3 actors at least 1/(n·k) of the time', () => {
    const { rate, k } = hitRate(2, [6, 6, 6], between);
    expect(rate).toBeGreaterThanOrEqual(1 / (3 * k));
  });

  it('finds a depth-2 lost update between 2 actors at least 1/(n·k) of the time', () => {
    const { rate, k } = hitRate(2, [6, 6], lostUpdate);
    expect(rate).toBeGreaterThanOrEqual(1 / (2 * k));
  });

  it('never finds a depth-2 bug with depth 1 (no preemption)', () => {
    expect(hitRate(1, [6, 6, 6], between).rate).toBe(0);
    expect(hitRate(1, [6, 6], lostUpdate).rate).toBe(0);
  });
});

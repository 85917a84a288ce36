import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { nthSetBit, popcount32, RandomScheduler } from '../../../src/sched/random.js';
import type { SchedViews } from '../../../src/sched/scheduler.js';
import { SCHED_WORDS } from '../../../src/shm/layout.js';

function views(): SchedViews {
  return { state: new Int32Array(SCHED_WORDS), decisions: new Int32Array(64), pending: () => 0, resvLock: () => 0, jobFence: () => -1 };
}

const mask31 = fc.integer({ min: 1, max: 0x7fffffff });
const masks = fc.array(mask31, { minLength: 1, maxLength: 50 });

describe('random scheduler', () => {
  it('is named random', () => {
    expect(new RandomScheduler(views()).name).toBe('random');
  });

  it('counts and indexes set bits', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0x7fffffff }), (m) => {
      const bits: number[] = [];
      for (let i = 0; i < 31; i++) if ((m >>> i) & 1) bits.push(i);
      expect(popcount32(m)).toBe(bits.length);
      bits.forEach((b, r) => expect(nthSetBit(m, r)).toBe(b));
    }));
  });

  it('always picks a runnable actor', () => {
    fc.assert(fc.property(fc.nat(), masks, (seed, ms) => {
      const s = new RandomScheduler(views());
      s.begin(seed, 31);
      ms.forEach((m, step) => {
        const a = s.pick(m, -1, step);
        expect((m >>> a) & 1).toBe(1);
      });
    }));
  });

  it('repeats the same picks for the same seed', () => {
    fc.assert(fc.property(fc.nat(), masks, (seed, ms) => {
      const run = (): number[] => {
        const s = new RandomScheduler(views());
        s.begin(seed, 31);
        return ms.map((m, i) => s.pick(m, -1, i));
      };
      expect(run()).toEqual(run());
    }));
  });

  it('spreads picks uniformly over the runnable actors', () => {
    const s = new RandomScheduler(views());
    s.begin(123, 31);
    const mask = (1 << 0) | (1 << 3) | (1 << 4) | (1 << 17) | (1 << 30);
    const counts = new Map<number, number>();
    const picks = 50_000;
    for (let i = 0; i < picks; i++) {
      const a = s.pick(mask, -1, i);
      counts.set(a, (counts.get(a) ?? 0) + 1);
    }
    expect([...counts.keys()].sort((x, y) => x - y)).toEqual([0, 3, 4, 17, 30]);
    const expected = picks / 5;
    let chi2 = 0;
    for (const c of counts.values()) chi2 += (c - expected) ** 2 / expected;
    expect(chi2).toBeLessThan(18.47); // 4 degrees of freedom, p = 0.001
  });

  it('keeps its state in the views, not the object', () => {
    const v = views();
    const a = new RandomScheduler(v);
    const b = new RandomScheduler(v);
    const ref = new RandomScheduler(views());
    a.begin(5, 8);
    ref.begin(5, 8);
    for (let i = 0; i < 100; i++) {
      expect((i % 2 === 0 ? a : b).pick(0xff, -1, i)).toBe(ref.pick(0xff, -1, i));
    }
  });
});

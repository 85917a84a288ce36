import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { opsRace, PosScheduler, POS_STATE_END, type RaceViews } from '../../../src/sched/pos.js';
import type { SchedViews } from '../../../src/sched/scheduler.js';
import { packOp, SCHED_PERSIST, SCHED_WORDS } from '../../../src/shm/layout.js';
import {
  OP_DMA, OP_DMA_DOMAIN, OP_DMA_SPECULATIVE, OP_FENCE_BLOCKED, OP_FENCE_WAIT, OP_LOCK, OP_LOCK_WAIT, OP_RESV_READ, OP_RESV_WAIT, OP_SLEEP, OP_START, OP_TRYLOCK,
} from '../../../src/trace/ops.js';

/** The fixtures' reservation objects: resv 1's lock is mutex 5, resv 2's mutex 6. */
const RESV_LOCKS: Readonly<Record<number, number>> = { 1: 5, 2: 6 };
const resvLock = (resv: number): number => RESV_LOCKS[resv] ?? 0x7fffff;
/** The fixtures' DMA jobs: job 3's completion fence is fence 8, job 4's fence 9; others have none. */
const JOB_FENCES: Readonly<Record<number, number>> = { 3: 8, 4: 9 };
const jobFence = (job: number): number => JOB_FENCES[job] ?? -1;
const race: RaceViews = { resvLock, jobFence };

/** Views whose pending ops are the entries of `ops` (the test may change them between picks). */
function views(ops: number[] = []): SchedViews {
  return { state: new Int32Array(SCHED_WORDS), decisions: new Int32Array(64), pending: (a) => ops[a] ?? 0, resvLock, jobFence };
}

function priorities(s: PosScheduler, n: number): number[] {
  return Array.from({ length: n }, (_, a) => s.priority(a));
}

/**
 * For seeds 0..seeds-1: the first pick over `mask` with actors pending `ops` redraws exactly the
 * priorities `expected[picked]` (a redraw equal to the old 31-bit priority has probability
 * 2^-31). Returns the actors picked, sorted.
 */
function firstPickRedraws(ops: number[], mask: number, seeds: number, expected: Record<number, number[]>): number[] {
  const n = ops.length;
  const s = new PosScheduler(views(ops));
  const seen = new Set<number>();
  for (let seed = 0; seed < seeds; seed++) {
    s.begin(seed, n);
    const before = priorities(s, n);
    const x = s.pick(mask, -1, 0);
    seen.add(x);
    const after = priorities(s, n);
    expect(before.map((_, a) => a).filter((a) => after[a] !== before[a]), `seed ${seed}`).toEqual(expected[x]);
  }
  return [...seen].sort();
}

/** `steps` picks over the fixed masks `ms` (cycled); returns the actors picked. */
function picks(s: PosScheduler, seed: number, n: number, ms: readonly number[], steps: number): number[] {
  s.begin(seed, n);
  const out: number[] = [];
  for (let i = 0; i < steps; i++) out.push(s.pick(ms[i % ms.length]!, out.at(-1) ?? -1, i));
  return out;
}

describe('pos scheduler', () => {
  it('is named pos and keeps its per-trial state below SCHED_PERSIST', () => {
    expect(new PosScheduler(views()).name).toBe('pos');
    expect(POS_STATE_END).toBeLessThanOrEqual(SCHED_PERSIST);
  });

  it('always picks a runnable actor', () => {
    const masks = fc.array(fc.integer({ min: 1, max: 0xff }), { minLength: 1, maxLength: 100 });
    const objs = fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 8, maxLength: 8 });
    fc.assert(fc.property(fc.nat(), masks, objs, (seed, ms, os) => {
      const s = new PosScheduler(views(os.map((o) => packOp(OP_LOCK, o))));
      s.begin(seed, 8);
      ms.forEach((m, i) => expect((m >>> s.pick(m, -1, i)) & 1).toBe(1));
    }));
  });

  it('picks the runnable actor with the highest priority', () => {
    const s = new PosScheduler(views([packOp(OP_LOCK, 1), packOp(OP_LOCK, 2), packOp(OP_LOCK, 3)]));
    for (let seed = 0; seed < 50; seed++) {
      s.begin(seed, 3);
      const p = priorities(s, 3);
      const want = p[1]! >= p[2]! ? 1 : 2;
      expect(s.pick(0b110, -1, 0)).toBe(want);
    }
  });

  it('is a pure function of the seed and the pending ops', () => {
    const ops = [packOp(OP_LOCK, 1), packOp(OP_LOCK, 1), packOp(OP_LOCK, 2), packOp(OP_FENCE_WAIT, 1)];
    const ms = [0b1111, 0b0111, 0b1011, 0b1101, 0b1110];
    for (let seed = 0; seed < 20; seed++) {
      const a = picks(new PosScheduler(views(ops)), seed, 4, ms, 200);
      expect(picks(new PosScheduler(views(ops)), seed, 4, ms, 200)).toEqual(a);
    }
    const run = (seed: number): string => picks(new PosScheduler(views(ops)), seed, 4, ms, 200).join('');
    const runs = new Set([0, 1, 2, 3, 4, 5].map(run));
    expect(runs.size).toBeGreaterThan(1);
  });

  it('redraws the picked actor and the actors racing with it, and no one else', () => {
    // Actors 0, 1 and 3 are about to touch mutex 5 (1 by trylock, 3 blocked on it); 2 touches
    // mutex 6 and 4 fence 5 (same id, another kind of object). Runnable: 0, 2, 4.
    const ops = [
      packOp(OP_LOCK, 5), packOp(OP_TRYLOCK, 5), packOp(OP_LOCK, 6), packOp(OP_LOCK_WAIT, 5), packOp(OP_FENCE_WAIT, 5),
    ];
    const expected: Record<number, number[]> = { 0: [0, 1, 3], 2: [2], 4: [4] };
    expect(firstPickRedraws(ops, 0b10101, 100, expected)).toEqual([0, 2, 4]);
  });

  /** Of the seeds where actor priorities start 0 > 1 > 2: how many, and how often 2 runs second. */
  function overtakes(opOfActor1: number): { trials: number; rate: number } {
    const s = new PosScheduler(views([packOp(OP_LOCK, 5), opOfActor1, packOp(OP_LOCK, 6)]));
    let trials = 0;
    let second2 = 0;
    for (let seed = 0; seed < 3000; seed++) {
      s.begin(seed, 3);
      const p = priorities(s, 3);
      if (!(p[0]! > p[1]! && p[1]! > p[2]!)) continue;
      trials++;
      expect(s.pick(0b111, -1, 0)).toBe(0);
      if (s.pick(0b110, 0, 1) === 2) second2++;
    }
    return { trials, rate: second2 / trials };
  }

  it('reorders an actor racing with the one that ran, and only such an actor', () => {
    // Actor 0 runs first and touches mutex 5. If actor 1 also waits for mutex 5 its priority is
    // redrawn, and it falls below actor 2 with probability E[min of three uniforms] = 1/4.
    const racing = overtakes(packOp(OP_LOCK_WAIT, 5));
    expect(racing.trials).toBeGreaterThan(300);
    expect(racing.rate).toBeGreaterThan(0.15);
    expect(racing.rate).toBeLessThan(0.35);
    // On another mutex, actor 1 keeps its lead over actor 2.
    expect(overtakes(packOp(OP_LOCK, 7)).rate).toBe(0);
  });

  it('treats only same-kind, same-object ops with a shared object as racing', () => {
    const races = (a: number, b: number): boolean => opsRace(a, b, race);
    expect(races(packOp(OP_LOCK, 5), packOp(OP_LOCK_WAIT, 5))).toBe(true);
    expect(races(packOp(OP_LOCK, 5), packOp(OP_LOCK, 6))).toBe(false);
    expect(races(packOp(OP_LOCK, 5), packOp(OP_FENCE_WAIT, 5))).toBe(false);
    expect(races(packOp(OP_DMA, 9), packOp(OP_DMA, 9))).toBe(true);
    expect(races(packOp(OP_START, 0), packOp(OP_START, 0))).toBe(false);
    expect(races(packOp(OP_SLEEP, 0), packOp(OP_SLEEP, 0))).toBe(false);
  });

  it.each([
    ['resv-read', 'lock', OP_RESV_READ, OP_LOCK],
    ['resv-read', 'lock-wait', OP_RESV_READ, OP_LOCK_WAIT],
    ['resv-read', 'trylock', OP_RESV_READ, OP_TRYLOCK],
    ['resv-wait', 'lock', OP_RESV_WAIT, OP_LOCK],
    ['resv-read', 'resv-wait', OP_RESV_READ, OP_RESV_WAIT],
  ] as const)('a %s on a dma_resv races a %s on that resv (its ww_mutex for a lock op), not on another resv', (_r, _w, reader, writer) => {
    const onResv = (op: number, resv: number): number => packOp(op, op === OP_RESV_READ || op === OP_RESV_WAIT ? resv : RESV_LOCKS[resv]!);
    for (const [a, b] of [[reader, writer], [writer, reader]] as const) {
      expect(opsRace(onResv(a, 1), onResv(b, 1), race)).toBe(true);
      expect(opsRace(onResv(a, 1), onResv(b, 2), race)).toBe(false);
    }
    // The resv's id names another object as a mutex: resv 1 is not mutex 1.
    expect(opsRace(packOp(reader, 1), packOp(OP_LOCK, 1), race)).toBe(false);
  });

  it('redraws a dma_resv writer waiting for the lock when a lockless reader of that resv runs, and the reader when the writer runs', () => {
    // Actor 0 reads resv 1 (lock: mutex 5), actor 1 is about to lock mutex 5, actor 2 mutex 6
    // (resv 2's lock), actor 3 reads resv 2.
    const ops = [packOp(OP_RESV_READ, 1), packOp(OP_LOCK, 5), packOp(OP_LOCK, 6), packOp(OP_RESV_READ, 2)];
    const expected: Record<number, number[]> = { 0: [0, 1], 1: [0, 1], 2: [2, 3], 3: [2, 3] };
    expect(firstPickRedraws(ops, 0b1111, 200, expected)).toEqual([0, 1, 2, 3]);
  });

  it.each([
    ['dma', 'fence-wait', OP_DMA, OP_FENCE_WAIT],
    ['dma', 'fence-blocked', OP_DMA, OP_FENCE_BLOCKED],
    ['dma-speculative', 'fence-wait', OP_DMA_SPECULATIVE, OP_FENCE_WAIT],
  ] as const)('a %s burst of a DMA job races a %s on that job\'s completion fence, not on another fence', (_d, _w, dma, wait) => {
    for (const [a, b] of [[packOp(dma, 3), packOp(wait, 8)], [packOp(wait, 8), packOp(dma, 3)]] as const) {
      expect(opsRace(a, b, race)).toBe(true);
    }
    expect(opsRace(packOp(dma, 3), packOp(wait, 9), race)).toBe(false);
    // The job's id names another object as a fence: job 3 is not fence 3.
    expect(opsRace(packOp(dma, 3), packOp(wait, 3), race)).toBe(false);
    // A job with no fence is an object of its own: its bursts race each other, no fence wait.
    expect(opsRace(packOp(dma, 9), packOp(wait, 9), race)).toBe(false);
    expect(opsRace(packOp(dma, 9), packOp(OP_DMA, 9), race)).toBe(true);
    // Bursts of two jobs with different fences do not race.
    expect(opsRace(packOp(dma, 3), packOp(OP_DMA, 4), race)).toBe(false);
  });

  it('treats a device\'s access through an IOMMU domain as no DMA job: it races only accesses through that domain', () => {
    const looked: number[] = [];
    const v: RaceViews = { resvLock, jobFence: (job) => { looked.push(job); return jobFence(job); } };
    // Domain 3 is no job 3 (whose fence is 8): no race with job 3's fence or bursts.
    expect(opsRace(packOp(OP_DMA_DOMAIN, 3), packOp(OP_FENCE_WAIT, 8), v)).toBe(false);
    expect(opsRace(packOp(OP_DMA_DOMAIN, 3), packOp(OP_DMA, 3), v)).toBe(false);
    expect(opsRace(packOp(OP_DMA_DOMAIN, 3), packOp(OP_DMA_SPECULATIVE, 3), v)).toBe(false);
    expect(opsRace(packOp(OP_DMA_DOMAIN, 3), packOp(OP_DMA_DOMAIN, 3), v)).toBe(true);
    expect(opsRace(packOp(OP_DMA_DOMAIN, 3), packOp(OP_DMA_DOMAIN, 4), v)).toBe(false);
    expect(looked.filter((j) => j === 3).length).toBe(2); // the job ops' lookups only
    looked.length = 0;
    opsRace(packOp(OP_DMA_DOMAIN, 3), packOp(OP_DMA_DOMAIN, 3), v);
    expect(looked).toEqual([]);
  });

  it('redraws the waiter on a DMA job\'s fence when the engine\'s burst of that job runs, and the engine when the waiter runs', () => {
    // Actor 0 is the engine before a burst of job 3 (fence 8); actor 1 waits on fence 8, actor 2
    // on fence 9 (job 4's), actor 3 is blocked on fence 8; actor 4 is an engine before a burst of
    // job 5, which has no fence. Runnable: 0, 1, 2, 4.
    const ops = [
      packOp(OP_DMA, 3), packOp(OP_FENCE_WAIT, 8), packOp(OP_FENCE_WAIT, 9), packOp(OP_FENCE_BLOCKED, 8), packOp(OP_DMA, 5),
    ];
    const expected: Record<number, number[]> = { 0: [0, 1, 3], 1: [0, 1, 3], 2: [2], 4: [4] };
    expect(firstPickRedraws(ops, 0b10111, 300, expected)).toEqual([0, 1, 2, 4]);
  });

  it('keeps its state in the views, not the object', () => {
    const ops = [packOp(OP_LOCK, 1), packOp(OP_LOCK, 1), packOp(OP_LOCK, 2), packOp(OP_LOCK, 2), packOp(OP_LOCK, 1)];
    const v = views(ops);
    const a = new PosScheduler(v);
    const b = new PosScheduler(v);
    const ref = new PosScheduler(views(ops));
    a.begin(77, 5);
    ref.begin(77, 5);
    for (let i = 0; i < 60; i++) {
      const m = (i * 7) % 31 + 1;
      expect((i % 3 === 0 ? a : b).pick(m, -1, i)).toBe(ref.pick(m, -1, i));
    }
  });

  it('gives each actor the first turn equally often', () => {
    const s = new PosScheduler(views());
    const counts = [0, 0, 0, 0];
    for (let seed = 0; seed < 8000; seed++) {
      s.begin(seed, 4);
      counts[s.pick(0b1111, -1, 0)]!++;
    }
    for (const c of counts) expect(Math.abs(c - 2000)).toBeLessThan(150);
  });
});

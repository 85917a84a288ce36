// The unlocked dma_resv iterator (R4 for_each_unlocked, kernel-semantics §1.6, §7.1): the walk
// returns unsignaled fences with a matching usage, each referenced, with is_restarted on the
// first after a (re)start; a reallocation between two calls restarts it at slot 0 of the new
// list; an append to the list it walks, after its num_fences snapshot, is not seen; a released
// fence is refused without a finding (the walk restarts on it: spin_lockup.test.ts); a first or
// next call on a finished object (dma_resv_fini) is a use after fini titled after the cursor's
// reader and returns no fence, dropping the cursor's reference.
import { describe, expect, it } from 'vitest';
import { Arena } from '../../../src/shm/arena.js';
import { C_NFINDINGS, G_ARG, G_CODE } from '../../../src/shm/layout.js';
import { kernelBoot } from '../../../src/kernel/boot.js';
import { Task } from '../../../src/kernel/task.js';
import {
  DMA_RESV_USAGE_BOOKKEEP, DMA_RESV_USAGE_KERNEL, DMA_RESV_USAGE_READ, dma_fence_context_alloc, dma_fence_get_rcu,
  dma_fence_init, dma_fence_put, dma_fence_refcount, dma_fence_signal, dma_resv_add_fence, dma_resv_get_fences,
  dma_resv_fini, dma_resv_init, dma_resv_lock, dma_resv_reserve_fences, dma_resv_test_signaled, dma_resv_unlock, type DmaResvUsage,
  type Fence, type Resv,
} from '../../../src/kernel/index.js';
import {
  dma_resv_iter_begin, dma_resv_iter_end, dma_resv_iter_first_preemptible, dma_resv_iter_first_unlocked,
  dma_resv_iter_next_preemptible, dma_resv_iter_next_unlocked, type DmaResvIter,
} from '../../../src/kernel/dma_resv_iter.js';
import { siteName, warnSpec, warnTitle } from '../../../src/kernel/warn.js';
import type { KGen } from '../../../src/kernel/types.js';

function boot(): Task {
  const a = Arena.create();
  a.resetTrial({ actors: 1, mode: 0, stepLimit: 100, waitPolicy: 0, replayLen: 0 });
  const t = new Task(a, 0, 'reader');
  kernelBoot(t);
  return t;
}

/** `n` fresh fences of distinct contexts. */
function fences(t: Task, n: number): Fence[] {
  const c = dma_fence_context_alloc(t, n);
  return Array.from({ length: n }, (_, i) => dma_fence_init(t, c + i, 1));
}

/** Lock `obj`, reserve `reserve` slots (a reallocation after any unlock), add `add`; unlock unless `keep`. */
function hold(t: Task, obj: Resv, reserve: number, add: readonly (readonly [Fence, DmaResvUsage])[], keep = false): void {
  const g = dma_resv_lock(t, obj, null);
  while (g.next().done !== true);
  dma_resv_reserve_fences(t, obj, reserve);
  for (const [f, u] of add) dma_resv_add_fence(t, obj, f, u);
  if (!keep) dma_resv_unlock(t, obj);
}

/** [code, title] of every finding recorded so far. */
function findings(t: Task): [string, string][] {
  return Array.from({ length: t.arena.ctl(C_NFINDINGS) }, (_, i) => {
    const g = t.arena.finding(i);
    const spec = warnSpec(t.i32[g + G_CODE]!)!;
    return [spec.name, warnTitle(spec, siteName(t.i32[g + G_ARG]!))];
  });
}

/** Run a preemptible call to its end, counting the scheduling points it yielded at. */
function drive<T>(g: KGen<T>): [T, number] {
  let yields = 0;
  for (let s = g.next(); ; s = g.next(), yields++) if (s.done === true) return [s.value, yields];
}

/** The rest of a walk: [fence, is_restarted] for `first` and every next fence. */
function rest(t: Task, c: DmaResvIter, first: Fence | undefined): [Fence, boolean][] {
  const out: [Fence, boolean][] = [];
  for (let f = first; f !== undefined; f = dma_resv_iter_next_unlocked(t, c)) out.push([f, c.restarted]);
  return out;
}

describe('dma_resv_iter unlocked', () => {
  it('finds no fence on an object that never had a list', () => {
    const t = boot();
    const obj = dma_resv_init(t);
    const c = dma_resv_iter_begin(t, obj, DMA_RESV_USAGE_BOOKKEEP, 'test');
    expect([dma_resv_iter_first_unlocked(t, c), c.restarted]).toEqual([undefined, true]);
    expect([dma_resv_get_fences(t, obj, DMA_RESV_USAGE_BOOKKEEP), dma_resv_test_signaled(t, obj, DMA_RESV_USAGE_BOOKKEEP)]).toEqual([[], true]);
  });

  it('cannot reference a fence whose last reference is gone (dma_fence_get_rcu), and reports nothing', () => {
    const t = boot();
    const [f] = fences(t, 1);
    dma_fence_put(t, f!);
    expect(dma_fence_get_rcu(t, f!)).toBe(false);
    expect(t.arena.ctl(C_NFINDINGS)).toBe(0);
  });

  it('returns the unsignaled fences with usage <= its own, each referenced while current, restarted on the first only', () => {
    const t = boot();
    const obj = dma_resv_init(t);
    const [k, s, r, b] = fences(t, 4);
    hold(t, obj, 4, [[k!, DMA_RESV_USAGE_KERNEL], [s!, DMA_RESV_USAGE_KERNEL], [r!, DMA_RESV_USAGE_READ], [b!, DMA_RESV_USAGE_BOOKKEEP]]);
    dma_fence_signal(t, s!);
    const c = dma_resv_iter_begin(t, obj, DMA_RESV_USAGE_READ, 'test');
    const f = dma_resv_iter_first_unlocked(t, c);
    expect([f, c.restarted, dma_fence_refcount(t, k!)]).toEqual([k, true, 3]);
    expect(rest(t, c, dma_resv_iter_next_unlocked(t, c))).toEqual([[r, false]]);
    dma_resv_iter_end(t, c);
    expect([k, r].map((x) => dma_fence_refcount(t, x!))).toEqual([2, 2]);
  });

  it('restarts at slot 0 of the new list, is_restarted set, when a reallocation published one between two calls', () => {
    const t = boot();
    const obj = dma_resv_init(t);
    const [f1, f2, f3] = fences(t, 3);
    hold(t, obj, 2, [[f1!, DMA_RESV_USAGE_KERNEL], [f2!, DMA_RESV_USAGE_KERNEL]]);
    const c = dma_resv_iter_begin(t, obj, DMA_RESV_USAGE_KERNEL, 'test');
    expect(dma_resv_iter_first_unlocked(t, c)).toBe(f1);
    hold(t, obj, 1, [[f3!, DMA_RESV_USAGE_KERNEL]]);
    expect(rest(t, c, dma_resv_iter_next_unlocked(t, c))).toEqual([[f1, true], [f2, false], [f3, false]]);
  });

  it('does not see a fence appended to the list it walks after its (re)start', () => {
    const t = boot();
    const obj = dma_resv_init(t);
    const [f1, f2] = fences(t, 2);
    hold(t, obj, 2, [[f1!, DMA_RESV_USAGE_KERNEL]], true);
    const c = dma_resv_iter_begin(t, obj, DMA_RESV_USAGE_KERNEL, 'test');
    expect(dma_resv_iter_first_unlocked(t, c)).toBe(f1);
    dma_resv_add_fence(t, obj, f2!, DMA_RESV_USAGE_KERNEL);
    dma_resv_unlock(t, obj);
    expect(dma_resv_iter_next_unlocked(t, c)).toBeUndefined();
    expect(rest(t, c, dma_resv_iter_first_unlocked(t, c))).toEqual([[f1, true], [f2, false]]);
  });

  it('reports a first or next call on a finished object as a use after fini titled after the reader, and returns no fence', () => {
    const t = boot();
    const obj = dma_resv_init(t);
    const [f1, f2] = fences(t, 2);
    hold(t, obj, 2, [[f1!, DMA_RESV_USAGE_KERNEL], [f2!, DMA_RESV_USAGE_KERNEL]]);
    const c = dma_resv_iter_begin(t, obj, DMA_RESV_USAGE_KERNEL, 'my_reader');
    expect(dma_resv_iter_first_unlocked(t, c)).toBe(f1);
    expect(findings(t)).toEqual([]);
    dma_resv_fini(t, obj);
    expect([dma_resv_iter_next_unlocked(t, c), c.fence, dma_fence_refcount(t, f1!)]).toEqual([undefined, undefined, 1]);
    expect(findings(t)).toEqual([['RESV_USE_AFTER_FINI', 'use-after-free in my_reader']]);
    const p = dma_resv_iter_begin(t, obj, DMA_RESV_USAGE_KERNEL, 'my_sleeper');
    expect(drive(dma_resv_iter_first_preemptible(t, p))).toEqual([undefined, 0]);
    expect(drive(dma_resv_iter_next_preemptible(t, p))).toEqual([undefined, 0]);
    expect(findings(t).map(([, title]) => title)).toEqual(['use-after-free in my_reader', 'use-after-free in my_sleeper']);
  });

  it('walks a live object without a finding, the preemptible calls yielding between slot reads', () => {
    const t = boot();
    const obj = dma_resv_init(t);
    const [f1, f2, f3] = fences(t, 3);
    hold(t, obj, 3, [[f1!, DMA_RESV_USAGE_KERNEL], [f2!, DMA_RESV_USAGE_KERNEL], [f3!, DMA_RESV_USAGE_KERNEL]]);
    dma_fence_signal(t, f1!);
    const c = dma_resv_iter_begin(t, obj, DMA_RESV_USAGE_KERNEL, 'my_sleeper');
    expect(drive(dma_resv_iter_first_preemptible(t, c))).toEqual([f2, 1]);
    expect(drive(dma_resv_iter_next_preemptible(t, c))).toEqual([f3, 0]);
    expect(drive(dma_resv_iter_next_preemptible(t, c))).toEqual([undefined, 0]);
    dma_resv_iter_end(t, c);
    expect(findings(t)).toEqual([]);
  });
});

// dma_resv_get_fences' array (drivers/dma-buf/dma-resv.c): krealloc_array(GFP_KERNEL) at the first
// fence of each (re)started walk, so a walk that finds a fence is a GFP_KERNEL allocation —
// might_alloc: SLEEP_IN_ATOMIC titled after might_alloc under a spinlock, in hardirq context or
// with interrupts off, for get_fences and its caller dma_resv_get_singleton —, while a walk that
// finds none (no fence, or only signaled ones) allocates nothing, in any context. A singleton of
// two or more fences allocates once more: the dma_fence_array (dma-fence-array.c
// dma_fence_array_alloc, kzalloc GFP_KERNEL), reported as a repeat of get_fences' record.
import { describe, expect, it } from 'vitest';
import {
  DMA_RESV_USAGE_READ, DMA_RESV_USAGE_WRITE, NULL_FENCE, dma_fence_array_create, dma_fence_context_alloc,
  dma_fence_init, dma_fence_put,
  dma_fence_signal, dma_resv_add_fence, dma_resv_get_fences, dma_resv_get_singleton, dma_resv_init, dma_resv_lock,
  dma_resv_reserve_fences, dma_resv_unlock, hardirq_enter, hardirq_exit, local_irq_restore, local_irq_save, spin_lock,
  spin_unlock, type Fence, type Resv, type Task,
} from '../../fixtures/kernel.js';
import { spinlockAlloc } from '../../fixtures/spinlock.js';
import { drive, fenceTask, findingCodes, taskFindingTitles } from '../../support/fence_task.js';
import { collectResult } from '../../../src/exec/collect_result.js';

const SLEEP_IN_ALLOC = 'SLEEP_IN_ATOMIC: assertion in might_alloc (sleeping function called from invalid context)';

/** A resv holding `n` new unsignaled fences (its references only) with WRITE usage. */
function resvOf(t: Task, n: number): { r: Resv; fences: Fence[] } {
  const r = dma_resv_init(t);
  const ctx = dma_fence_context_alloc(t, Math.max(n, 1));
  const fences = Array.from({ length: n }, (_, i) => dma_fence_init(t, ctx + i, 1));
  drive(dma_resv_lock(t, r, null));
  expect(dma_resv_reserve_fences(t, r, Math.max(n, 1))).toBe(0);
  fences.forEach((f) => { dma_resv_add_fence(t, r, f, DMA_RESV_USAGE_WRITE); dma_fence_put(t, f); });
  dma_resv_unlock(t, r);
  return { r, fences };
}

/** get_fences of `r` (READ), its references put: how many it returned. */
function getFences(t: Task, r: Resv): number {
  const got = dma_resv_get_fences(t, r, DMA_RESV_USAGE_READ) as Fence[];
  got.forEach((f) => dma_fence_put(t, f));
  return got.length;
}

/** [code, title, repeats] of each model finding of `t`'s trial so far. */
function findingRepeats(t: Task): [string, string, number | undefined][] {
  return collectResult(t.arena, 0, { actorNames: ['T'], leakCheck: false }).findings
    .filter((f) => f.code !== 'watchdog').map((f) => [f.code, f.title, f.repeats]);
}

/** The atomic contexts a GFP_KERNEL allocation is reported in, each entered and left. */
const ATOMIC: readonly [string, (t: Task, body: () => void) => void][] = [
  ['under a spinlock', (t, body) => {
    const l = spinlockAlloc(t, 'get_fences_alloc_L');
    spin_lock(t, l);
    body();
    spin_unlock(t, l);
  }],
  ['in hardirq context', (t, body) => { hardirq_enter(t); body(); hardirq_exit(t); }],
  ['with interrupts off', (t, body) => { const fl = local_irq_save(t); body(); local_irq_restore(t, fl); }],
];

describe('dma_resv_get_fences allocates its array (krealloc_array, GFP_KERNEL)', () => {
  it.each(ATOMIC)('a walk that finds a fence %s is SLEEP_IN_ATOMIC titled after might_alloc', (_, atomic) => {
    const t = fenceTask();
    const { r } = resvOf(t, 2);
    let n = -1;
    atomic(t, () => { n = getFences(t, r); });
    expect([n, taskFindingTitles(t)]).toEqual([2, [SLEEP_IN_ALLOC]]);
  });

  it('dma_resv_get_singleton under a spinlock: the same finding, from get_fences\' array (one fence: no other allocation)', () => {
    const t = fenceTask();
    const { r, fences: [f] } = resvOf(t, 1);
    const out = { f: NULL_FENCE };
    ATOMIC[0]![1](t, () => { expect(dma_resv_get_singleton(t, r, DMA_RESV_USAGE_READ, out)).toBe(0); });
    dma_fence_put(t, out.f);
    expect([out.f, taskFindingTitles(t)]).toEqual([f, [SLEEP_IN_ALLOC]]);
  });

  it('(twin) the same walks outside every atomic context: nothing', () => {
    const t = fenceTask();
    const { r } = resvOf(t, 2);
    const out = { f: NULL_FENCE };
    expect(getFences(t, r)).toBe(2);
    expect(dma_resv_get_singleton(t, r, DMA_RESV_USAGE_READ, out)).toBe(0);
    dma_fence_put(t, out.f);
    expect(findingCodes(t)).toEqual([]);
  });

  it.each(ATOMIC)('(twin) a walk that finds no fence allocates nothing %s: no finding', (_, atomic) => {
    const t = fenceTask();
    const empty = resvOf(t, 0).r;
    const { r, fences } = resvOf(t, 2);
    fences.forEach((f) => dma_fence_signal(t, f));
    const out = { f: 123 as Fence };
    const got: number[] = [];
    atomic(t, () => {
      got.push(getFences(t, empty), getFences(t, r), dma_resv_get_singleton(t, r, DMA_RESV_USAGE_READ, out));
    });
    expect([got, out.f, findingCodes(t)]).toEqual([[0, 0, 0], NULL_FENCE, []]);
  });

  it('dma_resv_get_singleton of 2 fences under a spinlock: get_fences\' array, then the array fence\'s (one record, repeated once)', () => {
    const runs = [1, 2].map((n) => {
      const t = fenceTask();
      const { r } = resvOf(t, n);
      const out = { f: NULL_FENCE };
      ATOMIC[0]![1](t, () => { expect(dma_resv_get_singleton(t, r, DMA_RESV_USAGE_READ, out)).toBe(0); });
      dma_fence_put(t, out.f);
      return findingRepeats(t);
    });
    const title = SLEEP_IN_ALLOC.slice('SLEEP_IN_ATOMIC: '.length);
    expect(runs).toEqual([[['SLEEP_IN_ATOMIC', title, undefined]], [['SLEEP_IN_ATOMIC', title, 1]]]);
  });

  it('dma_fence_array_create under a spinlock is SLEEP_IN_ATOMIC titled after might_alloc; (twin) outside it, nothing', () => {
    const got = [true, false].map((atomic) => {
      const t = fenceTask();
      const ctx = dma_fence_context_alloc(t, 3);
      const fences = [dma_fence_init(t, ctx, 1), dma_fence_init(t, ctx + 1, 1)];
      let array = NULL_FENCE;
      const create = (): void => { array = dma_fence_array_create(t, 2, fences, ctx + 2, 1, false); };
      if (atomic) ATOMIC[0]![1](t, create); else create();
      dma_fence_put(t, array);
      return taskFindingTitles(t);
    });
    expect(got).toEqual([[SLEEP_IN_ALLOC], []]);
  });
});

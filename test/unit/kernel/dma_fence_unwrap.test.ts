// dma_fence_unwrap (kernel-semantics §3.10, §7.2 U1..U10, st-dma-fence-unwrap.c): iteration
// sees every leaf of arrays and chains exactly once; dma_fence_unwrap_merge keeps the latest
// unsignalled fence per context, ordered by context, returns a single leaf as itself and a
// signalled stub when nothing is left.
import { describe, expect, it } from 'vitest';
import {
  NULL_FENCE, dma_fence_array_create, dma_fence_chain_init, dma_fence_context, dma_fence_context_alloc, dma_fence_get,
  dma_fence_init, dma_fence_is_array, dma_fence_put, dma_fence_refcount, dma_fence_signal, dma_fence_test_signaled_flag,
  dma_fence_unwrap_for_each, dma_fence_unwrap_merge, type Fence, type Task,
} from '../../fixtures/kernel.js';
import { fenceTask, findingCodes } from '../../support/fence_task.js';
import { C_CLOCK, F_TIMESTAMP } from '../../../src/shm/layout.js';

/** Unsignalled fences on new contexts, one each (`ctx` given: all on it, seqnos 1, 2, ...). */
function fences(t: Task, n: number): Fence[] {
  const ctx = dma_fence_context_alloc(t, n);
  return Array.from({ length: n }, (_, i) => dma_fence_init(t, ctx + i, 1));
}

/** mock_array: an array of references to `fs` on a new context. */
function array(t: Task, fs: readonly Fence[]): Fence {
  return dma_fence_array_create(t, fs.length, fs.map((f) => dma_fence_get(t, f)), dma_fence_context_alloc(t, 1), 1, false);
}

/** mock_chain: a chain point after `prev` (its reference moves in) holding a reference to `f`. */
function chain(t: Task, prev: Fence, f: Fence, seqno = 1): Fence {
  return dma_fence_chain_init(t, prev, dma_fence_get(t, f), seqno);
}

function leaves(t: Task, head: Fence): Fence[] {
  const out: Fence[] = [];
  dma_fence_unwrap_for_each(t, head, (f) => out.push(f));
  return out;
}

function sorted(fs: readonly Fence[]): Fence[] {
  return [...fs].sort((a, b) => a - b);
}

const GEOMETRY = { callbacks: 128, privWords: 1024 };

describe('dma_fence_unwrap', () => {
  it('U1 sanitycheck: a chain of an array of one fence unwraps to it; the cursor drops its reference', () => {
    const t = fenceTask(GEOMETRY);
    const [f] = fences(t, 1) as [Fence];
    const c = chain(t, NULL_FENCE, array(t, [f]));
    expect(leaves(t, c)).toEqual([f]);
    expect(dma_fence_refcount(t, c)).toBe(1);
    expect(findingCodes(t)).toEqual([]);
  });

  it('U2 unwrap_array: every fence of an array once', () => {
    const t = fenceTask(GEOMETRY);
    const fs = fences(t, 2);
    expect(leaves(t, array(t, fs))).toEqual(fs);
  });

  it('U3 unwrap_chain: every fence of a chain once, the latest point first', () => {
    const t = fenceTask(GEOMETRY);
    const [f1, f2] = fences(t, 2) as [Fence, Fence];
    const head = chain(t, chain(t, NULL_FENCE, f1, 1), f2, 2);
    expect(leaves(t, head)).toEqual([f2, f1]);
  });

  it('U4 unwrap_chain_array: the fences of an array in a chain once each', () => {
    const t = fenceTask(GEOMETRY);
    const fs = fences(t, 2);
    expect(leaves(t, chain(t, NULL_FENCE, array(t, fs)))).toEqual(fs);
  });

  it('U5 unwrap_merge: merging two fences gives both, once each', () => {
    const t = fenceTask(GEOMETRY);
    const fs = fences(t, 2);
    const m = dma_fence_unwrap_merge(t, fs);
    expect(dma_fence_is_array(t, m)).toBe(true);
    expect(sorted(leaves(t, m))).toEqual(sorted(fs));
  });

  it('U6 unwrap_merge_duplicate: the same fence twice is that fence, once', () => {
    const t = fenceTask(GEOMETRY);
    const [f] = fences(t, 1) as [Fence];
    expect(dma_fence_unwrap_merge(t, [f, f])).toBe(f);
    expect(dma_fence_refcount(t, f)).toBe(2);
  });

  it('U7 unwrap_merge_seqno: of two fences of one context only the later', () => {
    const t = fenceTask(GEOMETRY);
    const ctx = dma_fence_context_alloc(t, 1);
    const [f1, f2] = [1, 2].map((s) => dma_fence_init(t, ctx, s)) as [Fence, Fence];
    expect(dma_fence_unwrap_merge(t, [f1, f2])).toBe(f2);
    expect(dma_fence_unwrap_merge(t, [f2, f1])).toBe(f2);
  });

  it('U8 unwrap_merge_order: arrays of the same fences in either order merge ordered by context', () => {
    const t = fenceTask(GEOMETRY);
    const [f1, f2] = fences(t, 2) as [Fence, Fence];
    const m = dma_fence_unwrap_merge(t, [array(t, [f1, f2]), array(t, [f2, f1])]);
    expect(leaves(t, m)).toEqual([f1, f2]);
  });

  it('U9 unwrap_merge_complex: merges of merges give each fence once', () => {
    const t = fenceTask(GEOMETRY);
    const [f1, f2] = fences(t, 2) as [Fence, Fence];
    const f3 = dma_fence_unwrap_merge(t, [f1, f2]);
    const f4 = dma_fence_unwrap_merge(t, [f2, f1]);
    const f5 = dma_fence_unwrap_merge(t, [f3, f4, chain(t, NULL_FENCE, f1)]);
    expect(leaves(t, f5)).toEqual([f1, f2]);
  });

  it('U10 unwrap_merge_complex_seqno: [f1(c0,2), f2(c1,1)] and [f3(c0,1), f4(c1,2)] give f1 then f4', () => {
    const t = fenceTask(GEOMETRY);
    const c = dma_fence_context_alloc(t, 2);
    const [f1, f2, f3, f4] = [[c, 2], [c + 1, 1], [c, 1], [c + 1, 2]].map(([x, s]) => dma_fence_init(t, x!, s!)) as [Fence, Fence, Fence, Fence];
    const m = dma_fence_unwrap_merge(t, [array(t, [f1, f2]), array(t, [f3, f4])]);
    expect(leaves(t, m)).toEqual([f1, f4]);
  });

  it('merge drops signalled fences, and of nothing unsignalled makes a signalled stub with the latest signal time', () => {
    const t = fenceTask(GEOMETRY);
    const [f1, f2, f3] = fences(t, 3) as [Fence, Fence, Fence];
    t.i32[t.ctl + C_CLOCK] = 7;
    dma_fence_signal(t, f1);
    expect(leaves(t, dma_fence_unwrap_merge(t, [f1, array(t, [f2, f3])]))).toEqual([f2, f3]);
    dma_fence_signal(t, f2);
    expect(dma_fence_unwrap_merge(t, [f1, f2, f3])).toBe(f3);
    t.i32[t.ctl + C_CLOCK] = 9;
    dma_fence_signal(t, f3);
    t.i32[t.ctl + C_CLOCK] = 20;
    const stub = dma_fence_unwrap_merge(t, [f3, f1, f2]);
    expect([dma_fence_test_signaled_flag(t, stub), dma_fence_context(t, stub), t.i32[t.arena.fence(stub) + F_TIMESTAMP]]).toEqual([true, 0, 9]);
    expect(dma_fence_refcount(t, stub)).toBe(1);
    dma_fence_put(t, stub);
    expect(findingCodes(t)).toEqual([]);
  });
});

/**
 * dma_fence_free is kfree_rcu: a fence whose last reference is dropped while the releasing task
 * holds a spinlock (a callback run under the fence's own lock) keeps its row until that task holds
 * none, so the lock word it still holds is never handed to a new fence.
 */
import { describe, expect, it } from 'vitest';
import {
  dma_fence_add_callback, dma_fence_cb_alloc, dma_fence_context_alloc, dma_fence_init, dma_fence_put,
  dma_fence_signal, type Fence,
} from '../../fixtures/kernel.js';
import { fenceTask, findingCodes } from '../../support/fence_task.js';

describe('dma_fence_free under a spinlock', () => {
  it('a row released under its own lock is not reused until the lock is dropped, then is', () => {
    const t = fenceTask();
    const ctx = dma_fence_context_alloc(t, 1);
    let inside: Fence | undefined;
    t.callbacks = [(tt, f) => { dma_fence_put(tt, f as Fence); inside = dma_fence_init(tt, ctx, 2); }];
    const f = dma_fence_init(t, ctx, 1);
    expect(dma_fence_add_callback(t, f, dma_fence_cb_alloc(t, 1), 0)).toBe(0);
    expect(() => dma_fence_signal(t, f)).not.toThrow();
    expect(inside).toBeDefined();
    expect(t.arena.fence(inside!)).not.toBe(t.arena.fence(f));
    expect(t.arena.fence(dma_fence_init(t, ctx, 3))).toBe(t.arena.fence(f));
    expect(findingCodes(t)).not.toContain('SPINLOCK_LOCKUP');
  });

  it('a row released outside any spinlock is reused by the next fence at once', () => {
    const t = fenceTask();
    const ctx = dma_fence_context_alloc(t, 1);
    const f = dma_fence_init(t, ctx, 1);
    dma_fence_put(t, f);
    expect(t.arena.fence(dma_fence_init(t, ctx, 2))).toBe(t.arena.fence(f));
  });
});

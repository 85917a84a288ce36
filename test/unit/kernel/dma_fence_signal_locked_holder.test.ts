// dma_fence_signal_locked's lockdep_assert_held(fence->lock) asks whether the CALLING task holds the
// fence lock: a lock another task holds is "not held" for the caller (FENCE_LOCK_NOT_HELD, the
// fence signalled all the same), one the caller took is held (no finding). The fence lock's word
// names its owner (spinlock.ts spinOwnerWord), so the check reads the caller, not "anyone".
import { describe, expect, it } from 'vitest';
import { spin_lock, spin_unlock } from '../../../src/kernel/spinlock.js';
import { F_LOCK } from '../../../src/shm/layout.js';
import { dma_fence_context_alloc, dma_fence_init, dma_fence_signal_locked, dma_fence_test_signaled_flag } from '../../fixtures/kernel.js';
import { findingCodes } from '../../support/fence_task.js';
import { twoTasks } from '../../support/two_tasks.js';

describe('dma_fence_signal_locked with the fence lock held', () => {
  it('WARNs FENCE_LOCK_NOT_HELD when another task holds the lock, and signals the fence', () => {
    const [u, t] = twoTasks();
    const f = dma_fence_init(u, dma_fence_context_alloc(u, 1), 1, { signaler: -1 });
    const lock = u.arena.fence(f) + F_LOCK;
    spin_lock(u, lock, f);
    dma_fence_signal_locked(t, f);
    spin_unlock(u, lock);
    expect([dma_fence_test_signaled_flag(t, f), findingCodes(t)]).toEqual([true, ['FENCE_LOCK_NOT_HELD']]);
  });

  it('reports nothing when the calling task holds the lock', () => {
    const [u, t] = twoTasks();
    const f = dma_fence_init(u, dma_fence_context_alloc(u, 1), 1, { signaler: -1 });
    const lock = t.arena.fence(f) + F_LOCK;
    spin_lock(t, lock, f);
    dma_fence_signal_locked(t, f);
    spin_unlock(t, lock);
    expect([dma_fence_test_signaled_flag(t, f), findingCodes(t)]).toEqual([true, []]);
  });
});

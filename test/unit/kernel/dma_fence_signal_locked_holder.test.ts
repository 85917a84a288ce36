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
  it.each([
    ['another task holds', 0, ['FENCE_LOCK_NOT_HELD']],
    ['the calling task holds', 1, []],
  ] as const)('signals the fence, and WARNs FENCE_LOCK_NOT_HELD only unless the caller holds the lock: %s it', (_, holder, codes) => {
    const tasks = twoTasks();
    const t = tasks[1];
    const f = dma_fence_init(t, dma_fence_context_alloc(t, 1), 1, { signaler: -1 });
    const lock = t.arena.fence(f) + F_LOCK;
    spin_lock(tasks[holder], lock, f);
    dma_fence_signal_locked(t, f);
    spin_unlock(tasks[holder], lock);
    expect([dma_fence_test_signaled_flag(t, f), findingCodes(t)]).toEqual([true, codes]);
  });
});

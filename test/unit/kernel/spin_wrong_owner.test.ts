// spin_unlock of a spinlock_t another task holds: CONFIG_DEBUG_SPINLOCK's debug_spin_unlock
// (lib/locking/spinlock_debug.c) reports "BUG: spinlock wrong owner" (SPIN_BUG_ON(lock->owner !=
// current)). The model records SPIN_WRONG_OWNER, titled after spin_unlock with its condition, on
// the lock, and changes nothing: the owner still holds it (its unlock is clean), and the caller's
// count of held spinlocks (in_atomic()) does not drop, so a spinlock it takes next makes it atomic.
import { describe, expect, it } from 'vitest';
import { in_atomic } from '../../../src/kernel/preempt.js';
import { spin_lock, spin_lock_nest_lock, spin_unlock } from '../../fixtures/kernel.js';
import { spinlockAlloc } from '../../fixtures/spinlock.js';
import { findingCodes } from '../../support/fence_task.js';
import { twoTasks } from '../../support/two_tasks.js';

describe('spin_unlock of a spinlock another task holds', () => {
  it.each([['a lockdep class', 'spin_wrong_owner_A'], ['no lockdep class', '']])(
    'reports SPIN_WRONG_OWNER for a spinlock with %s, and leaves the lock its owner\'s and the caller\'s in_atomic() as it was',
    (_, key) => {
      const [u, t] = twoTasks();
      const [a, b] = [spinlockAlloc(u, key), spinlockAlloc(u, `${key}_b`)];
      spin_lock(u, a);
      spin_unlock(t, a);
      expect(findingCodes(t)).toEqual(['SPIN_WRONG_OWNER']);
      spin_lock(t, b);
      expect([in_atomic(t), in_atomic(u)]).toEqual([true, true]);
      spin_unlock(t, b);
      spin_unlock(u, a);
      expect([in_atomic(t), in_atomic(u), findingCodes(t)]).toEqual([false, false, ['SPIN_WRONG_OWNER']]);
    },
  );

  it('does not count a spinlock nest with no lockdep class as held by a task that does not own it', () => {
    const [u, t] = twoTasks();
    const [x, y] = [spinlockAlloc(u, ''), spinlockAlloc(u, 'spin_wrong_owner_Y')];
    spin_lock(u, x);
    spin_lock_nest_lock(t, y, { spinlock: x });
    spin_unlock(t, y);
    spin_unlock(u, x);
    expect(findingCodes(t)).toEqual(['LOCK_NEST_NOT_HELD']);
  });
});

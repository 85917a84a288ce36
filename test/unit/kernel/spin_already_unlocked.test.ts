// spin_unlock of a spinlock_t nobody holds: CONFIG_DEBUG_SPINLOCK's debug_spin_unlock
// (lib/locking/spinlock_debug.c) reports "BUG: spinlock already unlocked" (SPIN_BUG_ON) and goes on.
// The model records SPIN_ALREADY_UNLOCKED, titled after spin_unlock with its condition, on the
// lock, and changes nothing: the task's count of held spinlocks (in_atomic()) stays what it was,
// so a spinlock it takes afterwards still makes it atomic.
import { describe, expect, it } from 'vitest';
import { spin_lock, spin_unlock } from '../../fixtures/kernel.js';
import { spinlockAlloc } from '../../fixtures/spinlock.js';
import { in_atomic } from '../../../src/kernel/preempt.js';
import { fenceTask, findingCodes } from '../../support/fence_task.js';

describe('spin_unlock of a spinlock nobody holds', () => {
  it.each([['a lockdep class', 'spin_already_unlocked_A'], ['no lockdep class', '']])(
    'reports SPIN_ALREADY_UNLOCKED for a second unlock of a spinlock with %s', (_, key) => {
      const t = fenceTask();
      const a = spinlockAlloc(t, key);
      spin_lock(t, a);
      spin_unlock(t, a);
      spin_unlock(t, a);
      expect(findingCodes(t)).toEqual(['SPIN_ALREADY_UNLOCKED']);
    },
  );

  it('leaves in_atomic() as it was: a spinlock taken after the bad unlock still makes the task atomic', () => {
    const t = fenceTask();
    const a = spinlockAlloc(t, 'spin_already_unlocked_B');
    const b = spinlockAlloc(t, 'spin_already_unlocked_C');
    spin_unlock(t, a);
    expect(in_atomic(t)).toBe(false);
    spin_lock(t, b);
    expect(in_atomic(t)).toBe(true);
    spin_unlock(t, b);
    expect([in_atomic(t), findingCodes(t)]).toEqual([false, ['SPIN_ALREADY_UNLOCKED']]);
  });
});

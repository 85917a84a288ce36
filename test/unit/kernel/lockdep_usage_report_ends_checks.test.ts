// An irq usage report ends lockdep's checks of that acquisition (kernel/locking/lockdep.c
// __lock_acquire: `if (!mark_usage(curr, hlock, check)) return 0;` before validate_chain), as
// INVALID_WAIT_CONTEXT does in the model (lockdep.ts): A used in hardirq, A → B recorded with
// interrupts off, B taken with them on (the inversion), then A under B with them on is the
// inconsistent state alone — its dependency is not checked, so no B → A cycle is reported from
// the same spin_lock. And lockdep_hardirqs_on's mark_held_locks stops at the first
// lock whose mark reports: two locks used in hardirq held across an enable report the first.
import { describe, expect, it } from 'vitest';
import {
  local_irq_restore, local_irq_save, spin_lock, spin_unlock,
} from '../../fixtures/kernel.js';
import { inHardirq, nestedIrqsOff, spinlockAlloc } from '../../fixtures/spinlock.js';
import { findingCodes } from '../../support/fence_task.js';
import { twoTasks } from '../../support/two_tasks.js';

/** A → B recorded with interrupts off, B taken with them on, then A under B with them on;
 *  A used in hardirq first when `irqSafe`. The findings. */
function abThenBa(irqSafe: boolean): string[] {
  const [u, t] = twoTasks();
  const [a, b] = [spinlockAlloc(u, 'usage_ends_A'), spinlockAlloc(u, 'usage_ends_B')];
  if (irqSafe) inHardirq(u, a);
  nestedIrqsOff(u, a, b);
  spin_lock(t, b);
  spin_lock(t, a);
  spin_unlock(t, a);
  spin_unlock(t, b);
  return findingCodes(t);
}

describe('an irq usage report', () => {
  it('ends the acquisition\'s checks: A under B is the inconsistent state, not also a cycle', () => {
    expect(abThenBa(true)).toEqual(['LOCK_IRQ_INVERSION', 'LOCK_IRQ_INCONSISTENT_ON']);
  });

  it('(twin) with no usage report the same acquisition is checked: the cycle is reported', () => {
    expect(abThenBa(false)).toEqual(['LOCKDEP_CIRCULAR']);
  });

  it('at interrupts on, ends mark_held_locks: of two locks used in hardirq the first is reported', () => {
    const [u, t] = twoTasks();
    const [a, b] = [spinlockAlloc(u, 'usage_ends_A'), spinlockAlloc(u, 'usage_ends_B')];
    inHardirq(u, a);
    inHardirq(u, b);
    const flags = local_irq_save(t);
    spin_lock(t, a);
    spin_lock(t, b);
    local_irq_restore(t, flags);
    const once = findingCodes(t);
    spin_unlock(t, b);
    spin_unlock(t, a);
    expect(once).toEqual(['LOCK_IRQ_INCONSISTENT_ON']);
  });
});

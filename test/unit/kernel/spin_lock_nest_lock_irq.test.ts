// spin_lock_nest_lock marks its class's irq usage as spin_lock does (kernel/spinlock_lockdep.ts):
// a lock used in hardirq, then taken by spin_lock_nest_lock with interrupts on, is lockdep's
// inconsistent lock state, titled after spin_lock_nest_lock.
import { describe, expect, it } from 'vitest';
import { spin_lock, spin_lock_nest_lock, spin_unlock } from '../../fixtures/kernel.js';
import { inHardirq, spinlockAlloc } from '../../fixtures/spinlock.js';
import { taskFindingTitles } from '../../support/fence_task.js';
import { twoTasks } from '../../support/two_tasks.js';

describe('spin_lock_nest_lock', () => {
  it('of a lock used in hardirq, with interrupts on, is LOCK_IRQ_INCONSISTENT_ON', () => {
    const [u, t] = twoTasks();
    const [nest, a] = [spinlockAlloc(u, 'nest_irq_N'), spinlockAlloc(u, 'nest_irq_A')];
    inHardirq(u, a);
    spin_lock(t, nest);
    spin_lock_nest_lock(t, a, { spinlock: nest });
    spin_unlock(t, a);
    spin_unlock(t, nest);
    expect(taskFindingTitles(t)).toEqual([
      'LOCK_IRQ_INCONSISTENT_ON: assertion in spin_lock_nest_lock (inconsistent {IN-HARDIRQ-W} -> {HARDIRQ-ON-W} usage)',
    ]);
  });
});

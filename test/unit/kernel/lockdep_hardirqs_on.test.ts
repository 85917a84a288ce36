// lockdep_hardirqs_on (kernel/hardirq.ts local_irq_restore → lockdep_irq.ts lockdepHardirqsOn):
// interrupts going from off to on outside hardirq mark every lock the task holds HARDIRQ-unsafe
// (mark_held_locks), so a lock used in hardirq and held across an enable is inconsistent, titled
// after the call that enabled them; enabling interrupts inside a handler is lockdep's
// DEBUG_LOCKS_WARN_ON(lockdep_hardirq_context()).
import { describe, expect, it } from 'vitest';
import {
  hardirq_enter, hardirq_exit, irqs_disabled, local_irq_restore, local_irq_save, spin_lock, spin_lock_irq, spin_lock_irqsave,
  spin_unlock, spin_unlock_irq, spin_unlock_irqrestore,
} from '../../fixtures/kernel.js';
import { inHardirq, spinlockAlloc } from '../../fixtures/spinlock.js';
import { taskFindingTitles } from '../../support/fence_task.js';
import { twoTasks } from '../../support/two_tasks.js';

const ON = 'LOCK_IRQ_INCONSISTENT_ON: assertion in';
const USAGE = '(inconsistent {IN-HARDIRQ-W} -> {HARDIRQ-ON-W} usage)';

describe('interrupts enabled while a lock is held', () => {
  it('spin_unlock_irq inside spin_lock_irqsave(A): A, used in hardirq, is inconsistent', () => {
    const [u, t] = twoTasks();
    const [a, b] = [spinlockAlloc(u, 'hardirqs_on_A'), spinlockAlloc(u, 'hardirqs_on_B')];
    inHardirq(u, a);
    const flags = spin_lock_irqsave(t, a);
    spin_lock_irq(t, b);
    spin_unlock_irq(t, b);
    spin_unlock_irqrestore(t, a, flags);
    expect(taskFindingTitles(t)).toEqual([`${ON} spin_unlock_irq ${USAGE}`]);
  });

  it('local_irq_restore(0) with A taken under local_irq_save: A is inconsistent', () => {
    const [u, t] = twoTasks();
    const a = spinlockAlloc(u, 'hardirqs_on_A');
    inHardirq(u, a);
    const flags = local_irq_save(t);
    spin_lock(t, a);
    local_irq_restore(t, flags);
    spin_unlock(t, a);
    expect(taskFindingTitles(t)).toEqual([`${ON} local_irq_restore ${USAGE}`]);
  });

  it('marks nothing when the lock is released before interrupts go on', () => {
    const [u, t] = twoTasks();
    const a = spinlockAlloc(u, 'hardirqs_on_A');
    inHardirq(u, a);
    spin_unlock_irqrestore(t, a, spin_lock_irqsave(t, a));
    expect(taskFindingTitles(t)).toEqual([]);
  });
});

describe('interrupts enabled in hardirq context', () => {
  it('is IRQS_ON_IN_HARDIRQ titled after the enabling call, and leaves them off', () => {
    const [u] = twoTasks();
    const a = spinlockAlloc(u, 'hardirqs_on_A');
    hardirq_enter(u);
    spin_lock_irq(u, a);
    spin_unlock_irq(u, a);
    const off = irqs_disabled(u);
    hardirq_exit(u);
    expect([off, taskFindingTitles(u)]).toEqual([true, ['IRQS_ON_IN_HARDIRQ: assertion in spin_unlock_irq (lockdep_hardirq_context())']]);
  });
});

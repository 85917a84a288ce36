// Interrupts disabled alone (local_irq_save, no spinlock, not in hardirq) are not in_atomic(): the
// kernel's local_irq_save changes no preempt_count. Only might_sleep (__might_resched's
// irqs_disabled() test) reports there, and queued irq_work waits for interrupts on; lockdep's
// check_wait_context (LD_WAIT_MAX outside hardirq), schedule_debug (preempt_count) and
// dma_fence_begin_signalling's in_atomic() short-circuit do not see it.
import { describe, expect, it } from 'vitest';
import { in_atomic } from '../../../src/kernel/preempt.js';
import { dma_fence_begin_signalling } from '../../../src/kernel/dma_fence_signal.js';
import { msleep } from '../../../src/kernel/dma_fence_wait.js';
import {
  irq_work_queue, local_irq_restore, local_irq_save, mutex_init, mutex_lock, mutex_unlock, spin_lock, spin_unlock,
} from '../../fixtures/kernel.js';
import { drain } from '../../fixtures/drain.js';
import { spinlockAlloc } from '../../fixtures/spinlock.js';
import { findingCodes } from '../../support/fence_task.js';
import { twoTasks } from '../../support/two_tasks.js';

describe('interrupts disabled outside hardirq', () => {
  it('are not in_atomic(): mutex_lock is SLEEP_IN_ATOMIC only, no INVALID_WAIT_CONTEXT', () => {
    const [t] = twoTasks();
    const m = mutex_init(t, 'irqs_off_M');
    const flags = local_irq_save(t);
    const atomic = in_atomic(t);
    drain(mutex_lock(t, m));
    mutex_unlock(t, m);
    local_irq_restore(t, flags);
    expect([atomic, findingCodes(t)]).toEqual([false, ['SLEEP_IN_ATOMIC']]);
  });

  it('make msleep no SCHEDULE_WHILE_ATOMIC (schedule_debug reads preempt_count only)', () => {
    const [t] = twoTasks();
    const flags = local_irq_save(t);
    const g = msleep(t, 1);
    for (let i = 0; i < 3 && g.next().done !== true; i++) { /* step the sleep */ }
    local_irq_restore(t, flags);
    expect(findingCodes(t)).toEqual([]);
  });

  it('let dma_fence_begin_signalling open a section (its in_atomic() is false)', () => {
    const [t] = twoTasks();
    const flags = local_irq_save(t);
    const depths = [dma_fence_begin_signalling(t), dma_fence_begin_signalling(t)];
    local_irq_restore(t, flags);
    expect(depths).toEqual([0, 1]);
  });

  it('hold back irq_work past the last spin_unlock until interrupts are on', () => {
    const [t] = twoTasks();
    const ran: string[] = [];
    const a = spinlockAlloc(t, 'irqs_off_A');
    const flags = local_irq_save(t);
    spin_lock(t, a);
    irq_work_queue(t, () => ran.push('work'));
    spin_unlock(t, a);
    ran.push('unlocked');
    local_irq_restore(t, flags);
    expect(ran).toEqual(['unlocked', 'work']);
  });
});

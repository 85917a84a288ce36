// Interrupt context (kernel/hardirq.ts): a task in hardirq context is atomic, one with interrupts
// disabled is not preemptible — might_sleep in either is SLEEP_IN_ATOMIC, as holding a spinlock
// is (irqs_off_not_atomic.test.ts: what tells the two apart) —, irq_work runs in
// hardirq context (in_hardirq()), and local_irq_save / spin_lock_irqsave nest: the inner restore
// leaves interrupts off, the outer one turns them on and runs the irq_work queued meanwhile.
import { describe, expect, it } from 'vitest';
import { in_atomic } from '../../../src/kernel/preempt.js';
import {
  hardirq_enter, hardirq_exit, in_hardirq, irq_work_queue, irqs_disabled, local_irq_restore, local_irq_save, might_sleep,
  spin_lock_irq, spin_lock_irqsave, spin_unlock_irq, spin_unlock_irqrestore,
} from '../../fixtures/kernel.js';
import { spinlockAlloc } from '../../fixtures/spinlock.js';
import { findingCodes } from '../../support/fence_task.js';
import { twoTasks } from '../../support/two_tasks.js';

describe('hardirq context', () => {
  it('makes might_sleep SLEEP_IN_ATOMIC, and nothing once the handler returned', () => {
    const [t] = twoTasks();
    hardirq_enter(t);
    expect([in_hardirq(t), irqs_disabled(t), in_atomic(t)]).toEqual([true, true, true]);
    might_sleep(t, 'mutex_lock');
    hardirq_exit(t);
    might_sleep(t, 'mutex_lock');
    expect([in_hardirq(t), irqs_disabled(t), in_atomic(t), findingCodes(t)]).toEqual([false, false, false, ['SLEEP_IN_ATOMIC']]);
  });

  it('runs irq_work with in_hardirq(), once interrupts are on again', () => {
    const [t] = twoTasks();
    const seen: boolean[] = [];
    const flags = local_irq_save(t);
    irq_work_queue(t, () => seen.push(in_hardirq(t)));
    expect(seen).toEqual([]);
    local_irq_restore(t, flags);
    irq_work_queue(t, () => seen.push(in_hardirq(t)));
    expect([seen, in_hardirq(t)]).toEqual([[true, true], false]);
  });

  it('makes might_sleep with interrupts disabled SLEEP_IN_ATOMIC', () => {
    const [t] = twoTasks();
    const flags = local_irq_save(t);
    might_sleep(t, 'mutex_lock');
    local_irq_restore(t, flags);
    expect([in_atomic(t), findingCodes(t)]).toEqual([false, ['SLEEP_IN_ATOMIC']]);
  });
});

describe('spin_lock_irqsave', () => {
  it('nested, restores the outer state: interrupts stay off until the outer restore', () => {
    const [t] = twoTasks();
    const [a, b] = [spinlockAlloc(t, 'hardirq_test_A'), spinlockAlloc(t, 'hardirq_test_B')];
    const outer = spin_lock_irqsave(t, a);
    const inner = spin_lock_irqsave(t, b);
    spin_unlock_irqrestore(t, b, inner);
    const between = irqs_disabled(t);
    spin_unlock_irqrestore(t, a, outer);
    expect([outer, inner, between, irqs_disabled(t), in_atomic(t), findingCodes(t)]).toEqual([0, 1, true, false, false, []]);
  });

  it('in hardirq context leaves interrupts off after its restore', () => {
    const [t] = twoTasks();
    const a = spinlockAlloc(t, 'hardirq_test_A');
    hardirq_enter(t);
    spin_unlock_irqrestore(t, a, spin_lock_irqsave(t, a));
    const inside = irqs_disabled(t);
    hardirq_exit(t);
    expect([inside, irqs_disabled(t), in_atomic(t)]).toEqual([true, false, false]);
  });

  it('spin_unlock_irq inside it turns interrupts on; the outer restore turns them off again', () => {
    const [t] = twoTasks();
    const [a, b] = [spinlockAlloc(t, 'hardirq_test_A'), spinlockAlloc(t, 'hardirq_test_B')];
    const flags = local_irq_save(t);
    spin_lock_irq(t, a);
    spin_unlock_irq(t, a);
    const between = irqs_disabled(t);
    const outer = spin_lock_irqsave(t, b);
    spin_unlock_irqrestore(t, b, outer);
    local_irq_restore(t, 1);
    const after = irqs_disabled(t);
    local_irq_restore(t, flags);
    expect([between, after, irqs_disabled(t), in_atomic(t)]).toEqual([false, true, false, false]);
  });
});

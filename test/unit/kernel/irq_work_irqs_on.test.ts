// irq_work runs as soon as interrupts are on (kernel/irq_work.ts): the kernel's irq_work_queue
// raises an interrupt on its own CPU, taken whatever the preempt count (kernel/irq_work.c,
// non-RT) — so work queued under a plain spin_lock with interrupts on runs at once, in hardirq
// context, and work a handler queues runs at its hardirq_exit even under a spinlock; neither waits
// for the spinlock's release. The RCU deferral (call_rcu.ts, what fence_free uses) does: a grace
// period needs the task preemptible.
import { describe, expect, it } from 'vitest';
import { call_rcu } from '../../../src/kernel/call_rcu.js';
import { hardirq_enter, hardirq_exit, in_hardirq, irq_work_queue, spin_lock, spin_unlock } from '../../fixtures/kernel.js';
import { spinlockAlloc } from '../../fixtures/spinlock.js';
import { twoTasks } from '../../support/two_tasks.js';

describe('irq_work queued with interrupts on', () => {
  it('under a plain spin_lock runs at once, in hardirq context', () => {
    const [t] = twoTasks();
    const ran: unknown[] = [];
    const a = spinlockAlloc(t, 'irq_work_on_A');
    spin_lock(t, a);
    irq_work_queue(t, () => ran.push('work', in_hardirq(t)));
    ran.push('holding');
    spin_unlock(t, a);
    expect(ran).toEqual(['work', true, 'holding']);
  });

  it('by a handler run under a spinlock runs at its hardirq_exit', () => {
    const [t] = twoTasks();
    const ran: string[] = [];
    const a = spinlockAlloc(t, 'irq_work_on_A');
    spin_lock(t, a);
    hardirq_enter(t);
    irq_work_queue(t, () => ran.push('work'));
    ran.push('handler');
    hardirq_exit(t);
    ran.push('holding');
    spin_unlock(t, a);
    expect(ran).toEqual(['handler', 'work', 'holding']);
  });
});

describe('an RCU callback (fence_free\'s deferral)', () => {
  it('queued under a spinlock waits for its spin_unlock', () => {
    const [t] = twoTasks();
    const ran: string[] = [];
    const a = spinlockAlloc(t, 'irq_work_on_A');
    spin_lock(t, a);
    call_rcu(t, () => ran.push('rcu'));
    ran.push('holding');
    spin_unlock(t, a);
    call_rcu(t, () => ran.push('at once'));
    expect(ran).toEqual(['holding', 'rcu', 'at once']);
  });
});

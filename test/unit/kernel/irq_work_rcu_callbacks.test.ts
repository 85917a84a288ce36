// An RCU callback an irq_work queues runs once the task is preemptible, as after any interrupt
// (kernel/irq_work.ts irq_work_queue, hardirq.ts irqsOnPoint): a work that drops a fence's last
// reference frees it in hardirq context, where fence_free's call_rcu must wait — queued with
// interrupts on and no spinlock held, the row goes back as soon as the work returns; under a
// spinlock, at its spin_unlock.
import { describe, expect, it } from 'vitest';
import { fenceTask } from '../../support/fence_task.js';
import { dma_fence_context_alloc, dma_fence_init, dma_fence_put } from '../../../src/kernel/index.js';
import { irq_work_queue } from '../../../src/kernel/irq_work.js';
import { preemptible } from '../../../src/kernel/preempt.js';
import { spin_lock, spin_unlock } from '../../fixtures/kernel.js';
import { spinlockAlloc } from '../../fixtures/spinlock.js';

describe('a fence freed by irq_work', () => {
  it('queued with interrupts on: its call_rcu\'d free runs when the work returns', () => {
    const t = fenceTask();
    const f = dma_fence_init(t, dma_fence_context_alloc(t, 1), 1);
    irq_work_queue(t, () => dma_fence_put(t, f));
    expect([preemptible(t), t.irqWork.length, t.rcuWork.length]).toEqual([true, 0, 0]);
  });

  it('(twin) queued under a spinlock: the work runs, the free waits for the spin_unlock', () => {
    const t = fenceTask();
    const f = dma_fence_init(t, dma_fence_context_alloc(t, 1), 1);
    const l = spinlockAlloc(t, 'irq_work_rcu_L');
    spin_lock(t, l);
    irq_work_queue(t, () => dma_fence_put(t, f));
    const held = [t.irqWork.length, t.rcuWork.length];
    spin_unlock(t, l);
    expect([held, t.rcuWork.length]).toEqual([[0, 1], 0]);
  });
});

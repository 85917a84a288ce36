// The fence lock is spin_lock_irqsave(fence->lock) (kernel/spinlock_fence.ts): interrupts are off
// while it is held — a callback runs with irqs_disabled() —, and its unlock restores the state
// saved at the lock: signalling a plain fence inside a local_irq_save section leaves interrupts
// off after it.
import { describe, expect, it } from 'vitest';
import { fence_spin_lock, fence_spin_unlock } from '../../../src/kernel/spinlock_fence.js';
import {
  dma_fence_add_callback, dma_fence_cb_alloc, dma_fence_context_alloc, dma_fence_init, dma_fence_signal, irqs_disabled,
  local_irq_restore, local_irq_save,
} from '../../fixtures/kernel.js';
import { fenceTask, findingCodes } from '../../support/fence_task.js';

describe('the fence lock', () => {
  it('disables interrupts while held, and turns them on again at its unlock', () => {
    const t = fenceTask();
    const f = dma_fence_init(t, dma_fence_context_alloc(t, 1), 1);
    const cookie = fence_spin_lock(t, f);
    const held = irqs_disabled(t);
    fence_spin_unlock(t, f, cookie);
    expect([held, irqs_disabled(t)]).toEqual([true, false]);
  });

  it('runs a fence callback with interrupts disabled', () => {
    const t = fenceTask();
    const seen: boolean[] = [];
    t.callbacks = [() => { seen.push(irqs_disabled(t)); }];
    const f = dma_fence_init(t, dma_fence_context_alloc(t, 1), 1);
    expect(dma_fence_add_callback(t, f, dma_fence_cb_alloc(t, 1), 0)).toBe(0);
    dma_fence_signal(t, f);
    expect([seen, irqs_disabled(t)]).toEqual([[true], false]);
  });

  it('restores the saved state: signalled inside local_irq_save, interrupts stay off after', () => {
    const t = fenceTask();
    const f = dma_fence_init(t, dma_fence_context_alloc(t, 1), 1);
    const flags = local_irq_save(t);
    dma_fence_signal(t, f);
    const after = irqs_disabled(t);
    local_irq_restore(t, flags);
    expect([after, irqs_disabled(t), findingCodes(t)]).toEqual([true, false, []]);
  });
});

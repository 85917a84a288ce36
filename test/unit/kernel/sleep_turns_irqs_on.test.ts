// A task that really sleeps comes back with interrupts on (kernel/hardirq.ts finish_task_switch,
// called by the wait.ts callers after a yield while blocked): the kernel's __schedule returns
// through finish_lock_switch's raw_spin_rq_unlock_irq, and that enable is lockdep_hardirqs_on.
// So "L used in hardirq; local_irq_save; msleep; spin_lock(L)" takes L with interrupts on — the
// inconsistent lock state —, and a lock held across the sleep is marked then, titled after
// schedule. A later local_irq_restore of flags saved "disabled" turns them off again, irq_work
// queued with them off runs at the return, and a sleep in hardirq context changes no interrupt
// state: its return is lockdep's IRQS_ON_IN_HARDIRQ. The other sleeping calls:
// sleep_sites_turn_irqs_on.test.ts.
import { describe, expect, it } from 'vitest';
import {
  hardirq_enter, hardirq_exit, irq_work_queue, irqs_disabled, local_irq_restore, local_irq_save, msleep, spin_lock,
  spin_lock_irqsave, spin_unlock, spin_unlock_irqrestore, type KGen, type Task,
} from '../../fixtures/kernel.js';
import { codes, runOnce } from '../../fixtures/lockdep/run_once.js';
import { scripted } from '../../fixtures/lockdep/scripted.js';
import { inHardirq, spinlockAlloc } from '../../fixtures/spinlock.js';
import { local_irqs_off } from '../../../src/kernel/preempt.js';

const USAGE = '(inconsistent {IN-HARDIRQ-W} -> {HARDIRQ-ON-W} usage)';

/** One trial of `body` over a spinlock_t of class `key`, used in hardirq first; its findings. */
function withIrqSafeLock(key: string, body: (t: Task, l: number) => KGen<void>): string[][] {
  const s = scripted(key.toLowerCase().replace(/_/g, '-'), (t: Task) => ({ l: spinlockAlloc(t, key) }));
  const { r } = runOnce(s, function* (t, e) {
    inHardirq(t, e.l);
    yield* body(t, e.l);
  });
  expect(r.end).toBe('done');
  return codes(r);
}

describe('a sleep with interrupts disabled', () => {
  it('returns with them on: a lock used in hardirq taken after it is inconsistent', () => {
    const found = withIrqSafeLock('sleep_irqs_on_L', function* (t, l) {
      const flags = local_irq_save(t);
      yield* msleep(t, 1);
      spin_lock(t, l);
      spin_unlock(t, l);
      local_irq_restore(t, flags);
    });
    expect(found).toEqual([['LOCK_IRQ_INCONSISTENT_ON', `assertion in spin_lock ${USAGE}`]]);
  });

  it('(twin) sleeping before disabling them, the lock is taken with interrupts off: nothing', () => {
    const found = withIrqSafeLock('sleep_irqs_on_L', function* (t, l) {
      yield* msleep(t, 1);
      const flags = local_irq_save(t);
      spin_lock(t, l);
      spin_unlock(t, l);
      local_irq_restore(t, flags);
    });
    expect(found).toEqual([]);
  });

  it('marks a lock held across it HARDIRQ-unsafe, titled after schedule', () => {
    const found = withIrqSafeLock('sleep_irqs_on_L', function* (t, l) {
      const flags = spin_lock_irqsave(t, l);
      yield* msleep(t, 1);
      spin_unlock_irqrestore(t, l, flags);
    });
    expect(found.map((f) => f[0])).toEqual(['SCHEDULE_WHILE_ATOMIC', 'LOCK_IRQ_INCONSISTENT_ON']);
    expect(found[1]![1]).toBe(`assertion in schedule ${USAGE}`);
  });
});

describe('after a sleep with interrupts disabled', () => {
  it('runs the irq_work queued before it, and a restore of "disabled" flags turns them off again', () => {
    const seen: unknown[] = [];
    withIrqSafeLock('sleep_irqs_on_W', function* (t) {
      const outer = local_irq_save(t);
      const inner = local_irq_save(t);
      irq_work_queue(t, () => seen.push('work'));
      seen.push('slept');
      yield* msleep(t, 1);
      seen.push(irqs_disabled(t));
      local_irq_restore(t, inner);
      seen.push(irqs_disabled(t));
      local_irq_restore(t, outer);
      seen.push(irqs_disabled(t));
    });
    expect(seen).toEqual(['slept', 'work', false, true, false]);
  });

  it('in hardirq context is IRQS_ON_IN_HARDIRQ titled after schedule and leaves the interrupt state as it was', () => {
    const seen: boolean[] = [];
    const found = withIrqSafeLock('sleep_irqs_on_H', function* (t) {
      const flags = local_irq_save(t);
      hardirq_enter(t);
      yield* msleep(t, 1);
      seen.push(irqs_disabled(t), local_irqs_off(t));
      hardirq_exit(t);
      local_irq_restore(t, flags);
    });
    expect([seen, found]).toEqual([[true, true], [
      ['SCHEDULE_WHILE_ATOMIC', 'assertion in msleep (scheduling while atomic)'],
      ['IRQS_ON_IN_HARDIRQ', 'assertion in schedule (lockdep_hardirq_context())'],
    ]]);
  });
});

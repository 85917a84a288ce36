/**
 * Where an acquisition's irq usage is marked, in kernel/locking/lockdep.c __lock_acquire's order
 * — check_wait_context, mark_usage, the nest_lock check, validate_chain: a mutex's usage is marked
 * at the attempt, before its dependencies are checked (so a dependency it adds from a class a
 * HARDIRQ-safe one reaches is "HARDIRQ-safe -> HARDIRQ-unsafe lock order detected", not a later
 * "irq lock inversion"), before it may sleep, and not under a spinlock (INVALID_WAIT_CONTEXT's
 * report turns lockdep off, so mark_lock fails at graph_lock; the model, which goes on after a
 * report, skips the mark); spin_lock_nest_lock marks before its nest_lock check.
 *
 * The first case rests on a model gap: it needs a class between the HARDIRQ-safe spinlock and the
 * mutex (a mutex under a spinlock is an invalid wait context, and only spinlocks are taken in
 * hardirq), which only a pseudo lock can be, and the model's pseudo locks mark no usage. The
 * kernel's lock_map_acquire is lock_acquire_exclusive with check=1, so its second
 * lock_map_acquire, with interrupts on, would mark the map HARDIRQ-ON-W and report "possible irq
 * lock inversion" (S → map) there, before the mutex is taken. The case pins the order of mark and
 * dependency for the mutex, which the gap leaves the only report to make.
 */
import { describe, expect, it } from 'vitest';
import { lockdepLayout, lockdepMutexClassOf } from '../../../src/kernel/lockdep.js';
import { LU_ENABLED_HARDIRQ, lockdepUsage } from '../../../src/kernel/lockdep_usage.js';
import {
  hardirq_enter, hardirq_exit, local_irq_save, lock_map_acquire, lock_map_release, mutex_init, mutex_lock, mutex_unlock, spin_lock,
  spin_lock_irqsave, spin_lock_nest_lock, spin_unlock, spin_unlock_irqrestore, type KGen, type Mutex, type Task,
} from '../../fixtures/kernel.js';
import { inHardirq, spinlockAlloc } from '../../fixtures/spinlock.js';
import { findingCodes } from '../../support/fence_task.js';
import { twoTasks } from '../../support/two_tasks.js';

/** Step generator `g` until it ends or has stepped `max` times; returns whether it ended. */
function step(g: KGen<number>, max = 1000): boolean {
  for (let i = 0; i < max; i++) if (g.next().done === true) return true;
  return false;
}

/** The irq usage bits of mutex `m`'s class. */
function mutexUsage(t: Task, m: Mutex): number {
  return lockdepUsage(t.i32, lockdepLayout(t.arena), lockdepMutexClassOf(t.arena, m));
}

describe('a mutex\'s irq usage', () => {
  it('is marked before its new dependency is checked: safe → map → mutex is a HARDIRQ-safe -> HARDIRQ-unsafe order', () => {
    const [u] = twoTasks();
    const s = spinlockAlloc(u, 'mark_order_S');
    inHardirq(u, s);
    const flags = spin_lock_irqsave(u, s);
    lock_map_acquire(u, 'mark_order_map');
    lock_map_release(u, 'mark_order_map');
    spin_unlock_irqrestore(u, s, flags);
    const m = mutex_init(u, 'mark_order_M');
    lock_map_acquire(u, 'mark_order_map');
    expect(step(mutex_lock(u, m))).toBe(true);
    mutex_unlock(u, m);
    lock_map_release(u, 'mark_order_map');
    expect(findingCodes(u)).toEqual(['LOCK_IRQ_SAFE_UNSAFE']);
  });

  it('is marked at the attempt, before it sleeps: a blocked attempt has marked it', () => {
    const [u, t] = twoTasks();
    const m = mutex_init(u, 'mark_order_blocked');
    local_irq_save(u);
    expect(step(mutex_lock(u, m))).toBe(true);
    expect(mutexUsage(u, m)).toBe(0);
    expect(step(mutex_lock(t, m), 20)).toBe(false);
    expect(mutexUsage(u, m)).toBe(LU_ENABLED_HARDIRQ);
  });

  it('is not marked for an attempt under a spinlock (lockdep is off after the INVALID_WAIT_CONTEXT report)', () => {
    const [u] = twoTasks();
    const s = spinlockAlloc(u, 'mark_order_S2');
    const m = mutex_init(u, 'mark_order_atomic');
    spin_lock(u, s);
    step(mutex_lock(u, m));
    mutex_unlock(u, m);
    spin_unlock(u, s);
    expect(findingCodes(u)).toContain('INVALID_WAIT_CONTEXT');
    expect(mutexUsage(u, m)).toBe(0);
  });
});

describe('spin_lock_nest_lock without its nest lock held', () => {
  it('marks the class\'s usage before the nest_lock check: used so in hardirq, then taken with interrupts on, is inconsistent', () => {
    const [u, t] = twoTasks();
    const [nest, a] = [spinlockAlloc(u, 'mark_order_N'), spinlockAlloc(u, 'mark_order_A')];
    hardirq_enter(u);
    spin_lock_nest_lock(u, a, { spinlock: nest });
    spin_unlock(u, a);
    hardirq_exit(u);
    spin_lock(t, a);
    spin_unlock(t, a);
    expect(findingCodes(t)).toEqual(['LOCK_NEST_NOT_HELD', 'LOCK_IRQ_INCONSISTENT_ON']);
  });
});

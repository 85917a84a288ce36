/**
 * A class's irq usage record (kernel/lockdep_usage.ts; publish order in lockdep_layout.ts): a
 * reader that sees a usage bit sees the trial it was set in — so another task's inconsistent-state
 * report, made the instant the first bit is published, names that bit's trial — and each bit keeps
 * its own trial. The race window (between the CAS that publishes the bit and anything after it) is
 * opened by running the other task's acquisition from inside that CAS.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { lockdep_class, lockdepLayout } from '../../../src/kernel/lockdep.js';
import { LC_USAGE } from '../../../src/kernel/lockdep_layout.js';
import { LU_ENABLED_HARDIRQ, LU_USED_IN_HARDIRQ, usageTrial } from '../../../src/kernel/lockdep_usage.js';
import { C_TRIAL, EXEC_INLINE, G_AUX, G_CODE, WAIT_SLEEP } from '../../../src/shm/layout.js';
import { warnSpec } from '../../../src/kernel/warn.js';
import { Task } from '../../../src/kernel/task.js';
import { spin_lock, spin_unlock } from '../../fixtures/kernel.js';
import { inHardirq, spinlockAlloc } from '../../fixtures/spinlock.js';
import { twoTasks } from '../../support/two_tasks.js';

const realCas = Atomics.compareExchange;
afterEach(() => { Atomics.compareExchange = realCas; });

/** Run `then` right after the first CAS on `h[idx]` that sets `bit` (once), as if another thread
 *  ran at that instant. */
function afterPublishing(h: Int32Array, idx: number, bit: number, then: () => void): void {
  let fired = false;
  Atomics.compareExchange = ((ta: Int32Array, i: number, expected: number, replacement: number): number => {
    const was = realCas(ta, i, expected, replacement);
    if (!fired && ta === h && i === idx && was === expected && (expected & bit) === 0 && (replacement & bit) !== 0) {
      fired = true;
      then();
    }
    return was;
  }) as typeof Atomics.compareExchange;
}

describe('an irq usage bit and its trial', () => {
  it('are seen together: a report made the instant the first bit is published names its trial', () => {
    const [u, t] = twoTasks();
    const a = u.arena;
    const lock = spinlockAlloc(u, 'usage_publish_A');
    const cls = lockdep_class(a, 'usage_publish_A');
    afterPublishing(a.i32, lockdepLayout(a).cls(cls) + LC_USAGE, LU_USED_IN_HARDIRQ, () => {
      spin_lock(t, lock);
      spin_unlock(t, lock);
    });
    inHardirq(u, lock);
    Atomics.compareExchange = realCas;
    const g = a.finding(0);
    expect(warnSpec(a.i32[g + G_CODE]!)?.name).toBe('LOCK_IRQ_INCONSISTENT_ON');
    expect(a.i32[g + G_AUX + 2]).toBe(a.ctl(C_TRIAL));
  });

  it('is kept per bit: the second bit, set in a later trial, does not change the first\'s', () => {
    const [u] = twoTasks();
    const a = u.arena;
    const lock = spinlockAlloc(u, 'usage_trials_A');
    const cls = lockdep_class(a, 'usage_trials_A');
    inHardirq(u, lock);
    const first = a.ctl(C_TRIAL);
    a.resetTrial({ actors: 2, mode: EXEC_INLINE, stepLimit: 100, waitPolicy: WAIT_SLEEP, replayLen: 0 });
    const t = new Task(a, 1, 'T');
    const again = spinlockAlloc(t, 'usage_trials_A');
    spin_lock(t, again);
    spin_unlock(t, again);
    const ld = lockdepLayout(a);
    expect([usageTrial(a.i32, ld, cls, LU_USED_IN_HARDIRQ), usageTrial(a.i32, ld, cls, LU_ENABLED_HARDIRQ)]).toEqual([first, first + 1]);
    expect(a.i32[a.finding(0) + G_AUX + 2]).toBe(first);
  });
});

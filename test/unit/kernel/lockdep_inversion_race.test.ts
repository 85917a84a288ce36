// mark_lock_irq's graph search skips the class whose bit was just set (kernel/lockdep_irq.ts
// markLockIrq → inversion, lockdep_graph.ts usageReach with self false). Under stress U's CAS
// sets X's USED_IN_HARDIRQ, T's CAS then sets X's ENABLED_HARDIRQ and reports the inconsistent
// state, and U's search runs after both: it must not find X itself (a LOCK_IRQ_INVERSION naming
// X as both ends). The kernel sets and checks under graph_lock: one report. Single-threaded
// here, with the three steps in that racing order.
import { describe, expect, it } from 'vitest';
import { lockdep_class, lockdepLayout } from '../../../src/kernel/lockdep.js';
import { markLockIrq, lockdepMarkUsage } from '../../../src/kernel/lockdep_irq.js';
import { LU_ENABLED_HARDIRQ, LU_USED_IN_HARDIRQ, usagePublish } from '../../../src/kernel/lockdep_usage.js';
import { siteId } from '../../../src/kernel/warn.js';
import { nestedIrqsOff, spinlockAlloc } from '../../fixtures/spinlock.js';
import { findingCodes } from '../../support/fence_task.js';
import { twoTasks } from '../../support/two_tasks.js';

const SITE = siteId('spin_lock');

describe('two threads setting a class\'s two usage bits', () => {
  it('report the inconsistent state alone: the first setter\'s search does not find the class itself', () => {
    const [u, t] = twoTasks();
    const x = spinlockAlloc(u, 'inversion_race_X');
    const cls = lockdep_class(u.arena, 'inversion_race_X');
    const ld = lockdepLayout(u.arena);
    const old = usagePublish(u.i32, ld, cls, LU_USED_IN_HARDIRQ, u.id, 0);
    const second = lockdepMarkUsage(t, ld, cls, LU_ENABLED_HARDIRQ, x, SITE);
    const first = markLockIrq(u, ld, cls, LU_USED_IN_HARDIRQ, old, x, SITE);
    expect([old, second, first, findingCodes(u)]).toEqual([0, true, false, ['LOCK_IRQ_INCONSISTENT_ON']]);
  });

  it('(twin) the first setter\'s search still finds another class with the other bit', () => {
    const [u, t] = twoTasks();
    const [x, y] = [spinlockAlloc(u, 'inversion_race_X'), spinlockAlloc(u, 'inversion_race_Y')];
    const ld = lockdepLayout(u.arena);
    const [cx, cy] = [lockdep_class(u.arena, 'inversion_race_X'), lockdep_class(u.arena, 'inversion_race_Y')];
    nestedIrqsOff(t, x, y);
    lockdepMarkUsage(t, ld, cy, LU_ENABLED_HARDIRQ, y, SITE);
    const old = usagePublish(u.i32, ld, cx, LU_USED_IN_HARDIRQ, u.id, 0);
    const first = markLockIrq(u, ld, cx, LU_USED_IN_HARDIRQ, old, x, SITE);
    expect([first, findingCodes(u)]).toEqual([true, ['LOCK_IRQ_INVERSION']]);
  });
});

// lockdep's irq_context boundary (kernel/hardirq.ts hardirq_enter → lockdep_hooks.ts checkDeps): a
// lock taken in hardirq context gets no dependency on a lock the interrupted task held outside it
// (check_prevs_add stops at a held lock of another irq_context). So X held, an interrupt taking
// Y, and elsewhere spin_lock_irqsave(Y) then X is no circular dependency but a HARDIRQ-safe Y
// before a HARDIRQ-unsafe X; and irq_work run while a mutex is held records no mutex → lock edge.
import { describe, expect, it } from 'vitest';
import {
  hardirq_enter, hardirq_exit, irq_work_queue, mutex_init, mutex_lock, mutex_unlock, spin_lock, spin_lock_irqsave, spin_unlock,
  spin_unlock_irqrestore,
} from '../../fixtures/kernel.js';
import { drain } from '../../fixtures/drain.js';
import { spinlockAlloc } from '../../fixtures/spinlock.js';
import { findingCodes } from '../../support/fence_task.js';
import { twoTasks } from '../../support/two_tasks.js';
import { lockdep_class, lockdepLayout } from '../../../src/kernel/lockdep.js';

describe('a lock taken in hardirq context', () => {
  it('depends on no lock held outside it: irqsave(Y) then X elsewhere is HARDIRQ-safe -> unsafe, not circular', () => {
    const [u, t] = twoTasks();
    const [x, y] = [spinlockAlloc(u, 'irq_ctx_X'), spinlockAlloc(u, 'irq_ctx_Y')];
    spin_lock(u, x);
    hardirq_enter(u);
    spin_lock(u, y);
    spin_unlock(u, y);
    hardirq_exit(u);
    spin_unlock(u, x);
    const flags = spin_lock_irqsave(t, y);
    spin_lock(t, x);
    spin_unlock(t, x);
    spin_unlock_irqrestore(t, y, flags);
    expect(findingCodes(t)).toEqual(['LOCK_IRQ_SAFE_UNSAFE']);
  });

  it('in irq_work run while a mutex is held records no mutex -> lock dependency', () => {
    const [u] = twoTasks();
    const m = mutex_init(u, 'irq_ctx_M');
    const s = spinlockAlloc(u, 'irq_ctx_S');
    drain(mutex_lock(u, m));
    irq_work_queue(u, () => { spin_lock(u, s); spin_unlock(u, s); });
    mutex_unlock(u, m);
    const ld = lockdepLayout(u.arena);
    const [cm, cs] = [lockdep_class(u.arena, 'irq_ctx_M'), lockdep_class(u.arena, 'irq_ctx_S')];
    const edge = (): number => (u.i32[ld.adjWord(cm, cs)]! >>> (cs & 31)) & 1;
    expect([cm > 0 && cs > 0, edge(), findingCodes(u)]).toEqual([true, 0, []]);
    drain(mutex_lock(u, m));
    const flags = spin_lock_irqsave(u, s); // irqsave: no usage report, which would end the checks
    spin_unlock_irqrestore(u, s, flags);
    mutex_unlock(u, m);
    expect(edge()).toBe(1); // the same order in task context is recorded: the read above can see an edge
  });
});

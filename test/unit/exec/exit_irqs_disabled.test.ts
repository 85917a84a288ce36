// A task that exits with interrupts disabled and no lock held is EXITED_IRQS_DISABLED (do_exit's
// WARN_ON(irqs_disabled()), reported when its code returns: kernel/exit.ts), not
// LOCK_HELD_AT_EXIT: disabling interrupts takes no lock and counts in no preempt_count.
import { describe, expect, it } from 'vitest';
import { local_irq_save, type KGen } from '../../fixtures/kernel.js';
import { findingCodes } from '../../support/fence_task.js';
import { runToExit } from '../../support/run_to_exit.js';
import { twoTasks } from '../../support/two_tasks.js';

describe('an actor exiting with interrupts disabled', () => {
  it('is EXITED_IRQS_DISABLED, once, not LOCK_HELD_AT_EXIT', () => {
    const [t] = twoTasks();
    function* body(): KGen<void> { local_irq_save(t); }
    runToExit(t, body());
    expect(findingCodes(t)).toEqual(['EXITED_IRQS_DISABLED']);
  });

  it('with interrupts on, reports nothing', () => {
    const [t] = twoTasks();
    function* body(): KGen<void> { /* returns at once */ }
    runToExit(t, body());
    expect(findingCodes(t)).toEqual([]);
  });
});

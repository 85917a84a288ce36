// A task that exits with interrupts disabled and no lock held is make_task_dead's "note: exited
// with irqs disabled" (EXITED_IRQS_DISABLED), not LOCK_HELD_AT_EXIT: disabling interrupts takes
// no lock and counts in no preempt_count.
import { describe, expect, it } from 'vitest';
import { finishActor } from '../../../src/exec/resume.js';
import { local_irq_save } from '../../fixtures/kernel.js';
import { findingCodes } from '../../support/fence_task.js';
import { twoTasks } from '../../support/two_tasks.js';

describe('an actor exiting with interrupts disabled', () => {
  it('is EXITED_IRQS_DISABLED, not LOCK_HELD_AT_EXIT', () => {
    const [t] = twoTasks();
    local_irq_save(t);
    finishActor(t);
    expect(findingCodes(t)).toEqual(['EXITED_IRQS_DISABLED']);
  });

  it('with interrupts on, reports nothing', () => {
    const [t] = twoTasks();
    finishActor(t);
    expect(findingCodes(t)).toEqual([]);
  });
});

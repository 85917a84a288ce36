// The exit's interrupt enable (kernel/exit.ts exit_irqs_on): a task whose code returns with
// interrupts disabled is EXITED_IRQS_DISABLED once, and has them on before its task work runs, as
// make_task_dead, do_exit and the syscall exit all turn them on; local_irq_enable's lockdep marking
// (lockdep_hardirqs_on) applies to the locks still held, titled after do_exit; the preempt count
// stays, so a held spinlock keeps the exit atomic; in hardirq context interrupts stay off. Through
// both executors (fixture test/fixtures/exit_irqs_release.ts), a sleeping release pending at such
// an exit is no SLEEP_IN_ATOMIC. Task work that leaves them disabled again is reported after it
// (kernel/exit.ts exit_irqs_left).
import { describe, expect, it } from 'vitest';
import { hardirq_enter, irqs_disabled, local_irq_save, spin_lock_irqsave, type KGen, type Task } from '../../fixtures/kernel.js';
import { task_work_add } from '../../../src/kernel/task_work.js';
import { exitIrqsOffRelease } from '../../fixtures/exit_irqs_release.js';
import { inHardirq, spinlockAlloc } from '../../fixtures/spinlock.js';
import { EXECUTORS, runTrials } from '../../support/both.js';
import { findingCodes, taskFindingTitles } from '../../support/fence_task.js';
import { runToExit } from '../../support/run_to_exit.js';
import { twoTasks } from '../../support/two_tasks.js';

describe('a task whose code returns with interrupts disabled', () => {
  it('is EXITED_IRQS_DISABLED once, with interrupts on afterwards', () => {
    const [t] = twoTasks();
    function* body(): KGen<void> { local_irq_save(t); }
    runToExit(t, body());
    expect([irqs_disabled(t), findingCodes(t)]).toEqual([false, ['EXITED_IRQS_DISABLED']]);
  });

  it('holding a spinlock used in hardirq, taken irqsave: the enable marks it HARDIRQ-ON-W, titled after do_exit, before LOCK_HELD_AT_EXIT', () => {
    const [u, t] = twoTasks();
    const a = spinlockAlloc(u, 'exit_irqs_A');
    inHardirq(u, a);
    function* body(): KGen<void> { spin_lock_irqsave(t, a); }
    runToExit(t, body());
    expect(taskFindingTitles(t)).toEqual([
      'EXITED_IRQS_DISABLED: leak in do_exit (exited with irqs disabled)',
      'LOCK_IRQ_INCONSISTENT_ON: assertion in do_exit (inconsistent {IN-HARDIRQ-W} -> {HARDIRQ-ON-W} usage)',
      'LOCK_HELD_AT_EXIT: leak in do_exit',
    ]);
  });

  it('in hardirq context: EXITED_IRQS_DISABLED, interrupts left off (no IRQS_ON_IN_HARDIRQ of the model\'s making)', () => {
    const [t] = twoTasks();
    function* body(): KGen<void> { local_irq_save(t); hardirq_enter(t); }
    runToExit(t, body());
    expect([irqs_disabled(t), findingCodes(t)]).toEqual([true, ['EXITED_IRQS_DISABLED', 'LOCK_HELD_AT_EXIT']]);
  });
});

describe('task work at an exit that leaves interrupts disabled', () => {
  it('is EXITED_IRQS_DISABLED after it, interrupts left off', () => {
    const [t] = twoTasks();
    function* work(tt: Task): KGen<void> { local_irq_save(tt); }
    function* body(): KGen<void> { task_work_add(t, work); }
    runToExit(t, body());
    expect([irqs_disabled(t), findingCodes(t)]).toEqual([true, ['EXITED_IRQS_DISABLED']]);
  });
});

describe.each(EXECUTORS)('a sleeping release pending at an exit with interrupts disabled (%s)', (kind) => {
  it('is EXITED_IRQS_DISABLED alone, the same for every seed: the release runs with interrupts on', async () => {
    const results = await runTrials(kind, exitIrqsOffRelease, 3);
    expect(results.map((r) => [r.end, r.findings.map((f) => f.code)])).toEqual(results.map(() => ['done', ['EXITED_IRQS_DISABLED']]));
  });
});

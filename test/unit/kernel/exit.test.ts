// The exit's interrupt enable (kernel/exit.ts exit_irqs_on): a task whose code returns with
// interrupts disabled is EXITED_IRQS_DISABLED once, and has them on before its task work runs, as
// do_exit (after its WARN_ON), make_task_dead and the syscall exit all turn them on;
// local_irq_enable's lockdep marking (lockdep_hardirqs_on) applies to the locks still held, titled
// after do_exit; the preempt count stays, so a held spinlock keeps the exit atomic. Through both
// executors (fixture test/fixtures/exit_irqs_release.ts), a sleeping release pending at such an
// exit is no SLEEP_IN_ATOMIC. Task work that leaves them disabled again is reported after it
// (kernel/exit.ts exit_irqs_left). A task whose code returns in hardirq context is one finding,
// EXITED_IN_INTERRUPT, first (do_exit's WARN_ON, then sleeping in atomic context; the older
// kernels' panic); the model then leaves the handler for it and the exit goes on from process
// context (fixture test/fixtures/exit_in_interrupt.ts, must-find and its clean twin).
import { describe, expect, it } from 'vitest';
import {
  hardirq_enter, hardirq_exit, irqs_disabled, local_irq_save, spin_lock, spin_lock_irqsave, type KGen, type Task,
} from '../../fixtures/kernel.js';
import { in_hardirq } from '../../../src/kernel/preempt.js';
import { task_work_add } from '../../../src/kernel/task_work.js';
import { exitInInterrupt } from '../../fixtures/exit_in_interrupt.js';
import { exitIrqsOffRelease } from '../../fixtures/exit_irqs_release.js';
import { inHardirq, spinlockAlloc } from '../../fixtures/spinlock.js';
import { EXECUTORS, findingTitles, runTrials } from '../../support/both.js';
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

});

describe('a task whose code returns in hardirq context', () => {
  it('is EXITED_IN_INTERRUPT, titled after do_exit, and leaves the handler: no LOCK_HELD_AT_EXIT for the level', () => {
    const [t] = twoTasks();
    function* body(): KGen<void> { hardirq_enter(t); hardirq_enter(t); }
    runToExit(t, body());
    expect([in_hardirq(t), irqs_disabled(t)]).toEqual([false, false]);
    expect(taskFindingTitles(t)).toEqual(['EXITED_IN_INTERRUPT: assertion in do_exit (exit in interrupt context)']);
  });

  it('with interrupts disabled before the handler: EXITED_IN_INTERRUPT first (the handler report before the note), then EXITED_IRQS_DISABLED, interrupts on (no IRQS_ON_IN_HARDIRQ of the model\'s making)', () => {
    const [t] = twoTasks();
    function* body(): KGen<void> { local_irq_save(t); hardirq_enter(t); }
    runToExit(t, body());
    expect([irqs_disabled(t), findingCodes(t)]).toEqual([false, ['EXITED_IN_INTERRUPT', 'EXITED_IRQS_DISABLED']]);
  });

  it('holding a spinlock the handler took: EXITED_IN_INTERRUPT, then LOCK_HELD_AT_EXIT for the lock alone', () => {
    const [t] = twoTasks();
    const a = spinlockAlloc(t, 'exit_in_irq_A');
    function* body(): KGen<void> { hardirq_enter(t); spin_lock(t, a); }
    runToExit(t, body());
    expect(taskFindingTitles(t)).toEqual([
      'EXITED_IN_INTERRUPT: assertion in do_exit (exit in interrupt context)', 'LOCK_HELD_AT_EXIT: leak in do_exit',
    ]);
  });

  it('leaving the handler first is no finding (the clean twin)', () => {
    const [t] = twoTasks();
    function* body(): KGen<void> { hardirq_enter(t); hardirq_exit(t); }
    runToExit(t, body());
    expect(findingCodes(t)).toEqual([]);
  });

  it('a hardirq level a task work leaves open is not EXITED_IN_INTERRUPT (the check precedes exit_task_work): LOCK_HELD_AT_EXIT counts it', () => {
    const [t] = twoTasks();
    function* work(tt: Task): KGen<void> { hardirq_enter(tt); }
    function* body(): KGen<void> { task_work_add(t, work); }
    runToExit(t, body());
    expect(findingCodes(t)).toEqual(['LOCK_HELD_AT_EXIT']);
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

describe.each(EXECUTORS)('a sleeping release pending at an exit in hardirq context (%s)', (kind) => {
  it('must find EXITED_IN_INTERRUPT alone in every trial: the release runs after the model left the handler (no SLEEP_IN_ATOMIC, no leak)', async () => {
    const results = await runTrials(kind, exitInInterrupt, 3, { leakCheck: true });
    expect(results.map((r) => [r.end, r.findings.map((f) => f.code)])).toEqual(results.map(() => ['done', ['EXITED_IN_INTERRUPT']]));
  });

  it('the clean twin, leaving the handler before returning, finds nothing', async () => {
    const results = await runTrials(kind, exitInInterrupt, 3, { leakCheck: true, params: { leave: true } });
    expect(findingTitles(results)).toEqual([]);
  });
});

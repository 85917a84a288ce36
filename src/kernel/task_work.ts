/**
 * task_work (kernel/task_work.c): work a task queues on itself, run on its way back to user mode
 * (TWA_RESUME) or, at the latest, when it exits (exit_task_work). The model's one user is the
 * deferred fput of a dma-buf's last file reference (dma_buf.ts dma_buf_put).
 *
 * Where queued work runs in the model: an actor's code is one long stay in the kernel, so "back
 * to user mode" is the task's next scheduling point at which it holds no lock — no sleeping lock
 * (A_HELD is 0) and no spinlock, nor runs in hardirq context or with interrupts disabled
 * (preemptible(), preempt.ts: the kernel returns to user mode with none of them) —, is in no
 * fence-signalling section (lockdep holds dma_fence_map there) and is not asleep — the point just
 * before its next operation — and, when its code returns first, its exit, whatever it holds then
 * (do_exit runs exit_task_work so). Interrupts left disabled are on by then, on every kernel path
 * (exit.ts exit_irqs_on: EXITED_IRQS_DISABLED, then local_irq_enable, before the work): a
 * release queued with interrupts off and still pending at exit runs preemptible, and may sleep.
 * A hardirq section the code never left is EXITED_IN_INTERRUPT — reported before any work (exit.ts:
 * do_exit's WARN_ON; older kernels panicked there) — and the model leaves it first, so the work
 * never runs in hardirq context.
 * A spinlock still held keeps it atomic (the exit resets no preempt count): a release that may
 * sleep then is SLEEP_IN_ATOMIC (a mutex it takes also lockdep's INVALID_WAIT_CONTEXT), before
 * the exit's own LOCK_HELD_AT_EXIT (exec/resume.ts finishActor), as a kernel would print them.
 * Before the exit, work never runs while the task holds a lock it held when it queued it, nor at a
 * scheduling point reached in atomic context. A model scheduling point is an interleaving point,
 * not a sleep: reaching one in atomic context is no finding of itself, only where the task would
 * sleep there (might_sleep's SLEEP_IN_ATOMIC, schedule_debug's "scheduling while atomic").
 * The work's own scheduling points are the task's: executors step a task only through
 * task_step, and see the work's pending operations as the task's, so inline, controlled and
 * stress run it alike and a schedule replays. The task's own code resumes, at the operation it
 * was about to run, once every queued work (including work queued meanwhile) has returned.
 * Order, as task_work_run's: the works queued when a run starts go newest first (task_work_add
 * pushes at the head of the list, which the run walks as it is), then those queued meanwhile, in
 * the same way.
 *
 * fput (fs/file_table.c) queues task work only from process context of a user task. From
 * interrupt context (in_interrupt()) or a kernel thread it goes to delayed_fput_list instead,
 * which schedule_delayed_work hands to a kworker: __fput in process context, holding nothing.
 * The model's interrupt context is hardirq, and a last put happens there: dma_buf_poll_cb run by
 * a fence an interrupt handler signals (the DMA engine's completion, irq_work's signal of a fence
 * container; dma_buf.ts dma_buf_put_deferred). The model has no kworker actor: the interrupted
 * task's task work stands in for it — the release runs once that task is out of hardirq,
 * preemptible and outside every lock and signalling section (process context, holding nothing),
 * or at its exit, hardirq left first: never in interrupt context, and before the trial's leak
 * check, which follows every exit. Where the stand-in differs: the release waits while that task
 * sleeps (a kworker runs it within a jiffy), and an exit still holding a spinlock runs it atomic
 * (__fput's might_sleep reports it; a kworker's would not). The model has no kernel-thread
 * (PF_KTHREAD) distinction: a driver worker actor's last put (e.g. a poll callback of a fence it
 * signals) takes the same task-work stand-in, where the kernel's kthread would take delayed_fput.
 */
import { ACTOR_BLOCKED, A_SIGNALLING, A_STATE } from '../shm/layout.js';
import { exit_irqs_on } from './exit.js';
import { preemptible } from './preempt.js';
import type { Task } from './task.js';
import type { KGen } from './types.js';

/** A queued callback: runs in the task that queued it, as a generator of its scheduling points. */
export type TaskWork = (t: Task) => KGen<void>;

/** The task_works list of one task (task_struct->task_works) and the run in progress. */
export class TaskWorks {
  /** Queued since the run in progress took its list (or since the last run), oldest first. */
  readonly queue: TaskWork[] = [];
  /** The list the run in progress took, in the order it runs them (newest queued first). */
  readonly batch: TaskWork[] = [];
  /** The work running now, between two of the task's steps. */
  running: KGen<void> | undefined = undefined;
  /** What the task's own code yielded (or returned) when the works began to run: handed to the
   *  executor once they are done. */
  parked: IteratorResult<number, unknown> | undefined = undefined;

  /** Forget what an ended trial left: its task is gone, and its work with it. */
  clear(): void {
    this.queue.length = 0;
    this.batch.length = 0;
    this.running = undefined;
    this.parked = undefined;
  }
}

/**
 * task_work_add(current, work, TWA_RESUME): queue `work` on `t`. Any context of `t`'s own code
 * (locks may be held: that is what the deferral is for).
 */
export function task_work_add(t: Task, work: TaskWork): void {
  t.works.queue.push(work);
}

/**
 * The next step of task `t`, whose code is `gen`: gen.next(), unless work is queued and `t` is
 * returning to user mode (see above) or exiting — then the works run first, and the result is
 * theirs until they are done, after which the task's own yield (or return) is handed over. When
 * the code returns, exit_irqs_on runs first (once: the code is not stepped again).
 * Throws what the task's code or its work throws. Called by the executors in place of gen.next().
 */
export function task_step(t: Task, gen: KGen<unknown>): IteratorResult<number, unknown> {
  const w = t.works;
  if (w.running === undefined) {
    const r = gen.next();
    if (r.done === true) exit_irqs_on(t);
    if (w.queue.length === 0 || (r.done !== true && !returningToUser(t))) return r;
    w.parked = r;
  }
  return task_work_run(t, w);
}

/** At a scheduling point, the task is outside every lock and signalling section, preemptible and
 *  not asleep. */
function returningToUser(t: Task): boolean {
  return inKernelSection(t) === false && t.i32[t.base + A_STATE] !== ACTOR_BLOCKED;
}

/**
 * Whether `t` holds a lock — a sleeping one or a spinlock —, runs in hardirq context, has
 * interrupts disabled (not preemptible(), preempt.ts) or is inside a fence-signalling section
 * (dma_fence_begin_signalling): a task in any of them cannot be on its way back to user mode, so
 * work it queues waits (dma_buf_put). Context: `t` itself; reads its own words only.
 */
export function inKernelSection(t: Task): boolean {
  return t.held() > 0 || t.i32[t.base + A_SIGNALLING]! > 0 || !preemptible(t);
}

/** Run the queued works to the next scheduling point of one of them, or to the end of all. */
function task_work_run(t: Task, w: TaskWorks): IteratorResult<number, unknown> {
  for (;;) {
    if (w.running === undefined) {
      if (w.batch.length === 0) w.batch.push(...w.queue.splice(0).reverse());
      const next = w.batch.shift();
      if (next === undefined) {
        const parked = w.parked!;
        w.parked = undefined;
        return parked;
      }
      w.running = next(t);
    }
    const r = w.running.next();
    if (r.done !== true) return r;
    w.running = undefined;
  }
}

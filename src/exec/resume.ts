/**
 * Resuming an actor for one step, the same in every executor: run its generator to the next
 * yield — or the task work it queued, at its return to user mode or exit (kernel/task_work.ts
 * task_step) —, store the pending op, or mark it done; a kernel BUG or a throw ends the trial as
 * a finding (code of a module the scenario does not list ends it as bad input instead).
 */
import type { Arena } from '../shm/arena.js';
import {
  ACTOR_DONE, A_OP, A_SPIN, A_STATE, C_DONE, C_END_DETAIL, TRIAL_BUG, TRIAL_CRASH, packOp,
} from '../shm/layout.js';
import { EV_DONE } from '../trace/ops.js';
import type { Task } from '../kernel/task.js';
import { task_step } from '../kernel/task_work.js';
import { exit_irqs_left } from '../kernel/exit.js';
import { KernelOops } from '../kernel/warn.js';
import { isModuleNotLoaded } from '../kernel/module/this_module.js';
import type { KGen } from '../kernel/types.js';
import { endTrial } from './step.js';

export const RESUMED = 0;
export const FINISHED = 1;
export const FAILED = 2;

/** Run `gen` (the actor of `t`) to its next yield, its queued task work first when due; done
 *  once its code returned and its task work ran (exit_task_work). Returns RESUMED, FINISHED or
 *  FAILED; what `crash` throws (failTrial: ModuleNotLoaded) propagates. */
export function resumeActor(t: Task, gen: KGen<unknown>, crash: (t: Task, err: unknown) => void): number {
  let r: IteratorResult<number, unknown>;
  try {
    r = task_step(t, gen);
  } catch (err) {
    crash(t, err);
    return FAILED;
  }
  if (r.done !== true) {
    t.i32[t.base + A_OP] = r.value;
    return RESUMED;
  }
  finishActor(t);
  return FINISHED;
}

/**
 * Mark `t` done. Exiting with locks held — mutexes and ww_mutexes (A_HELD) or spinlocks (A_SPIN:
 * a spinlock_t, or a model lock a callback left taken) — is lockdep's debug_check_no_locks_held at
 * do_exit: LOCK_HELD_AT_EXIT, aux the number held (a hardirq level a task work left open counts,
 * as it does in A_SPIN; the code's own were reported and left at its return, exit_irqs_on). The
 * locks stay held, as the kernel leaves them: another task spinning on one ends in
 * SPINLOCK_LOCKUP. Interrupts the code left disabled were reported and turned on when it
 * returned, before its task work ran (kernel/exit.ts exit_irqs_on), as every kernel exit path
 * does; those a task work left disabled are reported here (exit_irqs_left), before the locks.
 */
export function finishActor(t: Task): void {
  exit_irqs_left(t);
  const held = t.held() + t.i32[t.base + A_SPIN]!;
  if (held > 0) t.warn('LOCK_HELD_AT_EXIT', held);
  t.trace(packOp(EV_DONE, 0));
  Atomics.store(t.i32, t.base + A_STATE, ACTOR_DONE);
  Atomics.add(t.i32, t.ctl + C_DONE, 1);
}

/**
 * End the trial for an actor that failed: a KernelOops is a BUG (its finding is already
 * recorded), anything else a crash. Returns the message for the report — except for code of a
 * module the scenario does not list (ModuleNotLoaded): bad input, not a finding, so the error is
 * rethrown once the trial is ended, for the executor to refuse the scenario (modules.ts refusalOf).
 */
export function failTrial(a: Arena, t: Task, err: unknown): string {
  const oops = err instanceof KernelOops;
  endTrial(a, oops ? TRIAL_BUG : TRIAL_CRASH, t.id, oops ? err.code : 0);
  if (oops) a.setCtl(C_END_DETAIL, err.code);
  if (isModuleNotLoaded(err)) throw err;
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

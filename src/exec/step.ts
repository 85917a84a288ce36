/**
 * The scheduling step shared by the inline and controlled executors: whoever holds the turn asks
 * `decide` who runs next. It computes the runnable set from the arena, lets the strategy pick,
 * checks a replayed decision against what the actor has pending, logs the decision and fires a
 * chosen timeout. Ending a trial is `endTrial`, the only writer of C_STATE besides the reset.
 */
import { futexWake } from '../shm/futex.js';
import type { Arena } from '../shm/arena.js';
import {
  A_OP, C_DIVERGE_OP, C_DONE, C_END_ACTOR, C_END_DETAIL, C_NACTORS, C_REPLAY_LEN,
  C_STATE, C_STEP, C_STEP_LIMIT, D_ACTOR, D_OP, TRIAL_DEADLOCK, TRIAL_DIVERGED, TRIAL_DONE,
  TRIAL_RUNNING, TRIAL_STEP_LIMIT,
} from '../shm/layout.js';
import type { Scheduler } from '../sched/scheduler.js';
import { fireTimeoutIfChosen, runnableMask } from '../kernel/wait.js';

/**
 * Pick the next actor after `current` yielded (-1 before the first step). Returns the actor, or
 * ends the trial (all done, deadlock, step bound, replay divergence) and returns -1.
 * Precondition: the caller holds the turn and the trial is RUNNING.
 */
export function decide(a: Arena, sched: Scheduler, current: number): number {
  const h = a.i32;
  const c = a.layout.control;
  const step = h[c + C_STEP]!;
  const n = h[c + C_NACTORS]!;
  const mask = runnableMask(a, n);
  if (mask === 0) {
    endTrial(a, h[c + C_DONE] === n ? TRIAL_DONE : TRIAL_DEADLOCK, current, step);
    return -1;
  }
  if (step >= h[c + C_STEP_LIMIT]!) { endTrial(a, TRIAL_STEP_LIMIT, current, step); return -1; }
  const next = sched.pick(mask, current, step);
  const pending = h[a.actor(next) + A_OP]!;
  const replayLen = h[c + C_REPLAY_LEN]!;
  if (replayLen > 0) {
    if (!replayMatches(a, step, replayLen, mask, next, pending)) return -1;
  } else if (step < a.geometry.decisions) {
    const d = a.decision(step);
    h[d + D_ACTOR] = next;
    h[d + D_OP] = pending;
  }
  h[c + C_STEP] = step + 1;
  fireTimeoutIfChosen(a, next);
  return next;
}

function replayMatches(a: Arena, step: number, len: number, mask: number, next: number, pending: number): boolean {
  const d = a.decision(step);
  const ok = step < len && next >= 0 && (mask & (1 << next)) !== 0 && a.i32[d + D_OP] === pending;
  if (!ok) {
    a.setCtl(C_DIVERGE_OP, step < len ? a.i32[d + D_OP]! : 0);
    endTrial(a, TRIAL_DIVERGED, next, step);
  }
  return ok;
}

/**
 * End the running trial with `state` (first writer wins), recording who/what ended it, and wake
 * the main thread waiting on C_STATE. Returns false when the trial had already ended.
 */
export function endTrial(a: Arena, state: number, actor: number, detail: number): boolean {
  const h = a.i32;
  const c = a.layout.control;
  if (Atomics.compareExchange(h, c + C_STATE, TRIAL_RUNNING, state) !== TRIAL_RUNNING) return false;
  h[c + C_END_ACTOR] = actor;
  h[c + C_END_DETAIL] = detail;
  futexWake(h, c + C_STATE, 0x7fffffff);
  return true;
}

/**
 * Let the strategy learn from the trial that just ended — unless it ran into the step bound: a
 * livelocked trial's step count says nothing about the scenario and would blunt PCT for good.
 */
export function endSchedule(a: Arena, sched: Scheduler): void {
  if (a.ctl(C_STATE) !== TRIAL_STEP_LIMIT) sched.end(a.ctl(C_STEP));
}

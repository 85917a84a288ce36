/**
 * The scheduling step shared by the inline and controlled executors, in two halves: whoever holds
 * the turn asks `decide` who runs next (runnable set, the strategy's pick, the replay's bounds),
 * and the chosen actor `admit`s itself (takes the step, logs or checks the decision with its own
 * pending op, fires a chosen timeout). Ending a trial is `endTrial`, the only writer of C_STATE
 * besides the reset.
 */
import { futexWake } from '../shm/futex.js';
import type { Arena } from '../shm/arena.js';
import {
  ACTOR_BLOCKED, A_OP, A_STATE, C_DIVERGE_OP, C_DONE, C_END_ACTOR, C_END_DETAIL, C_NACTORS,
  C_REPLAY_LEN, C_STATE, C_STEP, C_STEP_LIMIT, C_TURN, D_ACTOR, D_OP, TRIAL_DEADLOCK,
  TRIAL_DIVERGED, TRIAL_DONE, TRIAL_RUNNING, TRIAL_STEP_LIMIT,
} from '../shm/layout.js';
import type { Scheduler } from '../sched/scheduler.js';
import { fireTimeoutIfChosen, runnableMask } from '../kernel/wait.js';

/**
 * Pick the next actor after `current` yielded (-1 before the first step): the decider's half of
 * decision C_STEP. Returns the actor, or ends the trial (all done, deadlock, step bound, a replay
 * that ran out or names an actor that cannot run) and returns -1. The chosen actor completes the
 * decision with `admit` before it runs: the executors call `admit` on the thread that runs it, so
 * the decider reads nothing the chosen actor writes at every step.
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
  const replayLen = h[c + C_REPLAY_LEN]!;
  if (replayLen > 0 && !(step < replayLen && next >= 0 && (mask & (1 << next)) !== 0)) {
    diverge(a, step, replayLen, next);
    return -1;
  }
  return next;
}

/**
 * The chosen actor's half of decision `step`: it logs the decision with its pending op — or,
 * replaying, checks that op against the recorded one — takes the turn (C_STEP = step + 1, C_TURN)
 * and, when it was chosen as a timed sleeper whose condition does not hold, fires its timeout.
 * Returns false when the replay diverged (the trial has ended). Precondition: `decide` returned
 * `actor` for `step` and the trial is RUNNING.
 */
export function admit(a: Arena, actor: number, step: number): boolean {
  const h = a.i32;
  const c = a.layout.control;
  const b = a.actor(actor);
  const pending = h[b + A_OP]!;
  const replayLen = h[c + C_REPLAY_LEN]!;
  if (replayLen > 0) {
    if (h[a.decision(step) + D_OP] !== pending) { diverge(a, step, replayLen, actor); return false; }
  } else if (step < a.geometry.decisions) {
    const d = a.decision(step);
    h[d + D_ACTOR] = actor;
    h[d + D_OP] = pending;
  }
  h[c + C_STEP] = step + 1;
  h[c + C_TURN] = actor;
  if (h[b + A_STATE] === ACTOR_BLOCKED) fireTimeoutIfChosen(a, actor);
  return true;
}

/** End the trial as diverged from the replayed schedule at `step`, recording the expected op. */
function diverge(a: Arena, step: number, len: number, actor: number): void {
  a.setCtl(C_DIVERGE_OP, step < len ? a.i32[a.decision(step) + D_OP]! : 0);
  endTrial(a, TRIAL_DIVERGED, actor, step);
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

/**
 * The Scheduler interface. A strategy is a stateless object built from a spec string; ALL of its
 * mutable state lives in the arena's scheduler region, because under the `controlled` executor
 * each decision is made by whichever actor thread just yielded. Words [0, SCHED_PERSIST) of that
 * region are per-trial (zeroed by the arena reset; `begin` initialises them); words
 * [SCHED_PERSIST, SCHED_WORDS) survive resets and hold learned parameters (PCT's step estimate).
 */

export interface SchedViews {
  /** The arena scheduler region, SCHED_WORDS long. */
  readonly state: Int32Array;
  /** The arena decision log: per decision `[actor, packedOp]` (DECISION_WORDS = 2). */
  readonly decisions: Int32Array;
  /** The op actor `actor` has pending (packOp(op, obj)): what it would do if picked now. */
  readonly pending: (actor: number) => number;
  /**
   * The ww_mutex id of reservation object `resv` (its R_LOCK word): one shared object to a
   * strategy that relates a resv's ops to its lock's (POS). Pre: `resv` names an initialised
   * dma_resv of the trial (a resv op's object). Any thread; reads the arena, changes nothing.
   */
  readonly resvLock: (resv: number) => number;
  /**
   * The fence handle of the completion fence of DMA job `job`'s run that the engine started last
   * (its JB_RUN_FENCE word: the handle a fence op on that fence packs) — the run every engine op
   * naming `job` belongs to, pending or not: a resubmit's new fence counts from the engine's start
   * of the new run, so the previous run's leftover (its dma-speculative point) still names the
   * previous fence. -1 when `job` names no submitted job of the trial (beyond the job table, or a
   * free row), one the engine has not started yet, or one whose run's fence is released (its
   * handle stale: a fence reusing the row is another object). One shared object to a strategy that
   * relates the engine's bursts of a job to the waits on its fence (POS). Pre: none (any job id).
   * Any thread; reads the arena, changes nothing.
   */
  readonly jobFence: (job: number) => number;
}

export interface Scheduler {
  /** The spec this strategy was built from, e.g. `pct:3`. */
  readonly name: string;
  /**
   * Prepare a trial. Called once per trial after the arena reset and before the first `pick`,
   * with the trial's seed and actor count (1..31).
   */
  begin(seed: number, actors: number): void;
  /**
   * Choose the actor to run next. `runnable` is a non-empty bitmask of actors that may run;
   * `current` is the actor that just yielded (-1 before the first decision); `step` is the number
   * of decisions made so far this trial. Must return an actor whose bit is set in `runnable`,
   * except the replay strategy, which returns the recorded actor (the executor checks it).
   */
  pick(runnable: number, current: number, step: number): number;
  /** The trial ended after `steps` decisions; strategies may learn from it. */
  end(steps: number): void;
  /**
   * The trial in progress was stopped before its end and runs again from its start (the inline
   * executor's rerun of a trial starved of a CPU, starved_rerun.ts): the next `begin` must follow
   * the schedule this one followed. Absent where `begin` already makes a trial a function of its
   * seed (all state per-trial in the arena); learned state is unchanged: the trial did not end.
   */
  restart?(): void;
}

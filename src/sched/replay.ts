/**
 * Replay: follow a recorded schedule. The executor loads the schedule into the decision log,
 * sets the replay length, and checks each recorded `(actor, op)` against what the actor now has
 * pending (divergence) and the length bound; this strategy does no checking of its own.
 */
import type { Scheduler, SchedViews } from './scheduler.js';
import { D_ACTOR, DECISION_WORDS } from '../shm/layout.js';

export class ReplayScheduler implements Scheduler {
  readonly name = 'replay';
  private readonly d: Int32Array;

  constructor(views: SchedViews) {
    this.d = views.decisions;
  }

  begin(_seed: number, _actors: number): void {
    // The schedule is the state.
  }

  /**
   * The actor recorded for decision `step`, whether or not it is in `runnable`; -1 when `step`
   * lies beyond the decision log's capacity.
   */
  pick(_runnable: number, _current: number, step: number): number {
    return this.d[step * DECISION_WORDS + D_ACTOR] ?? -1;
  }

  end(_steps: number): void {
    // Nothing to learn.
  }
}

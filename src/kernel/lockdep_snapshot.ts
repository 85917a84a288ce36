/**
 * A copy of an arena's lock-dependency validator region (lockdep_layout.ts) to put back later:
 * for an executor that runs a trial again as if its first run had never happened
 * (exec/carried_state.ts). The region outlives trial resets, so a run that is thrown away would
 * otherwise leave its classes, dependencies and held stacks behind for the next.
 *
 * The class, matrix and edge tables — nearly all of the region — change only after LD_WRITES is
 * bumped (lockdep_claim.ts claimWord, lockdep_graph.ts addEdge), which is rare once the validator
 * has seen a scenario's locks: `take` copies them only when LD_WRITES differs from the copy's,
 * and otherwise only the header and the held stacks (a few hundred words), so a copy before
 * every trial costs little beside the trial.
 *
 * Context: the thread that runs the arena's trials, between them; no other thread uses the
 * validator meanwhile (an inline executor's arena).
 */
import { ENOENT } from '../errno/errno.js';
import type { Arena } from '../shm/arena.js';
import { LD_WRITES, lockdepLayout } from './lockdep_layout.js';
import { lockdepSeenForget } from './lockdep_seen.js';

export class LockdepSnapshot {
  private readonly saved: Int32Array;
  /** The whole region, and its header and held stacks (views made once: a take allocates
   *  nothing). */
  private readonly region: Int32Array;
  private readonly head: Int32Array;
  /** LD_WRITES's index in the region. */
  private readonly writes: number;
  /** `saved` holds the whole region as of the last `take`. */
  private taken = false;

  constructor(arena: Arena) {
    const { lockdep, lockdepWords } = arena.layout;
    const ld = lockdepLayout(arena);
    this.saved = new Int32Array(lockdepWords);
    this.region = arena.i32.subarray(lockdep, lockdep + lockdepWords);
    this.head = arena.i32.subarray(lockdep, ld.classTable);
    this.writes = ld.hdr(LD_WRITES) - lockdep;
  }

  /** Copy the region as it is now (its tables only when LD_WRITES moved since the last copy). */
  take(): void {
    const same = this.taken && this.saved[this.writes] === this.region[this.writes];
    this.saved.set(same ? this.head : this.region, 0);
    this.taken = true;
  }

  /**
   * Put the region back as the last `take` copied it, and forget what this thread had seen of
   * the table (lockdep_seen.ts): it may have seen classes the copy does not hold. Returns 0, or
   * -ENOENT when nothing was taken yet (the region is left alone).
   */
  restore(): number {
    if (!this.taken) return -ENOENT;
    this.region.set(this.saved);
    lockdepSeenForget();
    return 0;
  }
}

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
  private readonly arena: Arena;
  private readonly saved: Int32Array;
  /** `saved` holds the whole region as of the last `take`. */
  private taken = false;

  constructor(arena: Arena) {
    this.arena = arena;
    this.saved = new Int32Array(arena.layout.lockdepWords);
  }

  /** Copy the region as it is now (its tables only when LD_WRITES moved since the last copy). */
  take(): void {
    const { lockdep, lockdepWords } = this.arena.layout;
    const ld = lockdepLayout(this.arena);
    const h = this.arena.i32;
    const same = this.taken && this.saved[ld.hdr(LD_WRITES) - lockdep] === h[ld.hdr(LD_WRITES)];
    const end = same ? ld.classTable : lockdep + lockdepWords;
    this.saved.set(h.subarray(lockdep, end), 0);
    this.taken = true;
  }

  /**
   * Put the region back as the last `take` copied it, and forget what this thread had seen of
   * the table (lockdep_seen.ts): it may have seen classes the copy does not hold. Returns 0, or
   * -ENOENT when nothing was taken yet (the region is left alone).
   */
  restore(): number {
    if (!this.taken) return -ENOENT;
    const { lockdep } = this.arena.layout;
    this.arena.i32.set(this.saved, lockdep);
    lockdepSeenForget();
    return 0;
  }
}

/**
 * What an inline executor's arena carries from one trial into the next, kept aside so a trial the
 * watchdog stopped can run again as if it had never started (starved_rerun.ts). A trial reset
 * (Arena.resetTrial) zeroes every per-trial table but leaves, by design, the lock-dependency
 * validator's region (lockdep learns across trials, as the kernel's does: a cycle is reported
 * when the edge closing it is added, so a stopped attempt that added it would leave the rerun
 * nothing to report), the trial counter C_TRIAL (each reset bumps it; lockdep records it with
 * edges, held stacks and claims) and the scheduler's learned words from SCHED_PERSIST on. Those
 * are copied here before an attempt and put back before its rerun; this thread's lockdep memo
 * (lockdep_seen.ts) is forgotten with them (kernel/lockdep_snapshot.ts). The decision log and the
 * trace rings also outlive a reset, but each trial rewrites them from their start (prepareTrial
 * loads a replay again).
 *
 * Context: the thread that runs the arena's inline trials, between attempts (no attempt
 * running); no other thread uses the arena (the inline executor's own).
 */
import { LockdepSnapshot } from '../kernel/lockdep_snapshot.js';
import type { Arena } from '../shm/arena.js';
import { C_TRIAL, SCHED_PERSIST, SCHED_WORDS } from '../shm/layout.js';

export class CarriedState {
  private readonly arena: Arena;
  private readonly lockdep: LockdepSnapshot;
  /** The scheduler's learned words (a view made once) and their copy. */
  private readonly learned: Int32Array;
  private readonly sched = new Int32Array(SCHED_WORDS - SCHED_PERSIST);
  private trial = 0;

  constructor(arena: Arena) {
    const { sched } = arena.layout;
    this.arena = arena;
    this.lockdep = new LockdepSnapshot(arena);
    this.learned = arena.i32.subarray(sched + SCHED_PERSIST, sched + SCHED_WORDS);
  }

  /** Copy what the next trial may change and later trials see (the lockdep tables only when
   *  they changed since the last copy: a few hundred words otherwise). Allocates nothing. */
  take(): void {
    this.lockdep.take();
    this.sched.set(this.learned);
    this.trial = this.arena.ctl(C_TRIAL);
  }

  /** Put back what the last `take` copied. Returns 0, or -ENOENT when nothing was taken yet
   *  (the arena is left alone). */
  restore(): number {
    const r = this.lockdep.restore();
    if (r !== 0) return r;
    this.learned.set(this.sched);
    this.arena.setCtl(C_TRIAL, this.trial);
    return 0;
  }
}

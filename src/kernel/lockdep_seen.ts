/**
 * What this thread has seen published in one arena's lock-class table (lockdep_class.ts): that
 * the table is primed, the acquire class of each ww_class, the two classes an allocation's
 * annotation takes (fs_reclaim, the mmu notifier map: lockdep_map.ts), and the fence lock's class
 * of each fence ops (spinlock_fence.ts). A published class slot never
 * changes until lockdepRestart zeroes the table, which calls lockdepSeenForget; so a lookup this
 * thread has made once is answered again without the atomic reads of ensurePrimed and classSlot.
 * That lookup is the one ww_mutex_lock makes through a context at every attempt (lockdepCtxNest),
 * the reclaim classes the one every reclaiming allocation makes (might_alloc), and the fence lock
 * classes the one every fence lock makes.
 *
 * Thread-local, like lockdepLayout's cache: the memo belongs to the LockdepLayout it was made
 * for, and a thread that turns to another arena (another LockdepLayout object) starts an empty
 * one. Only published results are noted, and a fence lock class the table refused (0: it was
 * full) — a full table stays full until it is zeroed or put back (lockdepRestart, LockdepSnapshot
 * restore), both of which forget the memo; any other class the table could not hold is looked up
 * again.
 *
 * No thread answers from a memo of a table that was zeroed since: a table starts zeroed only in a
 * new arena — one made on a pooled buffer (shm/arena_pool.ts) or attached by a worker computes a
 * Layout of its own, so gets a LockdepLayout, and an empty memo, of its own — and is zeroed
 * otherwise only by lockdepRestart, which forgets this thread's memo and is used only on an
 * arena no other thread runs on (shrink's inline executor; its precondition). Restarting an arena
 * whose validator worker threads use (controlled, stress) would need a restart generation in the
 * table, read at each lookup.
 */
import type { LockdepLayout } from './lockdep_layout.js';

let seenFor: LockdepLayout | null = null;
let primed = false;
/** Acquire classes by ww_class id; 0 or a hole: not seen. */
const acquire: number[] = [];
/** fs_reclaim's class, then the mmu notifier map's; 0s: not seen. */
const reclaim: [number, number] = [0, 0];
/** Fence lock classes by F_OPS word (spinlock_fence.ts), 0 a refusal; absent: not seen. */
const fenceLock = new Map<number, number>();

/** Make the memo `ld`'s, emptied when it was another arena's. */
function own(ld: LockdepLayout): void {
  if (ld === seenFor) return;
  seenFor = ld;
  clear();
}

/** Empty the memo (its owner is the caller's to set). */
function clear(): void {
  primed = false;
  acquire.length = 0;
  reclaim[0] = 0;
  reclaim[1] = 0;
  fenceLock.clear();
}

/** Whether this thread has seen `ld`'s table primed. */
export function seenPrimed(ld: LockdepLayout): boolean {
  return ld === seenFor && primed;
}

/** This thread saw `ld`'s table primed (LD_PRIMED, read atomically or written by itself). */
export function notePrimed(ld: LockdepLayout): void {
  own(ld);
  primed = true;
}

/** The acquire class of ww_class `wwClass` this thread has seen published in `ld`, 0 when none. */
export function seenAcquireClass(ld: LockdepLayout, wwClass: number): number {
  return ld === seenFor ? acquire[wwClass] ?? 0 : 0;
}

/** This thread found class `c` (published, non-zero) as ww_class `wwClass`'s acquire class in
 *  `ld`. */
export function noteAcquireClass(ld: LockdepLayout, wwClass: number, c: number): void {
  own(ld);
  acquire[wwClass] = c;
}

/** The reclaim classes [fs_reclaim, mmu notifier map] this thread has seen in `ld`, null when not.
 *  The pair is the memo's own: read it, never keep or change it. */
export function seenReclaimClasses(ld: LockdepLayout): readonly [number, number] | null {
  return ld === seenFor && reclaim[0] !== 0 ? reclaim : null;
}

/** This thread found the reclaim classes `fs` and `mmu` (published, non-zero) in `ld`. */
export function noteReclaimClasses(ld: LockdepLayout, fs: number, mmu: number): void {
  own(ld);
  reclaim[0] = fs;
  reclaim[1] = mmu;
}

/** seenFenceLockClass's answer for a word this thread has not looked up in the table. */
export const FENCE_CLASS_UNSEEN = -1;

/** The fence lock class of F_OPS word `word` this thread has seen in `ld` (0: the table refused
 *  it), FENCE_CLASS_UNSEEN when it has not looked. */
export function seenFenceLockClass(ld: LockdepLayout, word: number): number {
  return ld === seenFor ? fenceLock.get(word) ?? FENCE_CLASS_UNSEEN : FENCE_CLASS_UNSEEN;
}

/** This thread found class `c` (published; 0: the table was full) as the lock class of fences
 *  with F_OPS word `word` in `ld`. */
export function noteFenceLockClass(ld: LockdepLayout, word: number, c: number): void {
  own(ld);
  fenceLock.set(word, c);
}

/** Forget everything seen: the table was zeroed (lockdepRestart) or put back (LockdepSnapshot). */
export function lockdepSeenForget(): void {
  seenFor = null;
  clear();
}

/**
 * Plain data describing a recorded lock-class dependency cycle: what kernel/lockdep_circular.ts
 * reads from the arena after a trial and check/lockdep_report.ts formats as lockdep's
 * print_circular_bug text. Defined here (trace/) because both kernel/ and check/ may import it
 * and it describes recorded lock events; it holds names and positions only, no arena offsets.
 */

/** One dependency "`to` was acquired while `from` was held". */
export interface LockdepEdgeInfo {
  readonly from: string;
  readonly to: string;
  /** Actor that first took `to` while holding `from`; null when primed at boot
   *  (dma_resv_lockdep). */
  readonly actor: string | null;
  /** Trial generation (1 = the executor's first trial) and decision step when first seen. */
  readonly trial: number;
  readonly step: number;
  /** The held and the acquired lock instances (`lock#3`, `fence#2`), '' for a pseudo lock. */
  readonly fromLock: string;
  readonly toLock: string;
}

/** A circular-locking finding: the acquisition that closed a cycle and the chain it closed. */
export interface CircularLockingInfo {
  /** The task whose acquisition closed the cycle. */
  readonly task: string;
  /** The acquiring function (ww_mutex_lock, mutex_lock, dma_fence_wait …). */
  readonly fn: string;
  /** Class of the lock being acquired and the instance. */
  readonly acquiring: string;
  readonly acquiringLock: string;
  /** Class of the held lock the new dependency starts from, the instance, and whether it is
   *  held as a recursive read (a fence signalling section holds dma_fence_map so). */
  readonly holding: string;
  readonly holdingLock: string;
  readonly holdingRead: boolean;
  /** The existing chain from `acquiring` to `holding`, shortest first seen: chain[0].from is
   *  `acquiring`, the last element's `to` is `holding`. */
  readonly chain: readonly LockdepEdgeInfo[];
  /** The dependency being added: holding → acquiring. */
  readonly added: LockdepEdgeInfo;
}

/** A lock class as another arena can find it again: its key (the stable name hash, or the numeric
 *  key given at init), whether the key is a name, and its LCF_* flags. */
export interface LockdepClassRef {
  readonly key: number;
  readonly named: boolean;
  readonly flags: number;
}

/**
 * A recorded dependency as data that outlives its arena: the classes, and the first-seen record
 * (actor index, trial generation, step, held and acquired lock refs). A circular-locking finding
 * carries its chain so; a replay primes a fresh arena with it.
 */
export interface LockdepDep {
  readonly from: LockdepClassRef;
  readonly to: LockdepClassRef;
  readonly actor: number;
  readonly trial: number;
  readonly step: number;
  readonly fromRef: number;
  readonly toRef: number;
}

/** A lock class's irq usage as lockdep names it: used in hardirq, taken with interrupts on. */
export type LockdepUsageName = 'IN-HARDIRQ-W' | 'HARDIRQ-ON-W';

/**
 * A class's usage bit as data that outlives its arena: the class, the usage, and who set it first
 * (actor index, -1: unknown) in which trial generation. A finding whose report rests on usage set
 * in earlier trials carries it so; a replay primes a fresh arena with it.
 */
export interface LockdepUsage {
  readonly class: LockdepClassRef;
  readonly usage: LockdepUsageName;
  readonly actor: number;
  readonly trial: number;
}

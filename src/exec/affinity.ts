/**
 * CPU affinity for actor threads: pin the calling thread to one CPU. Node has no API for it, so
 * this runs `taskset -pc CPU TID` (util-linux) on the thread's own id, read from
 * /proc/thread-self. Used where a figure must not depend on where the OS (or, in a VM, the host)
 * happens to place threads: with threads ≤ CPUs, two spinning threads the kernel put on one CPU
 * hand over at a fraction of their rate (docs/BENCHMARKS.md).
 *
 * Pinning is best effort: where /proc/thread-self or taskset is missing (not Linux, a minimal
 * image) the thread stays where it is and `pinThisThread` says so; callers report it, never fail.
 */
import { execFileSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** Per thread: the CPU this thread was pinned to, or -1. */
let pinnedTo = -1;
/** Per thread: set once pinning failed here, so later calls do not retry a missing tool. */
let unavailable = false;

/**
 * Pin the calling thread to CPU `cpu % availableParallelism()`. Returns true when the thread now
 * runs only there (also when it already did), false when pinning is unavailable. Costs a process
 * spawn (a few ms) the first time per thread and CPU.
 */
export function pinThisThread(cpu: number): boolean {
  const target = cpu % availableParallelism();
  if (pinnedTo === target) return true;
  if (unavailable) return false;
  try {
    const tid = readlinkSync('/proc/thread-self').split('/').pop();
    execFileSync('taskset', ['-pc', String(target), String(tid)], { stdio: 'ignore', timeout: 2000 });
    pinnedTo = target;
    return true;
  } catch {
    unavailable = true;
    return false;
  }
}

/** Whether pinning can work here: /proc/thread-self exists and taskset runs (it only reads this
 *  process's affinity). */
export function canPin(): boolean {
  try {
    readlinkSync('/proc/thread-self');
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore', timeout: 2000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Pin the calling thread to the next CPU in turn: `seq` is a shared counter (one Int32 word) that
 * every thread of one pool increments once, so the pool's threads spread over the CPUs in the
 * order they first call this. Later calls from the same thread keep its CPU. Returns as
 * pinThisThread.
 */
export function pinInTurn(seq: SharedArrayBuffer): boolean {
  if (pinnedTo >= 0) return true;
  if (unavailable) return false;
  return pinThisThread(Atomics.add(new Int32Array(seq), 0, 1));
}

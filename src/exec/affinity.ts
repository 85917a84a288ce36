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
import { readFileSync, readlinkSync } from 'node:fs';

/** Per thread: the CPU this thread was pinned to, or -1. */
let pinnedTo = -1;
/** Per thread: set once pinning failed here, so later calls do not retry a missing tool. */
let unavailable = false;

/**
 * The CPUs in a kernel CPU list ("0-3,8,10-11", as /proc's Cpus_allowed_list and cpuset files
 * write it), in order; [] for anything else.
 */
export function parseCpuList(list: string): number[] {
  const out: number[] = [];
  for (const part of list.trim().split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (m === null) return [];
    for (let c = Number(m[1]); c <= Number(m[2] ?? m[1]); c++) out.push(c);
  }
  return out;
}

/** The CPUs this process may run on (read once; [0] where /proc does not say). */
let allowed: number[] | undefined;
function allowedCpus(): number[] {
  if (allowed === undefined) {
    let list: number[] = [];
    try {
      list = parseCpuList(/Cpus_allowed_list:\s*(\S+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '');
    } catch { /* not Linux: pinning is unavailable anyway */ }
    allowed = list.length > 0 ? list : [0];
  }
  return allowed;
}

/**
 * Pin the calling thread to the `i`-th CPU this process may run on, modulo their count (so on a
 * machine or cgroup limited to CPUs 4-5, i = 0 is CPU 4). Returns true when the thread now runs
 * only there (also when it already did), false when pinning is unavailable. Costs a process
 * spawn (a few ms) the first time per thread and CPU.
 */
export function pinThisThread(i: number): boolean {
  const cpus = allowedCpus();
  const target = cpus[i % cpus.length]!;
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

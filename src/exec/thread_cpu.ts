/**
 * The calling thread's CPU times as the OS scheduler counts them: how long it ran on a CPU, how
 * long it waited runnable for one, and how many times it was put on one. Linux reports them in
 * `/proc/thread-self/schedstat` (CONFIG_SCHED_INFO; `/proc/<pid>/task/<tid>/schedstat` of the
 * reading thread): "run_ns wait_ns timeslices". A worker thread reads its own, since Node's
 * synchronous file calls run on the calling thread.
 *
 * Why the stress recorder wants them: "not asleep" is not "running". On 2 cores with 10 actor
 * threads an engine can be runnable and still wait for a CPU, and that time is the host's
 * scheduling, not the model's cost. In a VM, run time counts time the host took the vCPU away
 * (steal) unless the guest kernel accounts steal time (CONFIG_PARAVIRT_TIME_ACCOUNTING).
 *
 * Why the stress watchdog wants another thread's: an actor thread that waited for a CPU made no
 * progress through no fault of its own (stall_clock.ts). A thread learns its kernel thread id
 * (`threadId`) and publishes it; the main thread then reads `/proc/self/task/<tid>/schedstat`.
 */
import { readFileSync, readlinkSync } from 'node:fs';

export interface ThreadCpu {
  /** Time on a CPU (ns). */
  readonly runNs: number;
  /** Time runnable, waiting on a run queue for a CPU (ns). */
  readonly waitNs: number;
  /** Times the thread was put on a CPU. */
  readonly slices: number;
}

export const THREAD_SCHEDSTAT = '/proc/thread-self/schedstat';

/** Parse the schedstat line of the reading thread; undefined unless it holds three non-negative
 *  integers, or when it says the thread never ran (`0 0 0`: what a kernel without SCHEDSTATS and
 *  with delay accounting off prints — a thread reading its own file has run). */
export function parseSchedstat(text: string): ThreadCpu | undefined {
  const f = text.trim().split(/\s+/);
  if (f.length !== 3 || !f.every((x) => /^\d+$/.test(x))) return undefined;
  const c = { runNs: Number(f[0]), waitNs: Number(f[1]), slices: Number(f[2]) };
  return c.runNs === 0 && c.slices === 0 ? undefined : c;
}

/** The calling thread's times now; undefined where the OS does not report them (`path` is for
 *  tests). Costs one small read (~10 µs): call it at the edges of a trial, not inside one. */
export function readThreadCpu(path = THREAD_SCHEDSTAT): ThreadCpu | undefined {
  try {
    return parseSchedstat(readFileSync(path, 'latin1'));
  } catch {
    return undefined;
  }
}

/** The schedstat file of thread `tid` of this process. */
export const taskSchedstat = (tid: number): string => `/proc/self/task/${tid}/schedstat`;

/** Thread `tid`'s times now (a thread of this process, e.g. an actor's worker); undefined where
 *  the OS does not report them or no such thread runs. One small read (~10–30 µs): for a watchdog
 *  that polls, not for every model step. */
export function readTaskCpu(tid: number): ThreadCpu | undefined {
  return readThreadCpu(taskSchedstat(tid));
}

/** The scheduler state letter in a `/proc/<pid>/task/<tid>/stat` line (after the last `) `: the
 *  command name may hold either), or undefined when the line has no such shape. */
export function parseStatState(text: string): string | undefined {
  const at = text.lastIndexOf(') ');
  const state = at < 0 ? '' : text.charAt(at + 2);
  return /^[A-Za-z]$/.test(state) ? state : undefined;
}

/** Thread `tid`'s time on a CPU so far (ns) and whether it is on a run queue now (Linux state `R`:
 *  on a CPU, or waiting for one); undefined where the OS does not report them or no such thread
 *  runs. Two small reads: for a watchdog that polls, as readTaskCpu. */
export function readTaskQueue(tid: number): { readonly runNs: number; readonly queued: boolean } | undefined {
  const cpu = readTaskCpu(tid);
  if (cpu === undefined) return undefined;
  try {
    const state = parseStatState(readFileSync(`/proc/self/task/${tid}/stat`, 'latin1'));
    return state === undefined ? undefined : { runNs: cpu.runNs, queued: state === 'R' };
  } catch {
    return undefined;
  }
}

/** The thread id in a `/proc/thread-self` link ("PID/task/TID"); 0 unless it has that shape. */
export function parseThreadSelf(link: string): number {
  const m = /^\d+\/task\/(\d+)$/.exec(link);
  const tid = m === null ? 0 : Number(m[1]);
  return Number.isSafeInteger(tid) && tid > 0 ? tid : 0;
}

let ownTid: number | undefined;

/** The calling thread's kernel thread id (Linux), or 0 where the OS does not tell it. Read once
 *  per thread (a module instance is per thread; a thread keeps its id for life). */
export function threadId(): number {
  if (ownTid === undefined) {
    try {
      ownTid = parseThreadSelf(readlinkSync('/proc/thread-self'));
    } catch {
      ownTid = 0;
    }
  }
  return ownTid;
}

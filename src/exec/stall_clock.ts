/**
 * How the stress watchdog counts time on a loaded machine. "No progress for a second" should mean
 * the actors had a second in which they could have progressed, not that the OS kept them off the
 * CPUs: with 2 cores and a load of 10, a runnable actor thread waits for a CPU most of the time.
 * So the counted part of a poll interval is its wall time minus the time the actor threads that
 * could progress (the runnable ones) all spent waiting for a CPU, taken as the least any of
 * them waited (Linux schedstat, thread_cpu.ts; a wait is reported when it ends, and is then
 * taken off the stretch whichever of its intervals it was spent in). A thread busy on a CPU
 * without yielding waits little and is counted; a thread asleep outside the model (blocked
 * forever) does not wait at all and is counted in full, as is an interval in which no actor is
 * runnable. Where the OS does not report the times, every interval counts in full: the
 * wall-clock rule.
 *
 * A stopwatch expires at its limit of counted time, or at STARVED_LIMIT_FACTOR times that limit of
 * wall time whatever it counted: a thread starved without end is still reported in bounded time.
 */
import { readTaskCpu } from './thread_cpu.js';

/** A stopwatch expires after this many times its limit of wall time, whatever it counted. */
export const STARVED_LIMIT_FACTOR = 30;

/** Thread `tid`'s time spent runnable, waiting for a CPU, so far (ns); undefined when unknown. */
export type WaitReader = (tid: number) => number | undefined;

/** The real reader: this process's thread `tid` in /proc. */
export const readTaskWaitNs: WaitReader = (tid) => readTaskCpu(tid)?.waitNs;

/**
 * The starved part of successive poll intervals. Linux adds a wait for a CPU to a thread's
 * schedstat only when the wait ends (the thread is put on a CPU): a thread starved through a poll
 * interval shows no wait in it, and the whole wait in the interval in which it finally runs. So
 * each runnable thread keeps the wait reported since its first reading as a credit, an interval
 * takes off the least credit of all runnable threads (they all waited that long), and what it
 * takes off may exceed the interval: that wait was spent in earlier intervals of the stretch.
 * A thread without a reading yet (it just became runnable, or `forget` was called) leaves its
 * first interval uncounted: how long it waited there is not known. Not for every model step: one
 * file read per runnable thread per call.
 */
export class StarvationDiscount {
  private readonly read: WaitReader;
  /** The last reading of each thread runnable at the previous call (ns). */
  private prev = new Map<number, number>();
  /** Each runnable thread's wait reported since its first reading and not yet taken off (ms). */
  private credit = new Map<number, number>();

  constructor(read: WaitReader = readTaskWaitNs) {
    this.read = read;
  }

  /** Drop the readings and credits: the next interval is not counted, the ones after it are. For
   *  a caller that skips reading while it has no use for the discount (progress is being made). */
  forget(): void {
    this.prev.clear();
    this.credit.clear();
  }

  /**
   * The time (ms, ≥ 0) to take off the `wallMs` since the previous call, when the actor threads
   * `runnable` (kernel thread ids; ≤ 0: unknown) could have progressed: the whole interval when a
   * thread has no earlier reading; nothing when no thread is runnable (all blocked: a deadlock)
   * or one's wait is unknown (the wall-clock rule); otherwise the least credit, which may exceed
   * `wallMs` (Stopwatch.add takes it off the stretch so far).
   */
  interval(wallMs: number, runnable: readonly number[]): number {
    const next = new Map<number, number>();
    const credit = new Map<number, number>();
    let unread = false;
    for (const tid of runnable) {
      const now = tid > 0 ? this.read(tid) : undefined;
      const before = this.prev.get(tid);
      if (now === undefined) credit.set(tid, 0);
      else if (before === undefined) unread = true;
      else credit.set(tid, (this.credit.get(tid) ?? 0) + Math.max(0, now - before) / 1e6);
      if (now !== undefined) next.set(tid, now);
    }
    this.prev = next;
    this.credit = credit;
    if (unread) return wallMs;
    const starvedMs = credit.size === 0 ? 0 : Math.min(...credit.values());
    for (const [tid, c] of credit) credit.set(tid, c - starvedMs);
    return starvedMs;
  }
}

/** A stretch of time, in wall time and in counted time (StarvationDiscount). */
export class Stopwatch {
  wallMs = 0;
  countedMs = 0;

  reset(): void {
    this.wallMs = 0;
    this.countedMs = 0;
  }

  /** Add an interval of `wallMs`, less `starvedMs` (StarvationDiscount.interval) taken off the
   *  counted time so far, which never drops below 0. */
  add(wallMs: number, starvedMs: number): void {
    this.wallMs += wallMs;
    this.countedMs = Math.max(0, this.countedMs + wallMs - starvedMs);
  }

  /** Whether `limitMs` of counted time has passed, or STARVED_LIMIT_FACTOR × `limitMs` of wall time. */
  expired(limitMs: number): boolean {
    return this.countedMs >= limitMs || this.wallMs >= limitMs * STARVED_LIMIT_FACTOR;
  }
}

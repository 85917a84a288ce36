/**
 * How the stress watchdog counts time on a loaded machine. "No progress for a second" should mean
 * the actors had a second in which they could have progressed, not that the OS kept them off the
 * CPUs: with 2 cores and a load of 10, a runnable actor thread waits for a CPU most of the time.
 * So the counted part of a poll interval is its wall time minus the time the actor threads that
 * could progress (the runnable ones) all spent waiting for a CPU, taken as the least any of
 * them waited (Linux schedstat, thread_cpu.ts). A thread busy on a CPU without yielding waits
 * little and is counted; a thread asleep outside the model (blocked forever) does not wait at
 * all and is counted in full, as is an interval in which no actor is runnable. Where the OS does
 * not report the times, every interval counts in full: the wall-clock rule.
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
 * The counted part of successive poll intervals. `interval` reads the runnable threads' wait times
 * and compares them with the previous reading of each; a thread without one (just became
 * runnable, or `forget` was called) counts as not having waited. Not for every model step: one
 * file read per runnable thread per call.
 */
export class StarvationDiscount {
  private readonly read: WaitReader;
  private prev = new Map<number, number>();

  constructor(read: WaitReader = readTaskWaitNs) {
    this.read = read;
  }

  /** Drop the readings: the next interval counts in full. For a caller that skips reading while
   *  it has no use for the discount (progress is being made). */
  forget(): void {
    this.prev.clear();
  }

  /**
   * The counted part (ms, 0..wallMs) of the `wallMs` since the previous call, when the actor
   * threads `runnable` (kernel thread ids; ≤ 0: unknown) could have progressed.
   */
  interval(wallMs: number, runnable: readonly number[]): number {
    let starvedMs = Infinity;
    const next = new Map<number, number>();
    for (const tid of runnable) {
      const now = tid > 0 ? this.read(tid) : undefined;
      const before = this.prev.get(tid);
      if (now !== undefined) next.set(tid, now);
      starvedMs = Math.min(starvedMs, now === undefined || before === undefined ? 0 : Math.max(0, (now - before) / 1e6));
    }
    this.prev = next;
    return starvedMs === Infinity ? wallMs : wallMs - Math.min(wallMs, starvedMs);
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

  add(wallMs: number, countedMs: number): void {
    this.wallMs += wallMs;
    this.countedMs += countedMs;
  }

  /** Whether `limitMs` of counted time has passed, or STARVED_LIMIT_FACTOR × `limitMs` of wall time. */
  expired(limitMs: number): boolean {
    return this.countedMs >= limitMs || this.wallMs >= limitMs * STARVED_LIMIT_FACTOR;
  }
}

/**
 * How the stress watchdog counts time on a loaded machine. "No progress for a second" should mean
 * the actors had a second in which they could have progressed, not that the OS kept them off the
 * CPUs: with 2 cores and a load of 10, a runnable actor thread waits for a CPU most of the time.
 * So the counted part of a poll interval is its wall time minus the time the actor threads that
 * could progress (the runnable ones) all spent waiting for a CPU, taken as the least any of
 * them waited (Linux schedstat, thread_cpu.ts; a wait is reported when it ends, and is then
 * taken off the stretch whichever of its intervals it was spent in; a wait still going on is
 * seen from the thread's state: on a run queue at both ends of an interval without running in
 * it). A thread busy on a CPU
 * without yielding waits little and is counted; a thread asleep outside the model (blocked
 * forever) does not wait at all and is counted in full, as is an interval in which no actor is
 * runnable. Where the OS does not report the times, every interval counts in full: the
 * wall-clock rule.
 *
 * A stopwatch expires at its limit of counted time, or at STARVED_LIMIT_FACTOR times that limit of
 * wall time whatever it counted: a thread starved without end is still reported in bounded time.
 */
import { readTaskCpu, readTaskQueue } from './thread_cpu.js';

/** A stopwatch expires after this many times its limit of wall time, whatever it counted. */
export const STARVED_LIMIT_FACTOR = 30;

/** Thread `tid`'s time spent runnable, waiting for a CPU, so far (ns); undefined when unknown. */
export type WaitReader = (tid: number) => number | undefined;

/** The real reader: this process's thread `tid` in /proc. */
export const readTaskWaitNs: WaitReader = (tid) => readTaskCpu(tid)?.waitNs;

/** Thread `tid`'s time on a CPU so far (ns) and whether it is on a run queue now (on a CPU or
 *  waiting for one); undefined when unknown. */
export type QueueReader = (tid: number) => { readonly runNs: number; readonly queued: boolean } | undefined;

/** The real queue reader: this process's thread `tid` in /proc (thread_cpu.ts readTaskQueue). */
export const readTaskQueued: QueueReader = readTaskQueue;

/**
 * The starved part of successive poll intervals. Linux adds a wait for a CPU to a thread's
 * schedstat only when the wait ends (the thread is put on a CPU): a thread starved through a poll
 * interval shows no wait in it, and the whole wait in the interval in which it finally runs. So
 * each runnable thread keeps the wait reported since its first reading as a credit, an interval
 * takes off the least credit of all runnable threads (they all waited that long), and what it
 * takes off may exceed the interval: that wait was spent in earlier intervals of the stretch.
 * A wait still going on is credited as it goes: a thread on a run queue at an interval's both
 * ends whose CPU time did not move in it waited through it (only running takes a thread off a run
 * queue), and that wait, reported whole when it ends, is then not credited twice. Without this,
 * a runnable actor kept off the CPUs for longer than the limit in one wait (~0.5 s seen at a load
 * of 15 on 2 cores) showed no wait until the stretch had expired: a false hang. (Under nohz_full a
 * thread alone on its CPU may show no CPU time until it stops, and looks starved.) A thread
 * without a reading yet (it just became runnable, or `forget` was called) leaves its
 * first interval uncounted: how long it waited there is not known. Not for every model step: one
 * file read per runnable thread per call.
 */
export class StarvationDiscount {
  private readonly read: WaitReader;
  /** The last reading of each thread runnable at the previous call (ns). */
  private prev = new Map<number, number>();
  /** Each runnable thread's wait reported since its first reading and not yet taken off (ms). */
  private credit = new Map<number, number>();
  private readonly queue: QueueReader;
  /** The last queue reading of each thread runnable at the previous call. */
  private prevQueue = new Map<number, ReturnType<QueueReader>>();
  /** Each runnable thread's wait credited while it went on, not reported yet (ms). */
  private pending = new Map<number, number>();

  /** `read` and `queue` read the threads' schedstat waits and run queue states (tests inject
   *  their own). */
  constructor(read: WaitReader = readTaskWaitNs, queue: QueueReader = readTaskQueued) {
    this.read = read;
    this.queue = queue;
  }

  /** Drop the readings and credits: the next interval is not counted, the ones after it are. For
   *  a caller that skips reading while it has no use for the discount (progress is being made). */
  forget(): void {
    this.prev.clear();
    this.credit.clear();
    this.prevQueue.clear();
    this.pending.clear();
  }

  /**
   * The time (ms, ≥ 0) to take off the `wallMs` since the previous call, when the actor threads
   * `runnable` (kernel thread ids; ≤ 0: unknown) could have progressed: the whole interval when a
   * thread has no earlier reading; nothing when no thread is runnable (all blocked: a deadlock)
   * or one's wait is unknown (the wall-clock rule); otherwise the least credit (waits reported,
   * and waits going on: StarvationDiscount), which may exceed `wallMs` (Stopwatch.add takes it
   * off the stretch so far).
   */
  interval(wallMs: number, runnable: readonly number[]): number {
    const next = new Map<number, number>();
    const credit = new Map<number, number>();
    const queue = new Map<number, ReturnType<QueueReader>>();
    const pending = new Map<number, number>();
    let unread = false;
    for (const tid of runnable) {
      const now = tid > 0 ? this.read(tid) : undefined;
      const before = this.prev.get(tid);
      const q = now === undefined ? undefined : this.queue(tid);
      if (now === undefined) credit.set(tid, 0);
      else if (before === undefined) unread = true;
      else {
        const [waited, left] = this.waited(tid, Math.max(0, now - before) / 1e6, wallMs, q);
        credit.set(tid, (this.credit.get(tid) ?? 0) + waited);
        pending.set(tid, left);
      }
      if (now !== undefined) next.set(tid, now);
      queue.set(tid, q);
    }
    [this.prev, this.credit, this.prevQueue, this.pending] = [next, credit, queue, pending];
    if (unread) return wallMs;
    const starvedMs = credit.size === 0 ? 0 : Math.min(...credit.values());
    for (const [tid, c] of credit) credit.set(tid, c - starvedMs);
    return starvedMs;
  }

  /**
   * Thread `tid`'s new wait in an interval of `wallMs` (ms), its schedstat wait having grown by
   * `reportedMs`, with `q` its queue reading now; and the wait credited while it went on that
   * is still to be reported. A wait reported takes off what was credited ahead of it; an
   * interval the thread spent on a run queue without running is credited whole now.
   */
  private waited(tid: number, reportedMs: number, wallMs: number, q: ReturnType<QueueReader>): [number, number] {
    const was = this.prevQueue.get(tid);
    const ahead = this.pending.get(tid) ?? 0;
    const ran = q === undefined || was === undefined || q.runNs !== was.runNs;
    let waited = Math.max(0, reportedMs - ahead);
    let left = ran ? 0 : Math.max(0, ahead - reportedMs);
    if (!ran && was!.queued && q!.queued) [waited, left] = [waited + wallMs, left + wallMs];
    return [waited, left];
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

  /** Whether `limitMs` of counted time has passed, or STARVED_LIMIT_FACTOR × `limitMs` of wall
   *  time. */
  expired(limitMs: number): boolean {
    return this.countedMs >= limitMs || this.wallMs >= limitMs * STARVED_LIMIT_FACTOR;
  }
}

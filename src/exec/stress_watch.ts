/**
 * The stress watchdog's judgement, one poll at a time (the executor polls; this decides). It
 * asks the actors to stop once they have run for the duration, and ends the trial:
 *
 * - as a hang naming the actor, when its thread has not taken it up within the start-up bound;
 * - on a stall: no progress for `stallMs` of counted time (stall_clock.ts: time the runnable
 *   actor threads spent waiting for a CPU does not count), with no timed sleeper still due to
 *   wake. Progress is a new step, or a timed sleeper's deadline passing (it is about to run).
 *   The wait-for table then tells a deadlock (everybody blocked) from a hang (someone runs
 *   without yielding, or is stuck; an actor stalled at a stall point, stress_stalls.ts, is
 *   neither a runner nor a CPU waiter);
 * - as a hang when the actors, asked to stop, are still running after `graceMs` of counted time.
 *
 * The clocks (the duration's, the stall's, the grace's) start once every actor is taken up
 * (take_up.ts): a worker's start-up is not the trial's, and an actor whose thread first ran late
 * still gets the whole duration. The actors' jiffies, and so timed sleepers' deadlines, count from
 * the trial's start. The actors' wait records are read as sleep_read.ts says: one read while their
 * threads may be leaving or entering a sleep.
 */
import type { Arena } from '../shm/arena.js';
import {
  ACTOR_BLOCKED, ACTOR_DONE, ACTOR_READY, A_STATE, A_WAIT_DEADLINE, A_WAIT_FLAGS, C_NACTORS, C_STEP, C_STOP,
  TRIAL_ABORTED, TRIAL_DEADLOCK, WAITF_TIMED,
} from '../shm/layout.js';
import { wakeableRead } from '../kernel/wait.js';
import { StarvationDiscount, Stopwatch, type QueueReader, type WaitReader } from './stall_clock.js';
import { stalledNow } from './stress_stalls.js';
import { actorTid, firstNotTakenUp } from './take_up.js';
import { readSleep } from './sleep_read.js';

export interface StressWatchLimits {
  /** Run time before the actors are asked to stop (ms, wall clock from when every actor was
   *  taken up). */
  readonly durationMs: number;
  /** Longest stretch without progress (ms, counted). */
  readonly stallMs: number;
  /** After the stop request, how long the actors get to finish (ms, counted). */
  readonly graceMs: number;
  /** Longest the actor threads may take to take their actors up (ms, wall clock). */
  readonly startupMs: number;
}

/** How a trial ends: TRIAL_ABORTED (a hang; `actor` -1 when nobody in particular) or
 *  TRIAL_DEADLOCK. */
export interface StressVerdict { readonly state: number; readonly actor: number }

export class StressWatch {
  private readonly a: Arena;
  private readonly start: number;
  private readonly limits: StressWatchLimits;
  private readonly ended: (actor: number) => boolean;
  private readonly discount: StarvationDiscount;
  private readonly quiet = new Stopwatch();
  private readonly grace = new Stopwatch();
  private up = false;
  private upAfterMs = 0;
  /** When every actor was taken up (ms, on the clock `poll` is given). */
  private upAt = 0;
  private prev: number;
  private lastStep = -1;
  private lastDue = -1;

  /**
   * Watch the trial of `a` that started at `start` (ms; the clock `poll` is given, which is also
   * the one the actors' jiffies count from). `ended(i)`: actor i's task has settled (a worker that
   * failed to start counts as taken up). `read` and `queue` read the actor threads' CPU wait
   * times and run queue states (StarvationDiscount).
   */
  constructor(a: Arena, start: number, limits: StressWatchLimits, ended: (actor: number) => boolean, read?: WaitReader, queue?: QueueReader) {
    this.a = a;
    this.start = start;
    this.prev = start;
    this.limits = limits;
    this.ended = ended;
    this.discount = new StarvationDiscount(read, queue);
  }

  /** One poll at time `now`; `abort`: stop the actors as at the end of the duration (also before
   *  they are all taken up). Returns the verdict that ends the trial, or null to keep watching.
   *  Context: the main thread. */
  poll(now: number, abort: boolean): StressVerdict | null {
    const a = this.a;
    const wallMs = now - this.prev;
    this.prev = now;
    const elapsed = now - this.start;
    if (!this.up) {
      const verdict = this.startUp(elapsed, now);
      this.askStop(now, abort);
      return verdict;
    }
    const stopping = this.askStop(now, abort);
    const step = a.ctl(C_STEP);
    const due = this.lastDueWake(elapsed);
    const progressed = step !== this.lastStep || due > this.lastDue;
    this.lastStep = step;
    this.lastDue = Math.max(due, this.lastDue);
    let starved = 0;
    if (progressed && !stopping) this.discount.forget();
    else starved = this.discount.interval(wallMs, this.runnableTids(elapsed));
    if (progressed) this.quiet.reset();
    else this.quiet.add(wallMs, starved);
    if (stopping) this.grace.add(wallMs, starved);
    if (this.quiet.expired(this.limits.stallMs) && !this.sleeperAhead(elapsed)) return this.stallVerdict();
    return this.grace.expired(this.limits.graceMs) ? { state: TRIAL_ABORTED, actor: -1 } : null;
  }

  /** How long the actor threads took to take the trial up, or have been taking so far (ms, as
   *  of the last poll). */
  get startupMs(): number {
    return this.upAfterMs;
  }

  /** Ask the actors to stop (C_STOP) on `abort`, or once they have been taken up for the
   *  duration as of `now`. Returns whether they are asked. */
  private askStop(now: number, abort: boolean): boolean {
    const stopping = abort || (this.up && now - this.upAt >= this.limits.durationMs);
    if (stopping) Atomics.store(this.a.i32, this.a.layout.control + C_STOP, 1);
    return stopping;
  }

  /** Before every actor is taken up, at `now` (`elapsed` since the start): a hang of the first
   *  late one past the start-up bound; once none is late, the clocks start. */
  private startUp(elapsed: number, now: number): StressVerdict | null {
    this.upAfterMs = elapsed;
    const late = firstNotTakenUp(this.a, this.ended);
    if (late >= 0) return elapsed >= this.limits.startupMs ? { state: TRIAL_ABORTED, actor: late } : null;
    this.up = true;
    this.upAt = now;
    this.lastStep = this.a.ctl(C_STEP);
    return null;
  }

  /** Deadlock when every unfinished actor is blocked; otherwise a hang naming the first actor
   *  that is neither and not stalled at a stall point (it runs without yielding, or is stuck —
   *  also one blocked but leaving its sleep or trying its lock: sleep_read.ts), else the first
   *  stalled one (a stall outlasting stallMs is its own hang). */
  private stallVerdict(): StressVerdict {
    const a = this.a;
    let stalled = -1;
    for (let i = 0, n = a.ctl(C_NACTORS); i < n; i++) {
      if (Atomics.load(a.i32, a.actor(i) + A_STATE) === ACTOR_DONE) continue;
      if (readSleep(a, i, asleep) === true) continue;
      if (!stalledNow(a, i)) return { state: TRIAL_ABORTED, actor: i };
      if (stalled < 0) stalled = i;
    }
    return stalled >= 0 ? { state: TRIAL_ABORTED, actor: stalled } : { state: TRIAL_DEADLOCK, actor: -1 };
  }

  /** The latest deadline (jiffies since the start) of a blocked timed sleeper that has passed
   *  by `elapsed`, or -1. */
  private lastDueWake(elapsed: number): number {
    let due = -1;
    for (let i = 0, n = this.a.ctl(C_NACTORS); i < n; i++) {
      const d = this.timedDeadline(i);
      if (d !== undefined && d <= elapsed) due = Math.max(due, d);
    }
    return due;
  }

  /** Whether a blocked timed sleeper will wake by itself after `elapsed`: progress ahead. */
  private sleeperAhead(elapsed: number): boolean {
    for (let i = 0, n = this.a.ctl(C_NACTORS); i < n; i++) {
      const d = this.timedDeadline(i);
      if (d !== undefined && d > elapsed) return true;
    }
    return false;
  }

  /** Actor i's deadline when it is blocked in a timed wait (read whole: sleep_read.ts). */
  private timedDeadline(i: number): number | undefined {
    return readSleep(this.a, i, deadlineOf);
  }

  /** The thread ids of the actors that could progress now: running or runnable (not stalled at a
   *  stall point: that one naps by choice), or blocked with their condition met or their deadline
   *  passed (woken, waiting to run), or leaving their sleep (sleep_read.ts: not read as asleep). */
  private runnableTids(elapsed: number): number[] {
    const a = this.a;
    const tids: number[] = [];
    const unwoken = (x: Arena, i: number): boolean => !((deadlineOf(x, i) ?? Infinity) <= elapsed || wakeableRead(x, i));
    for (let i = 0, n = a.ctl(C_NACTORS); i < n; i++) {
      const st = Atomics.load(a.i32, a.actor(i) + A_STATE);
      const able = st === ACTOR_READY ? !stalledNow(a, i) : st === ACTOR_BLOCKED && readSleep(a, i, unwoken) !== true;
      if (able) tids.push(actorTid(a, i));
    }
    return tids;
  }
}

/** A blocked actor's record, read as a whole sleep: always asleep (stallVerdict's blocked). */
const asleep = (): boolean => true;

/** The deadline of actor i's wait record when it is timed (jiffies since the trial's start).
 *  Atomic loads: a read of another thread's record (sleep_read.ts). */
function deadlineOf(a: Arena, i: number): number | undefined {
  const b = a.actor(i);
  return (Atomics.load(a.i32, b + A_WAIT_FLAGS) & WAITF_TIMED) === 0 ? undefined : Atomics.load(a.i32, b + A_WAIT_DEADLINE);
}

/**
 * The stress watchdog's judgement, one poll at a time (the executor polls; this decides). It
 * asks the actors to stop once the duration has passed, and ends the trial:
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
 * The clocks start once every actor is taken up (take_up.ts): a worker's start-up is not the
 * trial's.
 */
import type { Arena } from '../shm/arena.js';
import {
  ACTOR_BLOCKED, ACTOR_DONE, ACTOR_READY, A_STATE, A_WAIT_DEADLINE, A_WAIT_FLAGS, C_NACTORS, C_STEP, C_STOP,
  TRIAL_ABORTED, TRIAL_DEADLOCK, WAITF_TIMED,
} from '../shm/layout.js';
import { wakeable } from '../kernel/wait.js';
import { StarvationDiscount, Stopwatch, type QueueReader, type WaitReader } from './stall_clock.js';
import { stalledNow } from './stress_stalls.js';
import { actorTid, firstNotTakenUp } from './take_up.js';

export interface StressWatchLimits {
  /** Run time before the actors are asked to stop (ms, wall clock from the trial's start). */
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

  /** One poll at time `now`; `abort`: stop the actors as at the end of the duration. Returns the
   *  verdict that ends the trial, or null to keep watching. Context: the main thread. */
  poll(now: number, abort: boolean): StressVerdict | null {
    const a = this.a;
    const wallMs = now - this.prev;
    this.prev = now;
    const elapsed = now - this.start;
    const stopping = elapsed >= this.limits.durationMs || abort;
    if (stopping) Atomics.store(a.i32, a.layout.control + C_STOP, 1);
    if (!this.up) return this.startUp(elapsed);
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

  /** Before every actor is taken up: a hang of the first late one past the start-up bound. */
  private startUp(elapsed: number): StressVerdict | null {
    this.upAfterMs = elapsed;
    const late = firstNotTakenUp(this.a, this.ended);
    if (late >= 0) return elapsed >= this.limits.startupMs ? { state: TRIAL_ABORTED, actor: late } : null;
    this.up = true;
    this.lastStep = this.a.ctl(C_STEP);
    return null;
  }

  /** Deadlock when every unfinished actor is blocked; otherwise a hang naming the first actor
   *  that is neither and not stalled at a stall point (it runs without yielding, or is stuck),
   *  else the first stalled one (a stall outlasting stallMs is its own hang). */
  private stallVerdict(): StressVerdict {
    const a = this.a;
    let stalled = -1;
    for (let i = 0, n = a.ctl(C_NACTORS); i < n; i++) {
      const st = a.i32[a.actor(i) + A_STATE];
      if (st === ACTOR_DONE || st === ACTOR_BLOCKED) continue;
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

  /** Actor i's deadline when it is blocked in a timed wait. */
  private timedDeadline(i: number): number | undefined {
    const h = this.a.i32;
    const b = this.a.actor(i);
    if (h[b + A_STATE] !== ACTOR_BLOCKED || (h[b + A_WAIT_FLAGS]! & WAITF_TIMED) === 0) return undefined;
    return h[b + A_WAIT_DEADLINE]!;
  }

  /** The thread ids of the actors that could progress now: running or runnable (not stalled at a
   *  stall point: that one naps by choice), or blocked with their condition met or their deadline
   *  passed (woken, waiting to run). */
  private runnableTids(elapsed: number): number[] {
    const a = this.a;
    const tids: number[] = [];
    for (let i = 0, n = a.ctl(C_NACTORS); i < n; i++) {
      const st = a.i32[a.actor(i) + A_STATE];
      const d = this.timedDeadline(i);
      const woken = st === ACTOR_BLOCKED && ((d !== undefined && d <= elapsed) || wakeable(a, i));
      if ((st === ACTOR_READY && !stalledNow(a, i)) || woken) tids.push(actorTid(a, i));
    }
    return tids;
  }
}

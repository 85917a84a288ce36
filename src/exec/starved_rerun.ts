/**
 * When the inline executor's watchdog may run a stopped trial again instead of reporting a hang.
 * The watch (watchdog.ts) is wall-clock: on a loaded machine a clean trial kept off the CPU for
 * the whole limit is stopped like one spinning without end. An inline trial is a function of its
 * seed and of what its arena carries over from earlier trials (one thread, seeded PRNG, the rest
 * of the arena reset at its start), so one the watch stopped while this thread was starved — it
 * ran on a CPU for less than the limit and for less than STARVED_SHARE of the watch (its
 * schedstat run time across the watch, thread_cpu.ts) — is run again from its start under a
 * longer watch, with that carried state put back as it was before the stopped run (the caller's
 * part: inline.ts, carried_state.ts): the same result as if it had never been stopped.
 * Otherwise the stop is the hang, as it is once the wall time spent on the trial reaches
 * STARVED_LIMIT_FACTOR × the limit (the stress watchdog's rule, stall_clock.ts: a trial starved
 * without end is still reported in bounded time), and where the OS does not report run times
 * (the first stop is the hang: the wall-clock rule).
 *
 * A longer watch bounds wall time, not CPU time: if the thread's share rises during a rerun, a
 * finite trial that needs more than the limit of CPU would end inside it, clean where an idle
 * machine reports the hang. So a rerun that ends after this thread ran at least the limit on a
 * CPU in it ran over the limit, and is run once more under a watch of exactly the limit: wall
 * time is at least CPU time, so a trial that again needs the limit of CPU is stopped there (the
 * hang, with that stop for the caller to report); one that ends (its need within noise of the
 * limit) keeps its result. The check's stop is judged as any other — stopped starved, the work
 * runs again under a longer watch — and a stop the work itself knows cannot be the hang (STARVED:
 * the inline executor's setup, which returned in an earlier run) counts as starved whatever the
 * readings. Every longer watch ends by the STARVED_LIMIT_FACTOR bound and a check adds at most the
 * limit, so the wall time spent on a trial is bounded by STARVED_LIMIT_FACTOR + 1 times the limit.
 * The same check serves a run the caller already made that ran over the limit (OverRun: the
 * inline executor's hunt slices, inline.ts).
 *
 * A watch runs out late on a loaded machine: V8's watchdog is a thread that must itself get a CPU
 * (a new one per watch, started as the watch starts), so work that runs past its watch may end
 * before the stop comes (at a load of 10 on 2 CPUs, one run of a 112 ms spin under a 100 ms watch
 * in ten ended; node reports such a stop anyway, and `watched` keeps the work's own end). So a run
 * that ends is only known to be within the limit of CPU when it took no longer than its watch; one
 * that took longer is judged by its run time like a rerun's end, and the caller returns a stop that
 * came after the trial ended as that end (inline.ts). A check that ends late having run over the
 * limit again runs once more while the bound lasts, and then keeps its result: there is no stop to
 * report. So a trial that needs more than the limit of CPU is the hang unless every check of it
 * ends late: once STARVED_LIMIT_FACTOR × the limit is spent on such checks, its clean result is
 * kept.
 *
 * The share keeps a hang's cost at one timeout on a machine that is not starving the thread: a pure
 * spin under a 100 ms watch ran 52–92 ms of it here at a load of 2.6 (the watch's own thread, V8's
 * helpers and other processes take the rest), and re-running it would cost another timeout or more.
 */
import { STARVED_LIMIT_FACTOR } from './stall_clock.js';
import { readThreadCpu } from './thread_cpu.js';
import { TIMED_OUT } from './watchdog.js';

/** This thread's time on a CPU so far (ns); undefined when the OS does not report it. */
export type RunReader = () => number | undefined;

/** The real reader: this thread's /proc schedstat. */
export const readOwnRunNs: RunReader = () => readThreadCpu()?.runNs;

/** A thread that had at least this share of a CPU across a watch was not starved. */
export const STARVED_SHARE = 0.5;

/** A thread's share of a CPU varies from one watch to the next: a rerun's watch is this many times
 *  what the last one's share says the limit of CPU time takes, so one rerun is the usual case. */
export const RERUN_MARGIN = 1.5;

/** What an attempt returns for a stop its work says cannot be a hang — the watch stopped it in a
 *  part that ran to its end in an earlier run of the same work: the thread was starved, whatever
 *  the readings say (a run without CPU time). */
export const STARVED: unique symbol = Symbol('starved');

/** One run of deterministic work from its start under a watch of `ms`; TIMED_OUT (or STARVED)
 *  when stopped. */
export type Attempt<T> = (ms: number) => T | typeof TIMED_OUT | typeof STARVED;

/** A run the watch already stopped: its watch, this thread's CPU time in it (undefined: not
 *  known) and the wall time spent on the work so far (ms). */
export interface StoppedRun {
  readonly watchMs: number;
  readonly ranMs: number | undefined;
  readonly spentMs: number;
}

/** A run that ended by itself after this thread ran at least the limit on a CPU in it, `spentMs`
 *  of wall time ago: over the limit unless the check (a run under the limit's watch) ends. */
export interface OverRun {
  readonly over: true;
  readonly spentMs: number;
}

export class StarvedRerun {
  readonly limitMs: number;
  private readonly readRun: RunReader;
  private readonly now: () => number;

  /** `limitMs` of CPU time makes a hang; `readRun` and `now` (wall clock, ms) are for tests. */
  constructor(limitMs: number, readRun: RunReader = readOwnRunNs, now: () => number = () => performance.now()) {
    this.limitMs = limitMs;
    this.readRun = readRun;
    this.now = now;
  }

  /**
   * Run `attempt` under a watch of the limit, and again under longer ones while it is stopped
   * starved (see the file comment). With `earlier`, a run already made counts as the first: one
   * stopped (StoppedRun), or one that ran over the limit (OverRun: the check comes next).
   * Returns the first result an attempt returns within the limit of CPU time (a run that ran over
   * it is checked under the limit's watch first; that check stopped is judged as any stop; one
   * that runs over again, ending late, keeps its result once the bound is spent), or
   * TIMED_OUT when it is a hang: the caller then reports the last attempt's stop. An exception an
   * attempt throws propagates unchanged.
   */
  run<T>(attempt: Attempt<T>, earlier?: StoppedRun | OverRun): T | typeof TIMED_OUT {
    const t0 = this.now() - (earlier?.spentMs ?? 0);
    let watch = earlier === undefined || 'over' in earlier ? this.limitMs : this.nextWatch(earlier);
    while (watch !== undefined) {
      const before = this.readRun();
      const start = this.now();
      const r = attempt(watch);
      const stopped = r === TIMED_OUT || r === STARVED;
      // Ended within a watch of at most the limit, CPU time (≤ wall time) stayed within it: not
      // read — unless the run took longer than its watch (it ran out late: see the file comment).
      if (!stopped && watch <= this.limitMs && this.now() - start <= watch) return r;
      const after = this.readRun();
      if (!stopped) {
        if (!this.ranOver(before, after) || this.now() - t0 >= this.limitMs * STARVED_LIMIT_FACTOR) return r;
        watch = this.limitMs;
      } else watch = this.nextWatch({ watchMs: watch, ranMs: r === STARVED ? 0 : ranBetween(before, after), spentMs: this.now() - t0 });
    }
    return TIMED_OUT;
  }

  /** Whether a run that ended ran over the limit — this thread's run time went from `before` to
   *  `after` (RunReader readings) by at least the limit — and so goes through the check (OverRun);
   *  not when either reading is unknown. */
  ranOver(before: number | undefined, after: number | undefined): boolean {
    const ranMs = ranBetween(before, after);
    return ranMs !== undefined && ranMs >= this.limitMs;
  }

  /** The watch (ms) to run the work again under after the stop `s`; undefined when it is a hang. */
  nextWatch(s: StoppedRun): number | undefined {
    if (s.ranMs === undefined || s.ranMs >= Math.min(this.limitMs, STARVED_SHARE * s.watchMs)) return undefined;
    const leftMs = this.limitMs * STARVED_LIMIT_FACTOR - s.spentMs;
    if (leftMs < 1) return undefined;
    const wantMs = s.ranMs > 0 ? RERUN_MARGIN * s.watchMs * (this.limitMs / s.ranMs) : leftMs;
    return Math.ceil(Math.min(leftMs, wantMs));
  }
}

/** The CPU time (ms) between two readings of a RunReader; undefined when either is unknown. */
export function ranBetween(before: number | undefined, after: number | undefined): number | undefined {
  return before === undefined || after === undefined ? undefined : (after - before) / 1e6;
}

/**
 * How the inline executor judges the end of a watched hunt slice's last trial (inline.ts
 * runSlice): one that ran the limit of CPU time, checked under the limit's watch as `runTrial`
 * checks a rerun that ran over it; one the slice's watch stopped while it ran, charged the CPU
 * time of the watch less the wall time of the trials before it and then run again or reported as
 * `runTrial` does (starved_rerun.ts); one the watch stopped after it ended, judged as an end. The
 * executor is the host: it runs trials again and tells strategies that a trial ended.
 */
import type { TrialResult } from './result.js';
import type { SliceClock } from './slice_clock.js';
import {
  ranBetween, type OverRun, type RunReader, type StarvedRerun, type StoppedRun,
} from './starved_rerun.js';

/** What the verdicts need of the inline executor whose slice they judge. */
export interface SliceHost {
  /** The limit of CPU time and its rule (the executor's own: the limit of its watches). */
  readonly rerun: StarvedRerun;
  /** This thread's run time (ExecOptions.readRunNs). */
  readonly readRun: RunReader;
  /** Whether the trial last run (or being run when the watch stopped it) ended. */
  trialEnded(): boolean;
  /** The result of the trial last run, which ended (InlineTrial.result, not following). */
  result(): TrialResult;
  /** Tell `strategy` its trial ended (endSchedule): its result stands. */
  tell(strategy: string): void;
  /** Slice trial `seed` under `strategy` run again as `runTrial` runs it (`earlier`: the run the
   *  slice made of it). */
  runAgain(strategy: string, seed: number, earlier: StoppedRun | OverRun): TrialResult;
}

export class SliceVerdict {
  private readonly host: SliceHost;

  constructor(host: SliceHost) {
    this.host = host;
  }

  /** Whether the slice trial started at `at.trialT0` and ended at `end` (wall, ms) ran the limit
   *  of CPU time: it took the limit of wall time, and this thread ran the limit since `at.run0`
   *  (read only when the first holds; it counts earlier trials of the slice too). */
  ranLimit(at: SliceClock, end: number): boolean {
    const { rerun } = this.host;
    return end - at.trialT0 >= rerun.limitMs && rerun.ranOver(at.run0, this.host.readRun());
  }

  /** The result of slice trial `seed` (under `strategy`), which ended after running the limit of
   *  CPU time (ranLimit): checked under the limit's watch (OverRun). */
  over(strategy: string, seed: number, at: SliceClock): TrialResult {
    const spentMs = performance.now() - at.trialT0;
    return this.host.runAgain(strategy, seed, { over: true, spentMs });
  }

  /**
   * The result of slice trial `seed` (under `strategy`), stopped by the slice's watch before it
   * ended (`at`: the slice's readings). It is charged the watch's CPU time less the wall time up to
   * `at.trialT0` (the earlier trials ran no more than that): its own CPU time plus the bookkeeping
   * of the trial before it (SliceClock), the stop it makes for the rerun rule (StoppedRun). A trial
   * whose phase says it ended is judged as an end (lateEnd).
   */
  stopped(strategy: string, seed: number, at: SliceClock): TrialResult {
    if (this.host.trialEnded()) return this.lateEnd(strategy, seed, at);
    const ran = ranBetween(at.run0, this.host.readRun());
    const spentMs = performance.now() - at.trialT0;
    const ranMs = ran === undefined ? undefined : Math.max(0, ran - (at.trialT0 - at.t0));
    return this.host.runAgain(strategy, seed, { watchMs: spentMs, ranMs, spentMs });
  }

  /** The result of the slice trial the watch stopped after it ended (`at.ended`): kept, not run
   *  again, its strategy (`strategy`) told it ended unless it was (`at.told`; a stop inside
   *  `Scheduler.end` may tell it twice: every strategy's `end` learns idempotently). */
  ended(strategy: string, at: SliceClock): TrialResult {
    if (!at.told) this.host.tell(strategy);
    return at.ended!;
  }

  /** The result of slice trial `seed` (under `strategy`), which the watch stopped after it ended
   *  and before the executor judged its end (in its result's collection, or a watch that ran out
   *  late): judged as the executor judges an end — checked when it ran the limit of CPU time
   *  (over), else its own result, told to its strategy. */
  private lateEnd(strategy: string, seed: number, at: SliceClock): TrialResult {
    if (this.ranLimit(at, performance.now())) return this.over(strategy, seed, at);
    this.host.tell(strategy);
    return this.host.result();
  }
}

/**
 * A slice: consecutive campaign trials run in one go (the inline executor runs a slice under one
 * watch; the threaded executors, one trial a slice). A slice hands back counts for every trial
 * and the whole result only of the trials its caller keeps: results of clean trials held until
 * the slice ends would outlive the young generation's collections, and copying thousands of them
 * into the old generation made hunts of small scenarios a third slower (docs/BENCHMARKS.md,
 * "Hunt loop").
 */
import { findingDecisions, stoppedByWatchdog, type Decision, type TrialResult } from './result.js';
import type { Arena } from '../shm/arena.js';

/** Which trials of a campaign a slice runs. */
export interface SliceRequest {
  /** Trial i runs strategy `strategies[i mod k]` with seed `base + i`. */
  readonly strategies: readonly string[];
  /** Trials [from, to); at least the first runs. */
  readonly from: number;
  readonly to: number;
  readonly base: number;
  /** No trial starts once the slice has run this long (ms). */
  readonly ms: number;
  /** The slice ends after a trial this accepts (a hunt's expected finding). */
  readonly stop?: ((r: TrialResult) => boolean) | undefined;
  /** Whether to hand back a trial's result; called once per trial, in order (it may keep state:
   *  a hunt keeps the first trial of each finding title), and again for a trial whose counting a
   *  watchdog cut (SliceBuilder.add: it is kept whatever the second call says, and `keep` learns
   *  from it, as a hunt's firstOfTitle needs). Default: trials with findings. A trial a watchdog
   *  stopped is always kept, without a call. */
  readonly keep?: ((r: TrialResult) => boolean) | undefined;
}

/** A trial a slice kept. */
export interface SliceTrial {
  /** Its campaign trial number (0-based: `from` is the slice's first). */
  readonly trial: number;
  readonly strategy: string;
  readonly result: TrialResult;
  /** The trial's schedule when it made findings (findingDecisions), else empty. */
  readonly decisions: readonly Decision[];
}

/** What a slice ran. */
export interface Slice {
  /** Trials run: [from, from + ran). */
  readonly ran: number;
  /** Scheduling decisions over all of them. */
  readonly steps: number;
  /** Finding records lost over all of them (TrialResult.dropped). */
  readonly dropped: number;
  /** The trials kept, in order; a stopped trial is the last. */
  readonly kept: readonly SliceTrial[];
  /** The last trial was stopped by a watchdog (a hang in the watchdog). */
  readonly hung: boolean;
}

/** Keep trials with findings: SliceRequest's default. */
export const keepFindings = (r: TrialResult): boolean => r.findings.length > 0;

/** A slice's counts so far; replaced whole, never changed in place (SliceBuilder.add). */
interface Tally {
  readonly ran: number;
  readonly steps: number;
  readonly dropped: number;
  readonly hung: boolean;
  /** The campaign trial counted last; -1 before the first. */
  readonly last: number;
}

/** Accumulates a slice trial by trial (the executor's loop feeds it). */
export class SliceBuilder {
  private tally: Tally = { ran: 0, steps: 0, dropped: 0, hung: false, last: -1 };
  private readonly kept: SliceTrial[] = [];

  constructor(private readonly arena: Arena, private readonly keep: (r: TrialResult) => boolean = keepFindings) {}

  /**
   * Count trial `trial`'s result, keeping it when the request's `keep` accepts it, a watchdog
   * stopped it, or `keepAnyway` (a finished trial whose counting the watchdog interrupted: its
   * `keep` may already have marked it as seen, and is called again so it has, whatever it says).
   * Idempotent per trial: a trial already counted last is neither counted nor kept again, and one
   * already kept last is not kept twice. The counts change in one assignment, after the keeping,
   * so a watchdog cut (V8 termination, at any call or loop back-edge) anywhere in add() leaves the
   * trial counted whole or not at all, and the caller's re-add of an uncounted trial counts it
   * once. Pre: trials are added in order.
   */
  add(trial: number, strategy: string, result: TrialResult, keepAnyway = false): void {
    const t = this.tally;
    if (t.last === trial) return;
    const stopped = stoppedByWatchdog(result);
    const keep = stopped || this.keep(result) || keepAnyway;
    if (keep && this.kept.at(-1)?.trial !== trial) this.kept.push({ trial, strategy, result, decisions: findingDecisions(this.arena, result) });
    this.tally = {
      ran: t.ran + 1, steps: t.steps + result.steps, dropped: t.dropped + (result.dropped ?? 0), hung: t.hung || stopped, last: trial,
    };
  }

  /** Trials counted so far. */
  get count(): number {
    return this.tally.ran;
  }

  done(): Slice {
    const { ran, steps, dropped, hung } = this.tally;
    return { ran, steps, dropped, kept: this.kept, hung };
  }
}

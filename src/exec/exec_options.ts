/**
 * The options the executors (inline, controlled, threaded, stress) are built with, and the
 * inline executor's step limit and trial timeout, which the others and the CLI refer to.
 */
import type { Geometry } from '../shm/layout.js';
import type { Params } from './scenario.js';
import type { RunReader } from './starved_rerun.js';
import type { Watch } from './watchdog.js';

export interface ExecOptions {
  /** Strategy spec: random, pct:D (replay is chosen by passing a schedule). */
  readonly strategy?: string;
  /** Decisions before a trial is declared a hang (livelock). */
  readonly stepLimit?: number;
  /** A trial not ended after this long (ms) is stopped and reported as a hang in the watchdog.
   *  Default: INLINE_TRIAL_TIMEOUT_MS inline, 10 s controlled (actor threads start slowly). */
  readonly trialTimeoutMs?: number | undefined;
  readonly params?: Params;
  readonly geometry?: Partial<Geometry>;
  /** Copy the decision log / trace into every result (costly; for replays and tests). The log is
   *  copied by default when a trial follows a schedule; `false` turns that off too. */
  readonly decisions?: boolean;
  readonly events?: boolean;
  /** This thread's CPU run time (inline executor; for tests): decides whether a trial the watchdog
   *  stopped was starved and runs again (starved_rerun.ts). Default: /proc schedstat. */
  readonly readRunNs?: RunReader;
  /** The watch inline trials run under (for tests: one that runs out late). Default: `watched`
   *  (watchdog.ts). */
  readonly watch?: Watch;
  /** Report leaks at trial end (default true). Kernel-API oracle fixtures that keep objects
   *  alive on purpose turn it off; scenarios never should. */
  readonly leakCheck?: boolean;
  /** Model device memory contents with pages of this many bytes (0 / absent: metadata only). */
  readonly pageBytes?: number;
}

export const DEFAULT_STEP_LIMIT = 20_000;

/** Inline trials take well under 100 ms (20,000 steps at ~2 M steps/s): one still running after
 *  this long is not coming back. */
export const INLINE_TRIAL_TIMEOUT_MS = 2_000;

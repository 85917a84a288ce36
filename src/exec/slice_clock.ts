/**
 * What the inline executor's slice loop (inline.ts runSlice) reads and records as it runs trials
 * under one watch, so that whatever the watch stops is charged and counted as it happened.
 */
import type { TrialResult } from './result.js';

/** A slice's clock readings (wall, ms): the watch's start `t0`; the current trial's start
 *  `trialT0` — `t0`, then the last trial's end, read when its last step returned, before its
 *  bookkeeping (endSchedule, slice.add, req.stop, carried.take): one reading per trial, so a
 *  trial's clock includes the bookkeeping of the one before, microseconds, and a stopped or
 *  over-limit trial is charged it; and this thread's run time at the watch's start `run0`
 *  (RunReader). With them, what a watch stop leaves of the current trial: `ended`, its result
 *  once it ended within the limit (undefined while it runs), and `told`, whether its strategy was
 *  told so (endSchedule) since — each stored in one assignment, so a stop anywhere after `ended`
 *  keeps the trial's own result rather than running it again. */
export interface SliceClock {
  readonly t0: number;
  trialT0: number;
  readonly run0: number | undefined;
  ended: TrialResult | undefined;
  told: boolean;
}

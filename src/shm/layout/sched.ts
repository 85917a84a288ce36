/** The scheduler region: SCHED_WORDS after the control record, kept by the trial's strategy. */

/** Scheduler state words (PRNG + strategy). Words below SCHED_PERSIST are reset per trial by the
 *  strategy itself; words from SCHED_PERSIST on survive resets (learned parameters). */
export const SCHED_WORDS = 128;
export const SCHED_PERSIST = 96;

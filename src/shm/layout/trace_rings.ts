/** The trace rings, at `Layout.trace`: one ring of `geometry.traceEvents` events per actor, kept
 *  across trial resets (each ring is reset by its head, A_EVCOUNT). */

// Trace ring events: global sequence, packed op, auxiliary object, result, and the trial's
// decision step when it was recorded (C_STEP: the step findings and their reports name). Written
// by the ring's actor only (trace/ring.ts traceEvent); read after the trial (readEvents).
export const T_SEQ = 0;
export const T_OP = 1;
export const T_AUX = 2;
export const T_RET = 3;
export const T_STEP = 4;
export const EVENT_WORDS = 5;

/** The findings table, at `Layout.findings`. */

// Findings recorded inside a trial (any thread; kernel/task.ts recordFinding). Slots are taken in
// order: G_CODE is 0 while free, FINDING_FILLING while its claimer (CAS from 0) writes the other
// words, then the code (atomic store); a published slot changes only in G_REPEATS (atomic add).
// The slots taken are thus a prefix of the table, which is all a trial reset zeroes
// (cursor_tables.ts).
export const G_CODE = 0;
export const G_ACTOR = 1;
export const G_STEP = 2;
export const G_OBJ = 3;
export const G_ARG = 4;
/** Detector-specific context (who mapped / revoked / freed, and when): four words. */
export const G_AUX = 5;
export const FINDING_AUX_WORDS = 4;
/** Later records of the same finding merged into this slot (recordFinding says what is the same),
 *  saturating at INT32_MAX (kernel/task.ts incSaturating); read by exec/result.ts modelFindings as
 *  the finding's `repeats`. */
export const G_REPEATS = 9;
export const FINDING_WORDS = 10;
/** G_CODE of a slot being filled by the task that claimed it. */
export const FINDING_FILLING = -1;

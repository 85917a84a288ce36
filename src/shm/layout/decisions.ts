/** The decision log, at `Layout.decisions`: `geometry.decisions` records, kept across trial
 *  resets (it may hold the schedule a replay follows). */

// Decision log: per decision, the actor picked and the op it had pending. Written by the turn
// holder; main reads it after the trial; holds the schedule to follow when replaying.
export const D_ACTOR = 0;
export const D_OP = 1;
export const DECISION_WORDS = 2;

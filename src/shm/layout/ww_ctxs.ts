/** The ww_acquire_ctx table, at `Layout.ctxs`. */

// ww_acquire_ctx: all fields written by the owning actor, except X_WOUNDED (any actor that
// wounds it, wound-wait only) — readers are the owner and kill checks of other actors.
export const X_STAMP = 0;
export const X_ACQUIRED = 1;
export const X_WOUNDED = 2;
/** ww_acquire_done() was called. */
export const X_DONE = 3;
export const X_CLASS = 4;
export const X_OWNER = 5;
/** Lock that returned -EDEADLK (id + 1), cleared by lock_slow: the debug `contending_lock`. */
export const X_CONTENDING = 6;
/** CTXS_* */
export const X_STATE = 7;
export const CTX_WORDS = 8;
export const CTXS_FREE = 0;
export const CTXS_LIVE = 1;
export const CTXS_FINI = 2;

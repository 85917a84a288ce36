/** The dma_fence_cb table, at `Layout.callbacks`. */

// dma_fence_cb: written by the registering actor (add/remove) and by the signaler (runs it).
export const B_FENCE = 0;
export const B_NEXT = 1;
/** Callback function id (index into the scenario's callback table, same in every thread). */
export const B_FN = 2;
export const B_ARG = 3;
/** CBS_* */
export const B_STATE = 4;
export const CB_WORDS = 5;
export const CBS_IDLE = 0;
export const CBS_PENDING = 1;
export const CBS_RUN = 2;

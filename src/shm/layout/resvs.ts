/**
 * The dma_resv table, at `Layout.resvs`: each record is R_SLOTS header words followed by
 * `geometry.resvSlots` fence slots (`Layout.resvWords` words a record).
 */

// dma_resv: the fence list is written only with the resv lock held; read locklessly (RCU-like,
// restart when R_GEN changes).
export const R_LOCK = 0;
export const R_NUM = 1;
/** max_fences: the kernel's rounded list capacity (dma_resv_list_max_fences), which may exceed
 *  the record's `geometry.resvSlots` slots; R_NUM never does. */
export const R_MAX = 2;
/** List generation, a seqcount: writers (resv lock held) make it odd while they change slots and
 *  even again after; lockless readers retry while it is odd or changed under them. */
export const R_GEN = 3;
export const R_FLAGS = 4;
export const R_SLOTS = 5;
/** Per slot: fence id, usage. */
export const SLOT_FENCE = 0;
export const SLOT_USAGE = 1;
export const SLOT_WORDS = 2;
export const RESVF_LIVE = 1;
/** A fence list has been allocated (the first reserve happened). */
export const RESVF_LIST = 2;

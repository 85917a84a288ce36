/** The dma_fence table, at `Layout.fences`; rows are reclaimed (see handles.ts). */

// dma_fence
/** FENCEF_* bits (atomic futex word). Set by the signaler; stress waiters set FENCEF_WAITERS and
 *  `futexWait` on it until SIGNALED is set; `dma_fence_signal` notifies only when WAITERS was set
 *  (waitqueue_active): a waiter that set it after the signal read the word sees the word change. */
export const F_FLAGS = 0;
export const F_CONTEXT = 1;
export const F_SEQNO_LO = 2;
export const F_SEQNO_HI = 3;
/** Error set before signalling (negative errno), 0 = none. */
export const F_ERROR = 4;
/** Virtual time at signal. */
export const F_TIMESTAMP = 5;
export const F_REFCOUNT = 6;
/** Behaviour of the fence's ops (FOPS_*), fixed at init. */
export const F_OPS = 7;
/** Pending callback list: first and last callback id + 1. Written under F_LOCK. */
export const F_CB_HEAD = 8;
export const F_CB_TAIL = 9;
/** Actor expected to signal it (id + 1; 0 unknown): the wait-for graph's fence → actor edge. */
export const F_SIGNALER = 10;
/** Fence spinlock (kernel/spinlock.ts word, atomic; 0 free, held: its owner, actor + 1): orders
 *  callback registration against signalling in stress. */
export const F_LOCK = 11;
/** Generation of the row (see HANDLE_BITS), bumped (atomic) by the task that releases the fence
 *  (its last dma_fence_put) before the row goes on the free list; read by every checked use of a
 *  fence handle, which reports a handle whose generation differs. Survives reuse; zeroed by a
 *  trial reset. */
export const F_GEN = 12;
/** Free-list link (row + 1 of the next released fence, 0 = end): written and read only with
 *  C_FENCE_LOCK held (dma_fence_alloc.ts). Meaningless while the fence is live. */
export const F_NEXT_FREE = 13;
/** A container fence's state (FOPS_ARRAY, FOPS_CHAIN), or a driver's words (FOPS_USER): the index
 *  of its kzalloc'd words in the private region (kernel/priv.ts); meaningless (0) for a plain
 *  fence. Written by the container's init before the fence is handed out, read by its ops and
 *  unwrap; fixed for the fence's life. */
export const F_PRIV = 14;
export const FENCE_WORDS = 15;

export const FENCEF_LIVE = 1;
export const FENCEF_SIGNALED = 2;
export const FENCEF_ENABLE_SIGNAL = 4;
export const FENCEF_SEQNO64 = 8;
export const FENCEF_TIMESTAMP = 16;
/** A stress actor sleeps (or is about to) on this fence: the signal must notify. Never set by
 *  inline or controlled trials. */
export const FENCEF_WAITERS = 32;

/** ops->enable_signaling exists and reports the fence already done (signals at enable). */
export const FOPS_ENABLE_SIGNALS = 1;
/** The fence is a dma_fence_array (kernel/dma_fence_array.ts): F_PRIV names its words. */
export const FOPS_ARRAY = 2;
/** The fence is a dma_fence_chain node (kernel/dma_fence_chain.ts): F_PRIV names its words. */
export const FOPS_CHAIN = 4;
/** The fence has a driver's own ops (kernel/dma_fence_user_ops.ts): their id is F_OPS >>>
 *  FOPS_USER_SHIFT, F_PRIV names the driver's words. */
export const FOPS_USER = 8;
/** Shift of a driver's ops id within F_OPS (above the FOPS_* bits). */
export const FOPS_USER_SHIFT = 8;

/** The dma-buf table, at `Layout.dmabufs`. */

// dma-buf. Written by the exporter (export, release) and by the core under the resv lock
// (attachment list, pin/map counts); read by the core and the detectors.
export const DB_FLAGS = 0;
/** The dma_resv (embedded or exporter-supplied). */
export const DB_RESV = 1;
/** Size in pages. */
export const DB_SIZE = 2;
/** Exporter ops id (a stable hash; see kernel/dma_buf_ops.ts). */
export const DB_OPS = 3;
/** Exporter-private word. */
export const DB_PRIV = 4;
/** File references (dma_buf_get/put), atomic. */
export const DB_FILEREFS = 5;
export const DB_VMAP_COUNT = 6;
/** Revocation as the detector sees it: who completed the exporter's revoke sequence (actor + 1,
 *  0 = not revoked) and at which step. Written by revoke_complete()/revoke_cleared(). */
export const DB_REVOKED_BY = 7;
export const DB_REVOKE_STEP = 8;
/** The exporting module (exp_info->owner), whose reference the buffer holds until its release:
 *  its module id (the trial's load-order index + 1, module_ref.ts module_owner_id), 0 for none
 *  (built-in code). Written by dma_buf_export, read by the release. */
export const DB_OWNER = 9;
/** dma_buf_poll's state (kernel/dma_buf_poll.ts). `dmabuf->poll.lock`: a spinlock word (0 free,
 *  held: its owner, actor + 1), taken by the poller and by the poll callback. */
export const DB_POLL_LOCK = 10;
/** The poll waitqueue's doorbell: bumped by the poll callback's wake_up_locked_poll (under the
 *  poll lock); a poll() sleeper (dma_buf_poll_wait) waits for it to change from the value it read
 *  before polling. */
export const DB_POLL_WAKE = 11;
/** `cb_in.active` / `cb_out.active`: the event (EPOLLIN / EPOLLOUT) whose callback is armed or
 *  about to run, 0 when idle. Written under the poll lock by dma_buf_poll and the callback. */
export const DB_POLL_IN_ACTIVE = 12;
export const DB_POLL_OUT_ACTIVE = 13;
/** `cb_in.cb` / `cb_out.cb`: the direction's fence callback node (id + 1, 0 = not allocated
 *  yet: the first poll of that direction allocates it). Written by dma_buf_poll under the resv
 *  lock. */
export const DB_POLL_IN_CB = 14;
export const DB_POLL_OUT_CB = 15;
export const DMABUF_WORDS = 16;
export const DBF_LIVE = 1;
export const DBF_RELEASED = 2;
/** The resv is embedded (made by export, finished by release). */
export const DBF_OWN_RESV = 4;

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
export const DMABUF_WORDS = 10;
export const DBF_LIVE = 1;
export const DBF_RELEASED = 2;
/** The resv is embedded (made by export, finished by release). */
export const DBF_OWN_RESV = 4;

/** The dma_buf_attachment table, at `Layout.attachments`. */

// dma_buf_attachment. Linked/unlinked and counted under the resv lock.
export const AT_DMABUF = 0;
export const AT_DEV = 1;
/** Importer ops id, 0 = static (legacy) importer. */
export const AT_IOPS = 2;
export const AT_P2P = 3;
/** Exporter-private and importer-private words. */
export const AT_PRIV = 4;
export const AT_IPRIV = 5;
export const AT_FLAGS = 6;
/** Pins and live mappings held by the importer through this attachment. */
export const AT_PINS = 7;
export const AT_MAPS = 8;
/** Link order on its dma-buf's attachment list: set under the resv lock when linked, one above
 *  every linked attachment of the buffer (the kernel's list_add puts the newest first). */
export const AT_LINK_SEQ = 9;
export const ATTACH_WORDS = 10;
export const ATF_LINKED = 1;
export const ATF_FREED = 2;

/**
 * The WARN/BUG table's area (warn.ts) for the argument checks of exported calls the core makes
 * with a bare WARN_ON: a NULL object, refused with -EINVAL. Their codes follow
 * the driver rows'.
 */
export const ARG_SPECS = [
  // dma-buf.c: `if (WARN_ON(!dmabuf)) return -EINVAL;` (begin) and `WARN_ON(!dmabuf);` (end);
  // titled after the call through its site.
  ['DMABUF_CPU_ACCESS_NULL', 'assertion', 'dma_buf_begin_cpu_access', 'WARN_ON(!dmabuf): CPU access bracketed on a NULL dma-buf'],
] as const;

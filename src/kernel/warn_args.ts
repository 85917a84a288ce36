/**
 * The WARN/BUG table's area (warn.ts) for the argument checks of exported calls the core makes
 * with a bare WARN_ON: a NULL object or an empty array, refused with -EINVAL. Their codes follow
 * the driver rows'.
 */
export const ARG_SPECS = [
  // dma-buf.c: `if (WARN_ON(!dmabuf)) return -EINVAL;` (begin) and `WARN_ON(!dmabuf);` (end);
  // titled after the call through its site.
  ['DMABUF_CPU_ACCESS_NULL', 'assertion', 'dma_buf_begin_cpu_access', 'WARN_ON(!dmabuf): CPU access bracketed on a NULL dma-buf'],
  ['FENCE_WAIT_ANY_INVALID', 'assertion', 'dma_fence_wait_any_timeout', 'WARN_ON(!fences || !count || timeout < 0): a wait for any of no fences, or with a negative timeout'],
] as const;

/**
 * The WARN/BUG table's (warn.ts) argument rows: the bare WARN_ONs of exported calls on a NULL
 * object or an empty array, refused with -EINVAL, or dereferenced.
 */
export const ARG_SPECS = [
  // dma-buf.c: `if (WARN_ON(!dmabuf)) return -EINVAL;` (begin) and `WARN_ON(!dmabuf);` (end);
  // titled after the call through its site.
  ['DMABUF_CPU_ACCESS_NULL', 'assertion', 'dma_buf_begin_cpu_access', 'WARN_ON(!dmabuf): CPU access bracketed on a NULL dma-buf'],
  // dma_buf_end_cpu_access goes on after its WARN_ON: `might_lock(&dmabuf->resv->lock.base)`
  // dereferences the NULL dma-buf (still so in the newest dma-buf.c; a 2021 patch to return
  // -EINVAL was not merged).
  ['DMABUF_END_CPU_ACCESS_NULL_DEREF', 'crash', 'dma_buf_end_cpu_access', 'BUG: kernel NULL pointer dereference: dma_buf_end_cpu_access on a NULL dma-buf (dmabuf->resv after WARN_ON(!dmabuf))'],
  ['FENCE_WAIT_ANY_INVALID', 'assertion', 'dma_fence_wait_any_timeout', 'WARN_ON(!fences || !count || timeout < 0): a wait for any of no fences, or with a negative timeout'],
] as const;

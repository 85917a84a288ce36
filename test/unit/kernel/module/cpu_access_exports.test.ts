// The exports of the CPU access calls, dma_buf_fd, the wait for any fence, the deadline hints and
// the fence copy carry the C sources' macros: dma-buf.c EXPORT_SYMBOL_NS_GPL(..., "DMA_BUF"),
// dma-fence.c EXPORT_SYMBOL, dma-resv.c EXPORT_SYMBOL for dma_resv_copy_fences and
// EXPORT_SYMBOL_GPL for dma_resv_set_deadline — in both kernel versions' tables.
import { describe, expect, it } from 'vitest';
import { kernelSymbolsFor } from '../../../../src/kernel/module/dmabuf_exports.js';
import { VMLINUX } from '../../../../src/kernel/module/symbols.js';

describe('the exports of CPU access, dma_buf_fd, wait-any, deadlines and the fence copy', () => {
  it.each([
    ['dma_buf_begin_cpu_access', 'DMA_BUF', true],
    ['dma_buf_end_cpu_access', 'DMA_BUF', true],
    ['dma_buf_fd', 'DMA_BUF', true],
    ['dma_fence_wait_any_timeout', '', false],
    ['dma_fence_set_deadline', '', false],
    ['dma_resv_copy_fences', '', false],
    ['dma_resv_set_deadline', '', true],
  ] as const)('%s: namespace %s, GPL-only %s', (name, ns, gpl) => {
    for (const kernel of ['v3', 'final'] as const) {
      const s = kernelSymbolsFor(kernel).lookup(name);
      expect([s?.ns, s?.gplOnly, s?.owner]).toEqual([ns, gpl, VMLINUX]);
    }
  });
});

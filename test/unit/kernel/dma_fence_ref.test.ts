// dma_fence references (src/kernel/dma_fence_ref.ts): dma_fence_put(NULL) is a no-op, as the
// kernel's `if (fence)` makes it — no underflow WARN, and a later real misuse still WARNs.
import { describe, expect, it } from 'vitest';
import { NULL_FENCE, dma_fence_context_alloc, dma_fence_init, dma_fence_put } from '../../fixtures/kernel.js';
import { fenceTask, findingCodes } from '../../support/fence_task.js';

describe('dma_fence_put', () => {
  it('of a NULL fence does nothing and reports nothing', () => {
    const t = fenceTask({});
    dma_fence_put(t, NULL_FENCE);
    expect(findingCodes(t)).toEqual([]);
    const f = dma_fence_init(t, dma_fence_context_alloc(t, 1), 1, { signaler: -1 });
    dma_fence_put(t, f);
    dma_fence_put(t, f);
    expect(findingCodes(t)).toEqual(['FENCE_PUT_UNDERFLOW']);
  });
});

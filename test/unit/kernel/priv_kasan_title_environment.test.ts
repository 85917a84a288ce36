// A KASAN report's title names the accessing function whatever the environment did to stack
// traces: with Error.stackTraceLimit = 0 and a user Error.prepareStackTrace, the title is still
// the caller's (read as a CallSite, not parsed from text), and both settings are left as found.
import { afterEach, describe, expect, it } from 'vitest';
import {
  NULL_FENCE, dma_fence_chain_contained, dma_fence_chain_init, dma_fence_context_alloc, dma_fence_init, dma_fence_put,
} from '../../fixtures/kernel.js';
import { fenceTask, taskFindingTitles } from '../../support/fence_task.js';

const limit = Error.stackTraceLimit;
const prepare = Error.prepareStackTrace;

afterEach(() => {
  Error.stackTraceLimit = limit;
  Error.prepareStackTrace = prepare;
});

describe('a KASAN title under a changed stack-trace environment', () => {
  it('stackTraceLimit 0 and a custom prepareStackTrace: still use-after-free in dma_fence_chain_contained', () => {
    const t = fenceTask();
    const chain = dma_fence_chain_init(t, NULL_FENCE, dma_fence_init(t, dma_fence_context_alloc(t, 1), 1), 1);
    dma_fence_put(t, chain);
    const custom = (): string => 'custom';
    Error.stackTraceLimit = 0;
    Error.prepareStackTrace = custom;
    dma_fence_chain_contained(t, chain);
    expect(Error.stackTraceLimit).toBe(0);
    expect(Error.prepareStackTrace).toBe(custom);
    Error.stackTraceLimit = limit;
    Error.prepareStackTrace = prepare;
    expect(taskFindingTitles(t)).toEqual(['PRIV_USE_AFTER_FREE: use-after-free in dma_fence_chain_contained (slab-use-after-free)']);
  });
});

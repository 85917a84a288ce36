// dma_fence_set_deadline (dma-fence.c): a driver's set_deadline op is called with the deadline for
// an unsignaled fence, not for a signaled one; a fence whose ops have none (the model's own)
// ignores the hint.
import { describe, expect, it } from 'vitest';
import {
  dma_fence_context_alloc, dma_fence_init, dma_fence_ops_register, dma_fence_set_deadline, dma_fence_signal, type Fence,
} from '../../fixtures/kernel.js';
import { fenceTask, findingCodes } from '../../support/fence_task.js';

const hints: [Fence, number][] = [];
const DEADLINE_OPS = dma_fence_ops_register('deadline_test_ops', {
  get_driver_name: 'test', get_timeline_name: 'test-deadline',
  set_deadline: (_t, f, deadline) => { hints.push([f, deadline]); },
});

describe('dma_fence_set_deadline', () => {
  it('calls the driver\'s set_deadline with the deadline for an unsignaled fence only', () => {
    hints.length = 0;
    const t = fenceTask();
    const ctx = dma_fence_context_alloc(t, 1);
    const [f, g] = [1, 2].map((s) => dma_fence_init(t, ctx, s, { ops: DEADLINE_OPS, signaler: -1 })) as [Fence, Fence];
    dma_fence_signal(t, g);
    dma_fence_set_deadline(t, f, 40);
    dma_fence_set_deadline(t, g, 41);
    expect(hints).toEqual([[f, 40]]);
    expect(findingCodes(t)).toEqual([]);
  });

  it('is ignored by a fence without the op', () => {
    hints.length = 0;
    const t = fenceTask();
    dma_fence_set_deadline(t, dma_fence_init(t, dma_fence_context_alloc(t, 1), 1), 40);
    expect(hints).toEqual([]);
    expect(findingCodes(t)).toEqual([]);
  });
});

// dma_fence_set_deadline (dma-fence.c): a driver's set_deadline op is called with the deadline for
// an unsignaled fence, not for a signaled one; a fence whose ops have none (the model's own)
// ignores the hint; a container (dma_fence_array_set_deadline, dma_fence_chain_set_deadline, v6.4)
// passes it on to every fence it contains, also when it is reached through dma_resv_set_deadline.
import { describe, expect, it } from 'vitest';
import {
  DMA_RESV_USAGE_READ, NULL_FENCE, dma_fence_array_create, dma_fence_chain_init, dma_fence_context_alloc, dma_fence_init,
  dma_fence_set_deadline, dma_fence_signal, dma_resv_add_fence, dma_resv_init, dma_resv_lock,
  dma_resv_reserve_fences, dma_resv_set_deadline, dma_resv_unlock, type Fence, type Task,
} from '../../fixtures/kernel.js';
import { CHAIN_GEOMETRY } from '../../fixtures/fence/chain.js';
import { deadlineRecorder } from '../../support/deadline_ops.js';
import { drive, fenceTask, findingCodes } from '../../support/fence_task.js';

const { ops: DEADLINE_OPS, hints } = deadlineRecorder('deadline_test_ops');

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

/** Two unsignaled fences with DEADLINE_OPS, on one new context. */
function leaves(t: Task): [Fence, Fence] {
  const ctx = dma_fence_context_alloc(t, 1);
  return [1, 2].map((s) => dma_fence_init(t, ctx, s, { ops: DEADLINE_OPS, signaler: -1 })) as [Fence, Fence];
}

/** A 2-fence array over `a`, `b` (their references move into it). */
const array = (t: Task, a: Fence, b: Fence): Fence => dma_fence_array_create(t, 2, [a, b], dma_fence_context_alloc(t, 1), 1, false);

/** A 2-point chain: the head over `b`, its prev over `a` (the references move into it). */
function chain(t: Task, a: Fence, b: Fence): Fence {
  return dma_fence_chain_init(t, dma_fence_chain_init(t, NULL_FENCE, a, 1), b, 2);
}

describe('dma_fence_set_deadline on a container', () => {
  it.each([['an array', array], ['a chain', chain]])('%s passes the deadline to every fence it contains', (_name, make) => {
    hints.length = 0;
    const t = fenceTask(CHAIN_GEOMETRY);
    const [a, b] = leaves(t);
    dma_fence_set_deadline(t, make(t, a, b), 40);
    expect(hints.map(([, d]) => d)).toEqual([40, 40]);
    expect(hints.map(([f]) => f).sort()).toEqual([a, b].sort());
    expect(findingCodes(t)).toEqual([]);
  });

  it.each([['an array', array], ['a chain', chain]])('%s in a reservation gets it from dma_resv_set_deadline', (_name, make) => {
    hints.length = 0;
    const t = fenceTask(CHAIN_GEOMETRY);
    const [a, b] = leaves(t);
    const r = dma_resv_init(t);
    drive(dma_resv_lock(t, r, null));
    expect(dma_resv_reserve_fences(t, r, 1)).toBe(0);
    dma_resv_add_fence(t, r, make(t, a, b), DMA_RESV_USAGE_READ);
    dma_resv_unlock(t, r);
    dma_resv_set_deadline(t, r, DMA_RESV_USAGE_READ, 77);
    expect(hints.map(([f, d]) => [f, d]).sort()).toEqual([[a, 77], [b, 77]].sort());
    expect(findingCodes(t)).toEqual(['RESV_ADD_CONTAINER']); // the kernel WARNs, and adds it all the same
  });
});

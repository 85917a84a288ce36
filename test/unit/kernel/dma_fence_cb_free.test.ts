// dma_fence_cb_free (the kfree of a struct dma_fence_cb): a node still armed on a fence is not
// given back — FENCE_CB_FREE_PENDING (object the fence, aux the node) — and the fence's list stays
// whole: every callback on it still runs once when the fence signals. An idle node is reused.
import { describe, expect, it } from 'vitest';
import {
  dma_fence_add_callback, dma_fence_cb_alloc, dma_fence_cb_arg, dma_fence_cb_free, dma_fence_context_alloc, dma_fence_init,
  dma_fence_signal, type FenceCb,
} from '../../fixtures/kernel.js';
import { fenceTask, findingCodes } from '../../support/fence_task.js';
import { G_AUX, G_OBJ } from '../../../src/shm/layout.js';

describe('dma_fence_cb_free', () => {
  it('of a node still armed reports FENCE_CB_FREE_PENDING and leaves the fence\'s callbacks whole', () => {
    const t = fenceTask();
    const ran: number[] = [];
    t.callbacks = [(_t, _f, cb) => { ran.push(dma_fence_cb_arg(t, cb as FenceCb)); }];
    const f = dma_fence_init(t, dma_fence_context_alloc(t, 1), 1);
    const [a, b] = [dma_fence_cb_alloc(t, 1), dma_fence_cb_alloc(t, 2)];
    expect([dma_fence_add_callback(t, f, a, 0), dma_fence_add_callback(t, f, b, 0)]).toEqual([0, 0]);
    dma_fence_cb_free(t, a);
    expect(findingCodes(t)).toEqual(['FENCE_CB_FREE_PENDING']);
    expect([t.i32[t.arena.finding(0) + G_OBJ], t.i32[t.arena.finding(0) + G_AUX]]).toEqual([f, a + 1]);
    const c = dma_fence_cb_alloc(t, 3);
    expect(c).not.toBe(a);
    expect(dma_fence_add_callback(t, f, c, 0)).toBe(0);
    dma_fence_signal(t, f);
    expect(ran).toEqual([1, 2, 3]);
  });

  it('of an idle node gives it back for the next allocation', () => {
    const t = fenceTask();
    const a = dma_fence_cb_alloc(t, 1);
    dma_fence_cb_free(t, a);
    expect(dma_fence_cb_alloc(t, 2)).toBe(a);
    expect(findingCodes(t)).toEqual([]);
  });
});

/**
 * dma_buf_poll's per-direction callback nodes (`dmabuf->cb_in.cb` / `cb_out.cb`, which the kernel
 * embeds in struct dma_buf): allocated by the direction's first poll, kept with the buffer, given
 * back by its release — after dma_buf_release's BUG_ON that neither is armed.
 */
import { DB_POLL_IN_ACTIVE, DB_POLL_IN_CB, DB_POLL_OUT_ACTIVE, DB_POLL_OUT_CB } from '../shm/layout.js';
import { dma_fence_cb_alloc, dma_fence_cb_free } from './dma_fence_cb.js';
import type { Task } from './task.js';
import type { FenceCb } from './types.js';

/**
 * The callback node in word `cbWord` (DB_POLL_IN_CB or DB_POLL_OUT_CB) of buffer `db`, allocated
 * on first use with the argument `db * 2 + write` (dma_buf_poll_cb reads buffer and direction from
 * it). Caller: dma_buf_poll, having claimed the direction's slot under the poll lock.
 */
export function dma_buf_poll_slot_cb(t: Task, db: number, cbWord: number, write: boolean): FenceCb {
  const i = t.arena.dmabuf(db) + cbWord;
  if (t.i32[i] === 0) t.i32[i] = dma_fence_cb_alloc(t, db * 2 + (write ? 1 : 0)) + 1;
  return (t.i32[i]! - 1) as FenceCb;
}

/**
 * dma_buf_release's `BUG_ON(dmabuf->cb_in.active || dmabuf->cb_out.active)`
 * (DMABUF_RELEASE_POLL_ACTIVE, the task stops there: a poll callback is still armed, which only a
 * missing file reference allows), then the two callback nodes go back to the free list (an idle
 * node the buffer's polls allocated). Context: dma_buf_release, the last file reference gone.
 */
export function dma_buf_poll_release(t: Task, db: number): void {
  const d = t.arena.dmabuf(db);
  if (Atomics.load(t.i32, d + DB_POLL_IN_ACTIVE) !== 0 || Atomics.load(t.i32, d + DB_POLL_OUT_ACTIVE) !== 0) {
    t.bug('DMABUF_RELEASE_POLL_ACTIVE', db);
  }
  for (const word of [DB_POLL_IN_CB, DB_POLL_OUT_CB]) {
    const cb = t.i32[d + word]! - 1;
    t.i32[d + word] = 0;
    if (cb >= 0) dma_fence_cb_free(t, cb as FenceCb);
  }
}

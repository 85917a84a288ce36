/**
 * dma_buf_poll (drivers/dma-buf/dma-buf.c, as reworked by 6b51b02a3a0a "dma-buf: fix and rework
 * dma_buf_poll v7", with ff2d23843f7f "dma-buf/poll: Get a file reference for outstanding fence
 * callbacks" on top): the dma-buf file's poll op. EPOLLIN is ready when the WRITE-class implicit
 * fences have signaled (a reader waits for writers), EPOLLOUT when the READ-class ones have (a
 * writer waits for everyone): `dma_resv_usage_rw(false)` / `(true)`, kernel-semantics §4.6.
 *
 * Each direction has one callback slot (`dmabuf->cb_in` / `cb_out`: its `active` word under the
 * poll lock, its fence callback node): a poll finding the slot idle claims it, takes a file
 * reference (get_file, paired with the fput in dma_buf_poll_cb) and arms the callback on the first
 * unsignaled fence of the class, which then owns the fence reference the poll took; none armed,
 * the callback runs at once, in the poll. The callback wakes the poll waitqueue (DB_POLL_WAKE, what
 * a poll() sleeper waits on: dma_buf_poll_wait.ts), frees the slot, puts the fence and the file.
 *
 * Kernel history (quirks.ts, S14): QUIRK_POLL_NO_FILE_REF drops ff2d23843f7f's get_file/fput pair
 * (6b51b02a3a0a itself) — the fd may be closed while the callback is armed, and dma_buf_release
 * BUGs (DMABUF_RELEASE_POLL_ACTIVE), unless the callback ran before the deferred release;
 * QUIRK_POLL_ALWAYS_PUT drops the fence reference after adding the callback whether it was armed
 * or not (the 2025 patch Christian König rejected: dma_fence_add_callback returning 0 means armed,
 * and the armed callback puts it itself), so the fence's references run out one early
 * (FENCE_PUT_UNDERFLOW at the last put).
 *
 * The slot's callback node is allocated by the direction's first poll and freed by the buffer's
 * release (dma_buf_poll_slot.ts), which BUGs if either slot is still armed.
 */
import {
  DB_POLL_IN_ACTIVE, DB_POLL_IN_CB, DB_POLL_LOCK, DB_POLL_OUT_ACTIVE, DB_POLL_OUT_CB, DB_POLL_WAKE,
  QUIRK_POLL_ALWAYS_PUT, QUIRK_POLL_NO_FILE_REF,
} from '../shm/layout.js';
import { dma_buf_check, dma_buf_get, dma_buf_put_deferred, dma_buf_resv, type DmaBuf } from './dma_buf.js';
import { dma_buf_poll_slot_cb } from './dma_buf_poll_slot.js';
import { dma_fence_add_callback, dma_fence_cb_arg } from './dma_fence_cb.js';
import { KCB_DMA_BUF_POLL, register_kernel_callback } from './dma_fence_ops.js';
import { dma_fence_get, dma_fence_put } from './dma_fence_ref.js';
import { dma_resv_usage_rw } from './dma_resv.js';
import { dma_resv_lock, dma_resv_unlock } from './dma_resv_lock.js';
import { dma_resv_for_each_fence } from './dma_resv_query.js';
import { wake_up_word } from './kref.js';
import { kernel_quirk } from './quirks.js';
import { spin_lock, spin_unlock } from './spinlock.js';
import type { Task } from './task.js';
import type { Fence, FenceCb, KGen, Resv } from './types.js';

/** include/uapi/linux/eventpoll.h. */
export const EPOLLIN = 0x001;
export const EPOLLOUT = 0x004;
export const EPOLLERR = 0x008;

/** One direction's slot: the event it reports, its words in the dma-buf row, its fence class. */
interface Direction { readonly event: number; readonly active: number; readonly cb: number; readonly write: boolean }
const OUT: Direction = { event: EPOLLOUT, active: DB_POLL_OUT_ACTIVE, cb: DB_POLL_OUT_CB, write: true };
const IN: Direction = { event: EPOLLIN, active: DB_POLL_IN_ACTIVE, cb: DB_POLL_IN_CB, write: false };

/**
 * dma_buf_poll: the events of `events` (EPOLLIN, EPOLLOUT; others ignored) that are ready now,
 * 0 when none is (a callback is then armed for each that was requested and idle, and wakes the
 * poll waitqueue when its fence signals), EPOLLERR for a buffer whose last file reference is gone
 * (DMABUF_USE_AFTER_FREE titled after dma_buf_poll: the caller has no fd). A direction whose
 * callback is already armed reports nothing (a wake-up is coming). Context: process context, the
 * caller holding a file reference; sleeps on the resv lock (taken without a context), takes the
 * poll spinlock inside it.
 */
export function* dma_buf_poll(t: Task, db: DmaBuf, events: number): KGen<number> {
  if (!dma_buf_check(t, db, 'dma_buf_poll')) return EPOLLERR;
  let ready = events & (EPOLLIN | EPOLLOUT);
  if (ready === 0) return 0;
  const resv = dma_buf_resv(t, db);
  yield* dma_resv_lock(t, resv, null);
  if ((ready & EPOLLOUT) !== 0) ready = pollDirection(t, db, OUT, ready);
  if ((ready & EPOLLIN) !== 0) ready = pollDirection(t, db, IN, ready);
  dma_resv_unlock(t, resv);
  return ready;
}

/** One direction of dma_buf_poll: `ready` without `dir.event` unless it is ready now. Resv lock
 *  held. */
function pollDirection(t: Task, db: DmaBuf, dir: Direction, ready: number): number {
  const d = t.arena.dmabuf(db);
  const h = t.i32;
  spin_lock(t, d + DB_POLL_LOCK, db);
  const busy = h[d + dir.active] !== 0;
  if (!busy) h[d + dir.active] = dir.event;
  spin_unlock(t, d + DB_POLL_LOCK);
  if (busy) return ready & ~dir.event;
  if (!kernel_quirk(t, QUIRK_POLL_NO_FILE_REF)) dma_buf_get(t, db);
  const cb = dma_buf_poll_slot_cb(t, db, dir.cb, dir.write);
  if (dma_buf_poll_add_cb(t, dma_buf_resv(t, db), dir.write, cb)) return ready & ~dir.event;
  dma_buf_poll_cb(t, -1, cb);
  return ready;
}

/**
 * dma_buf_poll_add_cb: arm `cb` on the first fence of usage dma_resv_usage_rw(`write`) that has
 * not signaled. True when armed: dma_fence_add_callback returned 0 and the callback owns the
 * reference taken here. False when every fence had signaled (each -ENOENT: the reference is put
 * here). Resv lock held.
 */
function dma_buf_poll_add_cb(t: Task, resv: Resv, write: boolean, cb: FenceCb): boolean {
  let armed = false;
  dma_resv_for_each_fence(t, resv, dma_resv_usage_rw(write), (f: Fence) => {
    if (armed) return;
    const fence = dma_fence_get(t, f);
    armed = dma_fence_add_callback(t, fence, cb, KCB_DMA_BUF_POLL) === 0;
    if (!armed || kernel_quirk(t, QUIRK_POLL_ALWAYS_PUT)) dma_fence_put(t, fence);
  });
  return armed;
}

/**
 * dma_buf_poll_cb: wake the poll waitqueue, free the slot, put the fence (`f` < 0: NULL, called
 * by dma_buf_poll with nothing armed) and the file reference dma_buf_poll took. Context: the
 * signalling task under the fence lock, or dma_buf_poll under the resv lock; never sleeps (the
 * file's release, when this is its last reference, goes to task work). The buffer is live
 * whenever this runs: an armed callback holds a file reference, and without one
 * (QUIRK_POLL_NO_FILE_REF) release BUGs on the armed slot before the buffer is freed. So, as in
 * the kernel, nothing is checked. A callback that runs after the last put but before its deferred
 * release frees the slot, and that release then finds nothing armed.
 */
export function dma_buf_poll_cb(t: Task, f: number, cb: number): void {
  const arg = dma_fence_cb_arg(t, cb as FenceCb);
  const db = (arg >> 1) as DmaBuf;
  const d = t.arena.dmabuf(db);
  spin_lock(t, d + DB_POLL_LOCK, db);
  Atomics.add(t.i32, d + DB_POLL_WAKE, 1);
  wake_up_word(t, d + DB_POLL_WAKE);
  t.i32[d + ((arg & 1) !== 0 ? OUT.active : IN.active)] = 0;
  spin_unlock(t, d + DB_POLL_LOCK);
  if (f >= 0) dma_fence_put(t, f as Fence);
  if (!kernel_quirk(t, QUIRK_POLL_NO_FILE_REF)) dma_buf_put_deferred(t, db);
}

register_kernel_callback(KCB_DMA_BUF_POLL, dma_buf_poll_cb);

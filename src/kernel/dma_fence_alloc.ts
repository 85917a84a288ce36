/**
 * Fence rows and their lifetime: a new fence reuses a released row when there is one — the
 * oldest, from the free list C_FREE_FENCE / C_FREE_FENCE_TAIL chained through F_NEXT_FREE — else
 * takes the next never-used row. The row's generation (F_GEN) is bumped when the fence is
 * released, and a handle carries the generation it was made at (layout.ts HANDLE_BITS), so a
 * handle kept past the release is told apart from the fence that reuses its row — before and
 * after the reuse alike. Oldest first spreads reuse over every released row, so a generation
 * wraps only after all of them had a turn (a last-in-first-out list would cycle one hot row).
 *
 * Locking: the list is read and written only under its spinlock (C_FENCE_LOCK), never held
 * across a yield. Context: any task; nothing sleeps.
 */
import {
  C_FENCE_LOCK, C_FREE_FENCE, C_FREE_FENCE_TAIL, C_NEXT_FENCE, FENCEF_LIVE, FENCE_WORDS, F_FLAGS, F_GEN, F_NEXT_FREE,
} from '../shm/layout.js';
import type { Arena } from '../shm/arena.js';
import { allocRow } from './alloc.js';
import { fifo_append } from './free_fifo.js';
import { call_rcu } from './call_rcu.js';
import { spin_lock, spin_unlock } from './spinlock.js';
import type { Task } from './task.js';
import type { Fence } from './types.js';
import { siteId } from './warn.js';

/** The oldest released fence row (now the caller's), or -1 when none is free. */
function takeReleased(t: Task): number {
  const h = t.i32;
  const c = t.ctl;
  spin_lock(t, c + C_FENCE_LOCK, 0);
  const head = h[c + C_FREE_FENCE]!;
  if (head !== 0) {
    const next = h[t.arena.layout.fences + (head - 1) * FENCE_WORDS + F_NEXT_FREE]!;
    h[c + C_FREE_FENCE] = next;
    if (next === 0) h[c + C_FREE_FENCE_TAIL] = 0;
  }
  spin_unlock(t, c + C_FENCE_LOCK);
  return head - 1;
}

/** Append released row `row` to the free list. */
function putReleased(t: Task, row: number): void {
  const h = t.i32;
  const c = t.ctl;
  spin_lock(t, c + C_FENCE_LOCK, 0);
  fifo_append(h, c + C_FREE_FENCE, c + C_FREE_FENCE_TAIL, t.arena.layout.fences + F_NEXT_FREE, FENCE_WORDS, row);
  spin_unlock(t, c + C_FENCE_LOCK);
}

/**
 * A row for a new fence: the oldest released one, else the next never-used one (throws the
 * harness's geometry error when both are gone). Returns its handle at the row's current
 * generation. The caller initialises every field but F_GEN and F_NEXT_FREE.
 */
export function fence_alloc(t: Task): Fence {
  const a = t.arena;
  let row = takeReleased(t);
  if (row < 0) row = allocRow(a, C_NEXT_FENCE, a.geometry.fences, 'dma_fence');
  return fence_current(t, row as Fence);
}

/** The handle of the fence that holds `f`'s row now (`f` itself unless it is stale; a bare row
 *  reads as a handle of generation 0). */
export function fence_current(t: Task, f: Fence): Fence {
  const a = t.arena;
  const gen = Atomics.load(t.i32, a.fence(f) + F_GEN) & a.fenceGenMask;
  return ((f & a.fenceRowMask) | (gen << a.layout.fenceRowBits)) as Fence;
}

/**
 * dma_fence_release's end: the fence's last reference is gone. Clears LIVE, bumps the row's
 * generation (every handle to it is now stale) and appends the row to the free list — at once
 * when `t` is preemptible (no spinlock, interrupts on), else once it is (call_rcu): the
 * kernel's dma_fence_free is kfree_rcu, and a CPU inside a spinlock or with interrupts off holds
 * off the grace period, so a fence
 * whose last reference a callback drops under its own lock keeps its memory (and its lock word,
 * which the task still holds and will release) until that lock is gone.
 * Precondition: `f` is current and its refcount reached zero in this task.
 */
export function fence_free(t: Task, f: Fence): void {
  const a = t.arena;
  const b = a.fence(f);
  const row = f & a.fenceRowMask;
  Atomics.and(t.i32, b + F_FLAGS, ~FENCEF_LIVE);
  Atomics.add(t.i32, b + F_GEN, 1);
  call_rcu(t, () => putReleased(t, row));
}

/** Whether `f` is a stale handle: its fence was released (and its row maybe reused) since. */
export function fence_stale(t: Task, f: Fence): boolean {
  return fenceHandleStale(t.arena, f);
}

/**
 * Whether fence handle `f` of arena `a` is stale: its generation differs from its row's (F_GEN,
 * read atomically: fence_free bumps it in the releasing task's thread). No lock, any thread (the
 * model through fence_stale, the scheduler's views); the answer may be out of date by the time
 * the caller uses it unless the caller holds a reference or runs the turn. A handle held across
 * as many reuses as the generation bits count looks current again (layout HANDLE_BITS).
 */
export function fenceHandleStale(a: Arena, f: number): boolean {
  const mask = a.fenceGenMask;
  return ((f >>> a.layout.fenceRowBits) & mask) !== (Atomics.load(a.i32, a.fence(f) + F_GEN) & mask);
}

/**
 * Check a fence handle at the start of `fn`: true when current; false after reporting a stale one
 * as a use-after-free in `fn` (the caller then leaves the row alone: it may be another fence).
 */
export function fence_check(t: Task, f: Fence, fn: string): boolean {
  if (!fence_stale(t, f)) return true;
  t.warn('FENCE_USE_AFTER_FREE', f, siteId(fn));
  return false;
}

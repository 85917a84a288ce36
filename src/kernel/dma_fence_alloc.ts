/**
 * Fence rows and their lifetime: a new fence reuses a released row when there is one (the
 * lock-free free list C_FREE_FENCE, kernel/freelist.ts), else takes the next never-used row. The
 * row's generation (F_GEN) is bumped when the fence is released, and a handle carries the
 * generation it was made at (layout.ts HANDLE_BITS), so a handle kept past the release is told
 * apart from the fence that reuses its row — before and after the reuse alike.
 *
 * Context: any task, no locks needed, nothing sleeps.
 */
import type { Arena } from '../shm/arena.js';
import {
  C_FREE_FENCE, C_NEXT_FENCE, FENCEF_LIVE, FENCE_WORDS, F_FLAGS, F_GEN, F_NEXT_FREE,
} from '../shm/layout.js';
import { allocRow } from './alloc.js';
import { freelist_pop, freelist_push, type FreeList } from './freelist.js';
import type { Task } from './task.js';
import type { Fence } from './types.js';
import { siteId } from './warn.js';

const LISTS = new WeakMap<Arena, FreeList>();
let lastArena: Arena | undefined;
let lastList: FreeList | undefined;

/** The arena's fence free list descriptor (memoised: a thread works on one arena at a time). */
function freeList(a: Arena): FreeList {
  if (a === lastArena) return lastList!;
  let l = LISTS.get(a);
  if (l === undefined) {
    const { control, fences, fenceRowBits } = a.layout;
    l = { head: control + C_FREE_FENCE, linkBase: fences + F_NEXT_FREE, stride: FENCE_WORDS, rowBits: fenceRowBits };
    LISTS.set(a, l);
  }
  lastArena = a;
  lastList = l;
  return l;
}

/**
 * A row for a new fence: the last released one, else the next never-used one (throws the
 * harness's geometry error when both are gone). Returns its handle at the row's current
 * generation. The caller initialises every field but F_GEN and F_NEXT_FREE.
 */
export function fence_alloc(t: Task): Fence {
  const a = t.arena;
  let row = freelist_pop(t.i32, freeList(a));
  if (row < 0) row = allocRow(a, C_NEXT_FENCE, a.geometry.fences, 'dma_fence');
  const gen = Atomics.load(t.i32, a.layout.fences + row * FENCE_WORDS + F_GEN) & a.fenceGenMask;
  return (row | (gen << a.layout.fenceRowBits)) as Fence;
}

/** The handle of the fence that holds `f`'s row now (`f` itself unless it is stale). */
export function fence_current(t: Task, f: Fence): Fence {
  const a = t.arena;
  const gen = Atomics.load(t.i32, a.fence(f) + F_GEN) & a.fenceGenMask;
  return ((f & a.fenceRowMask) | (gen << a.layout.fenceRowBits)) as Fence;
}

/**
 * dma_fence_release's end: the fence's last reference is gone. Clears LIVE, bumps the row's
 * generation (every handle to it is now stale) and pushes the row on the free list.
 * Precondition: `f` is current and its refcount reached zero in this task.
 */
export function fence_free(t: Task, f: Fence): void {
  const a = t.arena;
  const b = a.fence(f);
  Atomics.and(t.i32, b + F_FLAGS, ~FENCEF_LIVE);
  Atomics.add(t.i32, b + F_GEN, 1);
  freelist_push(t.i32, freeList(a), f & a.fenceRowMask);
}

/** Whether `f` is a stale handle: its fence was released (and its row maybe reused) since. */
export function fence_stale(t: Task, f: Fence): boolean {
  const a = t.arena;
  const mask = a.fenceGenMask;
  return ((f >>> a.layout.fenceRowBits) & mask) !== (t.i32[a.fence(f) + F_GEN]! & mask);
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

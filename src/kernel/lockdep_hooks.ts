/**
 * The validator's hooks called by the model: ww_mutex.ts (acquire attempt, acquired, release),
 * dma_fence_wait.ts (a fence wait is an acquire-and-release of dma_fence_map), dma_fence_signal.ts
 * (signalling sections hold dma_fence_map as a recursive read) and the lockdep annotations
 * might_lock / lock_map_acquire / lock_map_release / lockdep_assert_held.
 *
 * A blocking acquisition attempt adds an edge held class → acquired class for every held lock of
 * another class; when an edge is NEW and the acquired class already reaches the held one, the
 * cycle is recorded once as LOCKDEP_CIRCULAR with aux = [held class, acquired class, edge serial,
 * held-as-read]. Cost: every hook is O(held locks) with no allocation; the cycle search runs only
 * for a new edge (its matrix bit was clear).
 */
import { C_STEP, C_TRIAL, M_KEY, M_OWNER } from '../shm/layout.js';
import { fenceMapClass, lockdep_class, type LockClassKey } from './lockdep_class.js';
import { addEdge, reaches } from './lockdep_graph.js';
import { heldEntry, heldPop, heldPush, heldStack } from './lockdep_held.js';
import { HELD_CLASS_MASK, HELD_READ, HE_CLASS, HE_REF, HS_DEPTH, HS_LOW, LCF_MAP, type LockdepLayout, lockdepLayout } from './lockdep_layout.js';
import type { Task } from './task.js';
import type { Fence, Mutex } from './types.js';
import { siteId } from './warn.js';

const SITE_WW = siteId('ww_mutex_lock');
const SITE_WW_SLOW = siteId('ww_mutex_lock_slow');
const SITE_MUTEX = siteId('mutex_lock');
const SITE_WAIT = siteId('dma_fence_wait');
const SITE_MIGHT_LOCK = siteId('might_lock');
const SITE_MAP = siteId('lock_map_acquire');

/**
 * Dependencies of acquiring class `cls` (lock ref `ref`) on every held lock of another class whose
 * edge is not yet recorded; a cycle is reported at `site` on object `obj`. Allocation-free.
 */
function checkDeps(t: Task, ld: LockdepLayout, cls: number, ref: number, site: number, obj: number): void {
  const h = t.i32;
  const s = heldStack(t, ld);
  const d = h[s + HS_DEPTH]!;
  const row = ld.adj + (cls >>> 5);
  const bit = 1 << (cls & 31);
  for (let i = h[s + HS_LOW]!; i < d; i++) {
    const e = heldEntry(s, i);
    const hc = h[e + HE_CLASS]! & HELD_CLASS_MASK;
    if (hc === 0 || hc === cls || (h[row + hc * ld.rowWords]! & bit) !== 0) continue;
    dependOn(t, ld, e, hc, cls, ref, site, obj);
  }
}

/** A new dependency held entry `e` (class `hc`) → `cls`: record it, report a closed cycle. */
function dependOn(t: Task, ld: LockdepLayout, e: number, hc: number, cls: number, ref: number, site: number, obj: number): void {
  const h = t.i32;
  const serial = addEdge(h, ld, hc, cls, t.id, h[t.ctl + C_TRIAL]!, h[t.ctl + C_STEP]!, h[e + HE_REF]!, ref);
  if (serial !== 0 && reaches(h, ld, cls, hc)) {
    t.warn('LOCKDEP_CIRCULAR', obj, site, [hc, cls, serial, (h[e + HE_CLASS]! & HELD_READ) !== 0 ? 1 : 0]);
  }
}

/** A blocking acquisition attempt of `lock` (ww_mutex.ts lockCommon, before it may sleep). */
export function lockdepAcquire(t: Task, lock: Mutex, ww: boolean, slow: boolean): void {
  const cls = t.i32[t.arena.mutex(lock) + M_KEY]!;
  if (cls === 0) return;
  checkDeps(t, lockdepLayout(t.arena), cls, lock + 1, slow ? SITE_WW_SLOW : ww ? SITE_WW : SITE_MUTEX, lock);
}

/** `lock` was acquired (blocking or trylock): it is now held. */
export function lockdepAcquired(t: Task, lock: Mutex): void {
  const cls = t.i32[t.arena.mutex(lock) + M_KEY]!;
  if (cls !== 0) heldPush(t, lockdepLayout(t.arena), cls, lock + 1);
}

/** `lock` was released. */
export function lockdepRelease(t: Task, lock: Mutex): void {
  const cls = t.i32[t.arena.mutex(lock) + M_KEY]!;
  if (cls !== 0) heldPop(t, lockdepLayout(t.arena), cls, lock + 1);
}

/** dma_fence_wait*: acquire and release dma_fence_map (held locks → dma_fence_map). */
export function lockdepMightWait(t: Task, f: Fence): void {
  const fm = fenceMapClass(t.arena);
  if (fm !== 0) checkDeps(t, lockdepLayout(t.arena), fm, -(f + 1), SITE_WAIT, f);
}

/** dma_fence_begin_signalling: hold dma_fence_map as a recursive read (a trylock: no edge). */
export function lockdepSignallingBegin(t: Task): void {
  const fm = fenceMapClass(t.arena);
  if (fm !== 0) heldPush(t, lockdepLayout(t.arena), fm | HELD_READ, 0);
}

/** dma_fence_end_signalling: release `sections` nested signalling sections. */
export function lockdepSignallingEnd(t: Task, sections: number): void {
  const fm = fenceMapClass(t.arena);
  if (fm === 0) return;
  const ld = lockdepLayout(t.arena);
  for (let i = 0; i < sections; i++) heldPop(t, ld, fm, 0);
}

/** might_lock: record the dependencies of taking `lock` now, without taking it. */
export function might_lock(t: Task, lock: Mutex): void {
  const cls = t.i32[t.arena.mutex(lock) + M_KEY]!;
  if (cls !== 0) checkDeps(t, lockdepLayout(t.arena), cls, lock + 1, SITE_MIGHT_LOCK, lock);
}

/** lock_map_acquire: take pseudo lock `key` (fs_reclaim, a driver's own map …). */
export function lock_map_acquire(t: Task, key: LockClassKey): void {
  const cls = lockdep_class(t.arena, key, LCF_MAP);
  if (cls === 0) return;
  const ld = lockdepLayout(t.arena);
  checkDeps(t, ld, cls, 0, SITE_MAP, 0);
  heldPush(t, ld, cls, 0);
}

/** lock_map_release: release pseudo lock `key`. */
export function lock_map_release(t: Task, key: LockClassKey): void {
  const cls = lockdep_class(t.arena, key, LCF_MAP);
  if (cls !== 0) heldPop(t, lockdepLayout(t.arena), cls, 0);
}

/**
 * lockdep_assert_held / lockdep_assert_held_write: WARN (lock-not-held, titled after `caller`)
 * unless the calling task holds `lock`. The model's sleeping locks have one mode, so the write
 * form is the same check. Returns whether the task holds it. Context: any; never sleeps.
 */
export function lockdep_assert_held(t: Task, lock: Mutex, caller = 'lockdep_assert_held'): boolean {
  if (Atomics.load(t.i32, t.arena.mutex(lock) + M_OWNER) === t.id + 1) return true;
  t.warn('LOCK_NOT_HELD', lock, siteId(caller));
  return false;
}

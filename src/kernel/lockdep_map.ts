/**
 * The validator's pseudo-lock annotations: might_lock (the checks of taking a lock, without
 * taking it), lock_map_acquire / lock_map_release (a lockdep map — fs_reclaim, a driver's own
 * map — held like an exclusive lock), and the allocation annotation built on them:
 * fs_reclaim_acquire / fs_reclaim_release (mm/page_alloc.c) and might_alloc (sched/mm.h), which
 * every allocation that may enter direct reclaim makes, so that "allocate GFP_KERNEL while
 * holding L" is L → fs_reclaim, and inside a fence signalling section closes the cycle
 * dma_resv_lockdep() primes (fs_reclaim → … → dma_fence_map); and dma_fence_map's hooks — a fence
 * wait (dma_fence_wait.ts) acquires and releases it, a signalling section (dma_fence_signal.ts)
 * holds it as a recursive read. The dependency checks they make are lockdep_hooks.ts's.
 *
 * Not modelled: current_gfp_context / PF_MEMALLOC (no
 * memalloc_nofs/noio scopes, no reclaim context): the gfp given is the gfp used.
 */
import type { Arena } from '../shm/arena.js';
import { M_KEY } from '../shm/layout.js';
import { __GFP_DIRECT_RECLAIM, __GFP_FS, __GFP_NOLOCKDEP, type gfp_t } from './gfp.js';
import { might_sleep } from './might_sleep.js';
import { FS_RECLAIM_NAME, MMU_NOTIFIER_MAP_NAME, fenceMapClass, lockdep_class, type LockClassKey } from './lockdep_class.js';
import { checkDeps } from './lockdep_hooks.js';
import { HELD_RECURSIVE, heldCheck, heldPop, heldPush, heldStack } from './lockdep_held.js';
import { HELD_READ, HS_DEPTH, HS_LOW, LCF_MAP, type LockdepLayout, lockdepLayout } from './lockdep_layout.js';
import { noteReclaimClasses, seenReclaimClasses } from './lockdep_seen.js';
import type { Task } from './task.js';
import type { Fence, Mutex } from './types.js';
import { siteId } from './warn.js';

const SITE_MIGHT_LOCK = siteId('might_lock');
const SITE_MAP = siteId('lock_map_acquire');
const SITE_RECLAIM = siteId('fs_reclaim_acquire');
const SITE_WAIT = siteId('dma_fence_wait');

/**
 * might_lock: lockdep's lock_acquire and lock_release of `lock` (trylock 0, read 0, check 1, no
 * nest_lock) without taking it. check_deadlock comes first: a held lock of its class — a live
 * acquire context's first_lock_dep_map counts, and with no nest_lock nothing nests it — is
 * "possible recursive locking" (LOCK_RECURSIVE, titled after might_lock), after which lockdep
 * records nothing; else the dependencies of taking `lock` now. Context: any task; never sleeps.
 */
export function might_lock(t: Task, lock: Mutex): void {
  const cls = t.i32[t.arena.mutex(lock) + M_KEY]!;
  if (cls === 0) return;
  checkExclusive(t, lockdepLayout(t.arena), cls, lock + 1, SITE_MIGHT_LOCK, lock);
}

/**
 * lockdep's checks of an exclusive acquisition of class `cls` with no nest_lock (might_lock,
 * lock_map_acquire; `ref`, `site` and `obj` as checkDeps takes them): check_deadlock first — a
 * held entry of the class is LOCK_RECURSIVE on `obj`, titled after `site`, and adds no
 * dependency — else the dependencies of taking it now. Pushes nothing. Returns whether it
 * reported.
 */
export function checkExclusive(t: Task, ld: LockdepLayout, cls: number, ref: number, site: number, obj: number): boolean {
  if (heldCheck(t, ld, cls, 0, 0) !== HELD_RECURSIVE) return checkDeps(t, ld, cls, ref, site, obj);
  t.warn('LOCK_RECURSIVE', obj, site);
  return true;
}

/**
 * lock_map_acquire: take pseudo lock `key` (fs_reclaim, a driver's own map …) exclusively
 * (lock_acquire_exclusive: read 0, check 1, no nest_lock). check_deadlock comes first, as for a
 * mutex (lockdepAcquire): holding a map of its class already — also as a read, a signalling
 * section's dma_fence_map — is "possible recursive locking" (LOCK_RECURSIVE, titled after
 * lock_map_acquire, object 0: a map is no lock of the model's) and adds no dependency; else the
 * dependencies of taking it now. Either way it is held until lock_map_release, so the two
 * releases balance. Context: any task; never sleeps.
 */
export function lock_map_acquire(t: Task, key: LockClassKey): void {
  const cls = lockdep_class(t.arena, key, LCF_MAP);
  if (cls === 0) return;
  const ld = lockdepLayout(t.arena);
  checkExclusive(t, ld, cls, 0, SITE_MAP, 0);
  heldPush(t, ld, cls, 0);
}

/** lock_map_release: release pseudo lock `key`. */
export function lock_map_release(t: Task, key: LockClassKey): void {
  const cls = lockdep_class(t.arena, key, LCF_MAP);
  if (cls !== 0) heldPop(t, lockdepLayout(t.arena), cls, 0);
}

/** No classes: the arena validates nothing. */
const NO_RECLAIM: readonly [number, number] = [0, 0];

/**
 * The classes fs_reclaim_acquire takes in `a`: [fs_reclaim, the mmu notifier map], both primed
 * (lockdep_class.ts); [0, 0] when the arena validates nothing. Remembered by this thread once
 * found (lockdep_seen.ts), so an allocation looks nothing up in the table.
 */
function reclaimClasses(a: Arena): readonly [number, number] {
  const ld = lockdepLayout(a);
  const seen = seenReclaimClasses(ld);
  if (seen !== null) return seen;
  const fs = lockdep_class(a, FS_RECLAIM_NAME, LCF_MAP);
  const mmu = lockdep_class(a, MMU_NOTIFIER_MAP_NAME, LCF_MAP);
  if (fs === 0 || mmu === 0) return NO_RECLAIM;
  noteReclaimClasses(ld, fs, mmu);
  return seenReclaimClasses(ld)!;
}

/** __need_reclaim: an allocation with `gfp` may enter direct reclaim and is annotated. */
function need_reclaim(gfp: gfp_t): boolean {
  return (gfp & (__GFP_DIRECT_RECLAIM | __GFP_NOLOCKDEP)) === __GFP_DIRECT_RECLAIM;
}

/**
 * fs_reclaim_acquire: enter what direct reclaim of an allocation with `gfp` may wait on. Nothing
 * for a gfp that cannot reclaim (no __GFP_DIRECT_RECLAIM: GFP_NOWAIT, GFP_ATOMIC) or asks for
 * no lockdep (__GFP_NOLOCKDEP). Else, with __GFP_FS, take the fs_reclaim map exclusively (held
 * until fs_reclaim_release), and then take and release the mmu notifier map (CONFIG_MMU_NOTIFIER:
 * reclaim may invalidate mappings). Findings are titled after fs_reclaim_acquire, on object 0:
 * LOCK_RECURSIVE for a map held already, LOCKDEP_CIRCULAR for a new dependency closing a cycle —
 * inside a fence signalling section, dma_fence_map → fs_reclaim against the primed fs_reclaim →
 * … → dma_fence_map. One report per call, as lockdep turns itself off at its first: a report on
 * fs_reclaim skips the mmu notifier map's check (whose dependencies are then not recorded).
 * Context: any task; never sleeps, is no scheduling point.
 */
export function fs_reclaim_acquire(t: Task, gfp: gfp_t): void {
  if (!need_reclaim(gfp)) return;
  const cls = reclaimClasses(t.arena);
  if (cls[0] === 0) return;
  const ld = lockdepLayout(t.arena);
  let reported = false;
  if ((gfp & __GFP_FS) !== 0) {
    reported = checkExclusive(t, ld, cls[0], 0, SITE_RECLAIM, 0);
    heldPush(t, ld, cls[0], 0);
  }
  if (!reported) checkExclusive(t, ld, cls[1], 0, SITE_RECLAIM, 0);
}

/** fs_reclaim_release: leave what fs_reclaim_acquire with the same `gfp` entered. */
export function fs_reclaim_release(t: Task, gfp: gfp_t): void {
  if (!need_reclaim(gfp) || (gfp & __GFP_FS) === 0) return;
  const cls = reclaimClasses(t.arena);
  if (cls[0] !== 0) heldPop(t, lockdepLayout(t.arena), cls[0], 0);
}

/**
 * might_alloc: the annotation of an allocation with `gfp` (slab_pre_alloc_hook,
 * prepare_alloc_pages): fs_reclaim_acquire then fs_reclaim_release — a GFP_KERNEL allocation
 * depends on fs_reclaim and the mmu notifier map from every held lock, whether or not it would
 * reclaim this time. Call it where the kernel allocates, before the allocation may fail.
 * might_sleep_if(gfpflags_allow_blocking(gfp)) comes after them, as in the kernel's might_alloc:
 * a gfp that may block (GFP_KERNEL, GFP_NOIO …) with a spinlock held is SLEEP_IN_ATOMIC, titled
 * after might_alloc (might_sleep.ts), reported after the allocation's circular dependency.
 * Context: any task; never sleeps.
 *
 * Cost (allocations are on hot paths: a reserve per job): the pair's checks without its push and
 * pop — the same findings and dependencies, as the one dependency fs_reclaim held adds (fs_reclaim
 * → the mmu notifier map) is primed — and nothing at all while the task holds no lock.
 */
export function might_alloc(t: Task, gfp: gfp_t): void {
  reclaimDeps(t, gfp);
  if ((gfp & __GFP_DIRECT_RECLAIM) !== 0) might_sleep(t, 'might_alloc');
}

/** might_alloc's fs_reclaim_acquire / fs_reclaim_release checks (see there). */
function reclaimDeps(t: Task, gfp: gfp_t): void {
  if (!need_reclaim(gfp)) return;
  const cls = reclaimClasses(t.arena);
  if (cls[0] === 0) return;
  const ld = lockdepLayout(t.arena);
  const s = heldStack(t, ld);
  if (t.i32[s + HS_DEPTH] === t.i32[s + HS_LOW]) return;
  const reported = (gfp & __GFP_FS) !== 0 && checkExclusive(t, ld, cls[0], 0, SITE_RECLAIM, 0);
  if (!reported) checkExclusive(t, ld, cls[1], 0, SITE_RECLAIM, 0);
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

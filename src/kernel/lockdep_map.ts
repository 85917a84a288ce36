/**
 * The validator's pseudo-lock annotations: might_lock (the checks of taking a lock, without
 * taking it) and lock_map_acquire / lock_map_release (a lockdep map — fs_reclaim, a driver's own
 * map — held like an exclusive lock). The dependency checks they make are lockdep_hooks.ts's.
 */
import { M_KEY } from '../shm/layout.js';
import { lockdep_class, type LockClassKey } from './lockdep_class.js';
import { checkDeps } from './lockdep_hooks.js';
import { HELD_RECURSIVE, heldCheck, heldPop, heldPush } from './lockdep_held.js';
import { LCF_MAP, type LockdepLayout, lockdepLayout } from './lockdep_layout.js';
import type { Task } from './task.js';
import type { Mutex } from './types.js';
import { siteId } from './warn.js';

const SITE_MIGHT_LOCK = siteId('might_lock');
const SITE_MAP = siteId('lock_map_acquire');

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
 * dependency — else the dependencies of taking it now. Pushes nothing.
 */
function checkExclusive(t: Task, ld: LockdepLayout, cls: number, ref: number, site: number, obj: number): void {
  if (heldCheck(t, ld, cls, 0, 0) === HELD_RECURSIVE) t.warn('LOCK_RECURSIVE', obj, site);
  else checkDeps(t, ld, cls, ref, site, obj);
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

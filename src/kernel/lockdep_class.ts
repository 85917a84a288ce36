/**
 * The validator's lock-class table and its priming (see lockdep.ts for the whole design).
 *
 * A class key is a NAME string (hashed to a stable id like warn.ts siteId, so every thread
 * agrees) or a numeric key; slots are claimed by CAS in the arena, so threads agree on class ids
 * too. Class 0 means "not validated" (a plain mutex made without a key, or a full table).
 *
 * Priming: the first use of an arena seeds dma_resv_lockdep()'s order — mmap_lock → resv lock →
 * fs_reclaim → i_mmap_rwsem → mmu notifier map → dma_fence_map — so taking a resv lock inside a
 * signalling section is reported on first sight.
 */
import type { Arena } from '../shm/arena.js';
import { M_KEY } from '../shm/layout.js';
import {
  LCF_MAP, LCF_SUB_MASK, LCF_SUB_SHIFT, LC_BASE, LC_FLAGS, LC_KEY, LC_NAME, LD_DROPPED, LD_FENCE_MAP, LD_INIT,
  LD_NCLASSES, LD_RESV_CLASS, LD_SERIAL, type LockdepLayout, lockdepLayout,
} from './lockdep_layout.js';
import { addEdge } from './lockdep_graph.js';
import type { LockdepClassRef } from '../trace/lockdep_info.js';
import type { Task } from './task.js';
import type { Mutex } from './types.js';
import { siteId, siteName } from './warn.js';

/** A lock class key given to ww_mutex_init / mutex_init: a class name, or a numeric key. */
export type LockClassKey = number | string;

export const RESERVATION_CLASS_NAME = 'reservation_ww_class_mutex';
export const FENCE_MAP_NAME = 'dma_fence_map';
/** The other classes dma_resv_lockdep() orders (name a mutex so to take part in that order). */
export const MMAP_LOCK_NAME = 'mmap_lock';
export const FS_RECLAIM_NAME = 'fs_reclaim';
export const I_MMAP_NAME = 'i_mmap_rwsem';
export const MMU_NOTIFIER_MAP_NAME = 'mmu_notifier_invalidate_range_start';

// Register the primed class names in every thread that loads the model (report names).
for (const n of [RESERVATION_CLASS_NAME, FENCE_MAP_NAME, MMAP_LOCK_NAME, FS_RECLAIM_NAME, I_MMAP_NAME, MMU_NOTIFIER_MAP_NAME]) siteId(n);

/** The class id of `key` in `a` (registering it), 0 when not validated or the table is full. */
export function lockdep_class(a: Arena, key: LockClassKey, flags = 0): number {
  if (key === '' || (typeof key === 'number' && (key | 0) === 0)) return 0;
  const ld = lockdepLayout(a);
  if (ld.classes < 2) return 0;
  ensurePrimed(a, ld);
  return typeof key === 'string' ? classSlot(a.i32, ld, siteId(key), true, flags) : classSlot(a.i32, ld, key | 0, false, flags);
}

const WW_CLASS_NAMES: string[] = [];

/**
 * The class of a new mutex (ww_mutex_init / mutex_init): the class of `key` when given; else a
 * reservation lock (ww_class 0) gets `reservation_ww_class_mutex`, another ww_mutex its
 * ww_class's class, and a plain mutex (`wwClass` null) 0 (not validated).
 */
export function lockdepMutexClass(t: Task, wwClass: number | null, key: LockClassKey): number {
  if (key !== 0 && key !== '') return lockdep_class(t.arena, key);
  if (wwClass === null) return 0;
  if (wwClass === 0) return lockdep_class(t.arena, RESERVATION_CLASS_NAME);
  let name = WW_CLASS_NAMES[wwClass];
  if (name === undefined) { name = `ww_class${wwClass}_mutex`; WW_CLASS_NAMES[wwClass] = name; }
  return lockdep_class(t.arena, name);
}

/** lockdep's MAX_LOCKDEP_SUBCLASSES: subclasses 0 .. 7. */
export const MAX_LOCKDEP_SUBCLASSES = 8;

/**
 * The class of subclass `sub` of class `cls` (mutex_lock_nested): `cls` itself for subclass 0, 0
 * (not validated) for class 0 or a subclass outside 0 .. MAX_LOCKDEP_SUBCLASSES - 1 (the kernel
 * turns lockdep off on one: "BUG: looking up invalid subclass"); else a class of its own, as
 * lockdep keeps one per key and subclass, named `<name>/<sub>`. Its key is derived from the base
 * key (negative and even: never a name's key), so every thread finds the same slot.
 */
export function lockdepSubclass(a: Arena, cls: number, sub: number): number {
  if (sub === 0 || cls === 0) return cls;
  if (!Number.isInteger(sub) || sub < 0 || sub >= MAX_LOCKDEP_SUBCLASSES) return 0;
  const ld = lockdepLayout(a);
  const h = a.i32;
  const key = (Math.imul(h[ld.cls(cls) + LC_KEY]! ^ Math.imul(sub, 0x9e3779b9), 0x85ebca6b) | 0x80000000) & ~1;
  const c = classSlot(h, ld, key, false, sub << LCF_SUB_SHIFT);
  if (c !== 0) h[ld.cls(c) + LC_BASE] = cls;
  return c;
}

/** Find or claim the slot of `key` (open addressing over slots 1..classes-1; CAS-claimed). */
function classSlot(h: Int32Array, ld: LockdepLayout, key: number, named: boolean, flags: number): number {
  const n = ld.classes - 1;
  const start = (key >>> 0) % n;
  for (let i = 0; i < n; i++) {
    const c = 1 + ((start + i) % n);
    const at = ld.cls(c);
    let cur = Atomics.load(h, at + LC_KEY);
    if (cur === 0) {
      cur = Atomics.compareExchange(h, at + LC_KEY, 0, key);
      if (cur === 0) {
        h[at + LC_NAME] = named ? key : 0;
        h[at + LC_FLAGS] = flags;
        Atomics.add(h, ld.hdr(LD_NCLASSES), 1);
        return c;
      }
    }
    if (cur === key) return c;
  }
  Atomics.add(h, ld.hdr(LD_DROPPED), 1);
  return 0;
}

/** Seed dma_resv_lockdep()'s order once per arena (first caller primes; others wait briefly). */
function ensurePrimed(a: Arena, ld: LockdepLayout): void {
  const h = a.i32;
  const init = ld.hdr(LD_INIT);
  if (Atomics.load(h, init) === 2) return;
  if (Atomics.compareExchange(h, init, 0, 1) === 0) {
    prime(h, ld);
    Atomics.store(h, init, 2);
    return;
  }
  for (let i = 0; i < 1 << 24 && Atomics.load(h, init) !== 2; i++) { /* another thread primes */ }
}

function prime(h: Int32Array, ld: LockdepLayout): void {
  const cls = (name: string, flags: number): number => classSlot(h, ld, siteId(name), true, flags);
  const mmap = cls(MMAP_LOCK_NAME, 0);
  const resv = cls(RESERVATION_CLASS_NAME, 0);
  const reclaim = cls(FS_RECLAIM_NAME, LCF_MAP);
  const immap = cls(I_MMAP_NAME, 0);
  const mmu = cls(MMU_NOTIFIER_MAP_NAME, LCF_MAP);
  const fmap = cls(FENCE_MAP_NAME, LCF_MAP);
  h[ld.hdr(LD_FENCE_MAP)] = fmap;
  h[ld.hdr(LD_RESV_CLASS)] = resv;
  // mmap_read_lock; dma_resv_lock; fs_reclaim_acquire; i_mmap_lock_write; i_mmap_unlock_write;
  // lock_map_acquire(mmu notifier); __dma_fence_might_wait(); release everything.
  const held: number[] = [];
  const take = (c: number, keep: boolean): void => {
    for (const p of held) if (p !== 0 && c !== 0 && p !== c) addEdge(h, ld, p, c, -1, 0, 0, 0, 0);
    if (keep) held.push(c);
  };
  take(mmap, true);
  take(resv, true);
  take(reclaim, true);
  take(immap, false);
  take(mmu, true);
  take(fmap, false);
}

/** The identity of class `c` (> 0) in `a`, as lockdepClassOfRef finds it in another arena. */
export function lockdepClassRef(a: Arena, c: number): LockdepClassRef {
  const at = lockdepLayout(a).cls(c);
  const h = a.i32;
  return { key: h[at + LC_KEY]!, named: h[at + LC_NAME] !== 0, flags: h[at + LC_FLAGS]! };
}

/** The class id of `ref` in `a`, registering it (primes the arena); 0 when the table is full or
 *  the arena validates nothing. */
export function lockdepClassOfRef(a: Arena, ref: LockdepClassRef): number {
  const ld = lockdepLayout(a);
  if (ld.classes < 2 || ref.key === 0) return 0;
  ensurePrimed(a, ld);
  return classSlot(a.i32, ld, ref.key, ref.named, ref.flags);
}

/** Display name of class `c`. */
export function lockdepClassName(a: Arena, c: number): string {
  if (c <= 0) return '(none)';
  const at = lockdepLayout(a).cls(c);
  const name = a.i32[at + LC_NAME]!;
  if (name !== 0) return siteName(name) || `class#${c}`;
  const base = a.i32[at + LC_BASE]!;
  if (base !== 0) return `${lockdepClassName(a, base)}/${(a.i32[at + LC_FLAGS]! & LCF_SUB_MASK) >>> LCF_SUB_SHIFT}`;
  return `key#${a.i32[at + LC_KEY]}`;
}

/** Edges recorded in `a` so far (priming included; primes the arena). */
export function lockdepEdgeCount(a: Arena): number {
  const ld = lockdepLayout(a);
  if (ld.classes >= 2) ensurePrimed(a, ld);
  return Atomics.load(a.i32, ld.hdr(LD_SERIAL));
}

/** Class id of dma_fence_map in `a` (primes the arena; 0 when the arena validates nothing). */
export function fenceMapClass(a: Arena): number {
  const ld = lockdepLayout(a);
  if (ld.classes < 2) return 0;
  ensurePrimed(a, ld);
  return a.i32[ld.hdr(LD_FENCE_MAP)]!;
}

/** Class id of reservation_ww_class_mutex in `a` (primes the arena; 0 when it validates nothing). */
export function reservationClass(a: Arena): number {
  const ld = lockdepLayout(a);
  if (ld.classes < 2) return 0;
  ensurePrimed(a, ld);
  return a.i32[ld.hdr(LD_RESV_CLASS)]!;
}

/** The class of mutex `lock` (0 = not validated). */
export function lockdepMutexClassOf(a: Arena, lock: Mutex): number {
  return a.i32[a.mutex(lock) + M_KEY]!;
}

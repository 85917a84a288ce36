/**
 * The validator's lock-class table and its priming (see lockdep.ts for the whole design).
 *
 * A class key is a NAME string (hashed to a stable id like warn.ts siteId, so every thread
 * agrees) or a numeric key; a class is its key and subclass together (mutex_lock_nested's
 * subclasses are classes of their own, as lockdep's subkeys), so two classes never share a slot
 * unless their keys are equal. Slots are claimed by CAS in the arena, so threads agree on class
 * ids too. Class 0 means "not validated" (a plain mutex made without a key, or a full table).
 *
 * Priming: the first use of an arena seeds dma_resv_lockdep()'s order — mmap_lock → resv
 * acquire context → resv lock → fs_reclaim → i_mmap_rwsem → mmu notifier map → dma_fence_map —
 * so taking a resv lock inside a signalling section is reported on first sight.
 */
import type { Arena } from '../shm/arena.js';
import { futexWake } from '../shm/futex.js';
import { M_KEY } from '../shm/layout.js';
import { CLAIMED, claimOrAwait } from './lockdep_claim.js';
import {
  LCF_IDENTITY, LCF_MAP, LCF_READY, LCF_SUB_MASK, LCF_SUB_SHIFT, LC_BASE, LC_FLAGS, LC_KEY, LC_NAME,
  LD_DROPPED, LD_FENCE_MAP, LD_INIT, LD_NCLASSES, LD_PRIMED, LD_RESV_CLASS, type LockdepLayout, lockdepLayout,
} from './lockdep_layout.js';
import { addEdge, lockdepGraphEdges } from './lockdep_graph.js';
import type { LockdepClassRef } from '../trace/lockdep_info.js';
import type { Task } from './task.js';
import type { Mutex } from './types.js';
import { siteId, siteName } from './warn.js';
import { noteAcquireClass, notePrimed, seenAcquireClass, seenPrimed } from './lockdep_seen.js';

/** A lock class key given to ww_mutex_init / mutex_init: a class name, or a numeric key. */
export type LockClassKey = number | string;

export const RESERVATION_CLASS_NAME = 'reservation_ww_class_mutex';
/** The class of reservation_ww_class's acquire contexts (DEFINE_WD_CLASS's acquire_key). */
export const RESERVATION_ACQUIRE_NAME = 'reservation_ww_class_acquire';
export const FENCE_MAP_NAME = 'dma_fence_map';
/** The other classes dma_resv_lockdep() orders (name a mutex so to take part in that order). */
export const MMAP_LOCK_NAME = 'mmap_lock';
export const FS_RECLAIM_NAME = 'fs_reclaim';
export const I_MMAP_NAME = 'i_mmap_rwsem';
export const MMU_NOTIFIER_MAP_NAME = 'mmu_notifier_invalidate_range_start';

// Register the primed class names in every thread that loads the model (report names).
for (const n of [RESERVATION_CLASS_NAME, RESERVATION_ACQUIRE_NAME, FENCE_MAP_NAME, MMAP_LOCK_NAME, FS_RECLAIM_NAME, I_MMAP_NAME, MMU_NOTIFIER_MAP_NAME]) siteId(n);

/** The class id of `key` in `a` (registering it), 0 when not validated or the table is full. */
export function lockdep_class(a: Arena, key: LockClassKey, flags = 0): number {
  if (key === '' || (typeof key === 'number' && (key | 0) === 0)) return 0;
  const ld = lockdepLayout(a);
  if (ld.classes < 2) return 0;
  ensurePrimed(a, ld);
  if (typeof key === 'string') {
    const id = siteId(key);
    return classSlot(a.i32, ld, id, flags & LCF_MAP, id, 0);
  }
  return classSlot(a.i32, ld, key | 0, flags & LCF_MAP, 0, 0);
}

/** Lock-class keys (siteIds of the names) of ww_classes by id: [mutex_key, acquire_key]. */
const WW_CLASS_KEYS: (readonly [number, number])[] = [];

/** The lock-class keys of ww_class `wwClass`: its mutexes' (`<name>_mutex`) and its contexts'
 *  (`<name>_acquire`); reservation_ww_class is ww_class 0. */
function wwClassKeys(wwClass: number): readonly [number, number] {
  let keys = WW_CLASS_KEYS[wwClass];
  if (keys === undefined) {
    const name = wwClass === 0 ? 'reservation_ww_class' : `ww_class${wwClass}`;
    keys = [siteId(`${name}_mutex`), siteId(`${name}_acquire`)];
    WW_CLASS_KEYS[wwClass] = keys;
  }
  return keys;
}

/** The class of name key `id` (a siteId) in `a`, 0 when not validated. */
function namedClass(a: Arena, id: number): number {
  const ld = lockdepLayout(a);
  if (ld.classes < 2) return 0;
  ensurePrimed(a, ld);
  return classSlot(a.i32, ld, id, 0, id, 0);
}

/**
 * The class of a new mutex (ww_mutex_init / mutex_init): the class of `key` when given; else a
 * reservation lock (ww_class 0) gets `reservation_ww_class_mutex`, another ww_mutex its
 * ww_class's class, and a plain mutex (`wwClass` null) 0 (not validated).
 */
export function lockdepMutexClass(t: Task, wwClass: number | null, key: LockClassKey): number {
  if (key !== 0 && key !== '') return lockdep_class(t.arena, key);
  if (wwClass === null) return 0;
  return namedClass(t.arena, wwClassKeys(wwClass)[0]);
}

/**
 * The classes ww_acquire_init takes for a context of ww_class `wwClass`: [its acquire class
 * (ctx->dep_map), its mutex class (ctx->first_lock_dep_map)]; 0s when the arena validates nothing.
 */
export function lockdepCtxClasses(t: Task, wwClass: number): [number, number] {
  return [lockdepCtxAcquireClass(t, wwClass), namedClass(t.arena, wwClassKeys(wwClass)[0])];
}

/** The acquire class of ww_class `wwClass` (ctx->dep_map's), 0 when the arena validates nothing:
 *  lockdepCtxClasses' first, looked up alone for each lock taken through a context, so this
 *  thread remembers it once found (lockdep_seen.ts). */
export function lockdepCtxAcquireClass(t: Task, wwClass: number): number {
  const ld = lockdepLayout(t.arena);
  const seen = seenAcquireClass(ld, wwClass);
  if (seen !== 0) return seen;
  const c = namedClass(t.arena, wwClassKeys(wwClass)[1]);
  if (c !== 0) noteAcquireClass(ld, wwClass, c);
  return c;
}

/** lockdep's MAX_LOCKDEP_SUBCLASSES: subclasses 0 .. 7. */
export const MAX_LOCKDEP_SUBCLASSES = 8;

/**
 * The class of subclass `sub` of class `cls` (mutex_lock_nested): `cls` itself for subclass 0, 0
 * (not validated) for class 0 or a subclass outside 0 .. MAX_LOCKDEP_SUBCLASSES - 1 (the kernel
 * turns lockdep off on one: "BUG: looking up invalid subclass"); else a class of its own, as
 * lockdep keeps one per key and subclass, named `<name>/<sub>`: the slot of `cls`'s key with
 * subclass `sub`, which no other key's class can take.
 */
export function lockdepSubclass(a: Arena, cls: number, sub: number): number {
  if (sub === 0 || cls === 0) return cls;
  if (!Number.isInteger(sub) || sub < 0 || sub >= MAX_LOCKDEP_SUBCLASSES) return 0;
  const ld = lockdepLayout(a);
  const h = a.i32;
  const at = ld.cls(cls);
  return classSlot(h, ld, h[at + LC_KEY]!, (h[at + LC_FLAGS]! & LCF_MAP) | (sub << LCF_SUB_SHIFT), 0, cls);
}

/**
 * Find or claim the slot of class (`key`, the subclass in `flags`): open addressing over slots
 * 1..classes-1 from a hash of both, claimed and published as lockdep_claim.ts describes; a slot
 * a live thread has claimed is read only once published (claimOrAwait), so two threads asking for
 * one key at once get one class, and a slot whose claimer was stopped before publishing is taken
 * over. The claiming thread writes `name` (siteId of the key's name, 0: none) and `base` (the
 * class a subclass class is of, 0: none), publishes and wakes the readers. Returns 0 when the
 * table is full (counted in LD_DROPPED).
 */
function classSlot(h: Int32Array, ld: LockdepLayout, key: number, flags: number, name: number, base: number): number {
  const n = ld.classes - 1;
  const sub = flags & LCF_SUB_MASK;
  const start = ((key ^ Math.imul(sub, 0x9e3779b9)) >>> 0) % n;
  for (let i = 0; i < n; i++) {
    const c = 1 + ((start + i) % n);
    const at = ld.cls(c);
    let f = Atomics.load(h, at + LC_FLAGS);
    if (f <= 0) f = claimOrAwait(h, ld, at + LC_FLAGS, `lock class slot ${c}`);
    if (f === CLAIMED) {
      h[at + LC_KEY] = key;
      h[at + LC_NAME] = name;
      h[at + LC_BASE] = base;
      Atomics.store(h, at + LC_FLAGS, flags | LCF_READY);
      futexWake(h, at + LC_FLAGS, Infinity);
      Atomics.add(h, ld.hdr(LD_NCLASSES), 1);
      return c;
    }
    if (h[at + LC_KEY] === key && (f & LCF_SUB_MASK) === sub) return c;
  }
  Atomics.add(h, ld.hdr(LD_DROPPED), 1);
  return 0;
}

/**
 * Seed dma_resv_lockdep()'s order once per arena: the first caller claims LD_INIT and primes,
 * others wait for it. Priming is idempotent (classes are found or claimed, edges added once), so
 * a thread that takes over a primer stopped half-way (lockdep_claim.ts) primes again. A thread
 * that has seen the table primed remembers it (lockdep_seen.ts) and reads nothing.
 */
function ensurePrimed(a: Arena, ld: LockdepLayout): void {
  if (seenPrimed(ld)) return;
  const h = a.i32;
  const init = ld.hdr(LD_INIT);
  if (Atomics.load(h, init) === LD_PRIMED) { notePrimed(ld); return; }
  if (claimOrAwait(h, ld, init, 'priming') !== CLAIMED) return;
  prime(h, ld);
  Atomics.store(h, init, LD_PRIMED);
  futexWake(h, init, Infinity);
}

function prime(h: Int32Array, ld: LockdepLayout): void {
  const cls = (name: string, flags: number): number => classSlot(h, ld, siteId(name), flags, siteId(name), 0);
  const mmap = cls(MMAP_LOCK_NAME, 0);
  const acquire = cls(RESERVATION_ACQUIRE_NAME, 0);
  const resv = cls(RESERVATION_CLASS_NAME, 0);
  const reclaim = cls(FS_RECLAIM_NAME, LCF_MAP);
  const immap = cls(I_MMAP_NAME, 0);
  const mmu = cls(MMU_NOTIFIER_MAP_NAME, LCF_MAP);
  const fmap = cls(FENCE_MAP_NAME, LCF_MAP);
  h[ld.hdr(LD_FENCE_MAP)] = fmap;
  h[ld.hdr(LD_RESV_CLASS)] = resv;
  // mmap_read_lock; ww_acquire_init (the context's map, then its first_lock_dep_map: the resv
  // class, which dma_resv_lock then nests under); fs_reclaim_acquire; i_mmap_lock_write;
  // i_mmap_unlock_write; lock_map_acquire(mmu notifier); __dma_fence_might_wait(); release
  // everything.
  const held: number[] = [];
  const take = (c: number, keep: boolean): void => {
    for (const p of held) if (p !== 0 && c !== 0 && p !== c) addEdge(h, ld, p, c, -1, 0, 0, 0, 0);
    if (keep) held.push(c);
  };
  take(mmap, true);
  take(acquire, true);
  take(resv, true);
  take(reclaim, true);
  take(immap, false);
  take(mmu, true);
  take(fmap, false);
}

/**
 * The identity of class `c` (> 0) in `a`, as lockdepClassOfRef finds it in another arena: its
 * key, whether that is a name's, and its LCF_IDENTITY flags (a subclass class: its base's key
 * with the subclass number, so the other arena names it after its base too).
 */
export function lockdepClassRef(a: Arena, c: number): LockdepClassRef {
  const ld = lockdepLayout(a);
  const at = ld.cls(c);
  const h = a.i32;
  const base = h[at + LC_BASE]!;
  const named = h[(base !== 0 ? ld.cls(base) : at) + LC_NAME] !== 0;
  return { key: h[at + LC_KEY]!, named, flags: h[at + LC_FLAGS]! & LCF_IDENTITY };
}

/** The class id of `ref` in `a`, registering it — a subclass class after its base — (primes the
 *  arena); 0 when the table is full or the arena validates nothing. */
export function lockdepClassOfRef(a: Arena, ref: LockdepClassRef): number {
  const ld = lockdepLayout(a);
  if (ld.classes < 2 || ref.key === 0) return 0;
  ensurePrimed(a, ld);
  const base = classSlot(a.i32, ld, ref.key, ref.flags & LCF_MAP, ref.named ? ref.key : 0, 0);
  return lockdepSubclass(a, base, (ref.flags & LCF_SUB_MASK) >>> LCF_SUB_SHIFT);
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

/**
 * Edges in `a`'s dependency graph so far (priming included; primes the arena): its matrix bits,
 * not LD_SERIAL, which also counts the serial a thread stopped inside recordEdge reserved and
 * never published (lockdepGraphEdges). A snapshot; O(classes²/32), for tests and reports.
 */
export function lockdepEdgeCount(a: Arena): number {
  const ld = lockdepLayout(a);
  if (ld.classes >= 2) ensurePrimed(a, ld);
  return lockdepGraphEdges(a.i32, ld);
}

/** Class id of dma_fence_map in `a` (primes the arena; 0 when the arena validates nothing). */
export function fenceMapClass(a: Arena): number {
  const ld = lockdepLayout(a);
  if (ld.classes < 2) return 0;
  ensurePrimed(a, ld);
  return a.i32[ld.hdr(LD_FENCE_MAP)]!;
}

/** Class id of reservation_ww_class_mutex in `a` (primes the arena; 0 when it validates
 *  nothing). */
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

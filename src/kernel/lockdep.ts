/**
 * The lock-class dependency validator (kernel/locking/lockdep.c, reduced to what the model needs).
 *
 * Every validated mutex has a lock class (M_KEY holds its id in the class table; 0 = not
 * validated): reservation locks share `reservation_ww_class_mutex`, a ww_mutex made without a key
 * gets its ww_class's class, and a mutex made with a key gets the class of that key — a NAME
 * string (hashed to a stable id like warn.ts siteId, so every thread agrees) or a numeric key. A
 * plain mutex made without a key is not validated. `dma_fence_map` is a pseudo lock (lockdep map)
 * for fence signalling: a signalling section holds it as a recursive read (trylock: no edge), and
 * waiting on a fence acquires and releases it, so "wait on a fence while holding L" is
 * L → dma_fence_map and "take L while signalling" is dma_fence_map → L.
 *
 * Each actor keeps a stack of held locks; a blocking acquisition attempt (like lock_acquire,
 * before the lock may be contended) adds an edge held class → acquired class for every held lock
 * of another class (trylocks add none; same-class edges are never added: ww acquisitions of one
 * class under one context nest like nest_lock, and same-class recursion is LOCK_RECURSIVE's
 * business). The classes × classes matrix lives in the arena and is never reset, so it spans
 * every trial of an executor. When an edge is NEW and the acquired class already reaches the held
 * one, the cycle is recorded once as LOCKDEP_CIRCULAR (circular-locking, titled after the
 * acquiring function), with aux = [held class, acquired class, edge serial, held-as-read].
 *
 * Priming: the first use of an arena seeds dma_resv_lockdep()'s order — mmap_lock → resv lock →
 * fs_reclaim → i_mmap_rwsem → mmu notifier map → dma_fence_map — so taking a resv lock inside a
 * signalling section is reported on first sight.
 *
 * Cost: the acquire hook is O(held locks) with no allocation; the cycle search runs only when an
 * edge is new (its matrix bit was clear), which happens at most classes² times per arena.
 */
import type { Arena } from '../shm/arena.js';
import {
  C_STEP, C_TRIAL, FINDING_AUX_WORDS, G_ACTOR, G_AUX, M_KEY, type Layout,
} from '../shm/layout.js';
import {
  E_ACTOR, E_FROM, E_SERIAL, E_STEP, E_TO, E_TRIAL, HELD_CAP, HELD_CLASS_MASK,
  HELD_ENTRY_WORDS, HELD_READ, HE_CLASS, HE_COUNT, HE_REF, HS_DEPTH, HS_ENTRIES, HS_LOW, HS_OVERFLOW, HS_TRIAL, LCF_MAP,
  LC_FLAGS, LC_KEY, LC_NAME, LD_DROPPED, LD_FENCE_MAP, LD_INIT, LD_NCLASSES, LD_RESV_CLASS, LD_SERIAL,
  LD_STACK_OVERFLOW, LockdepLayout,
} from './lockdep_layout.js';
import type { Task } from './task.js';
import type { Fence, Mutex } from './types.js';
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

const SITE_WW = siteId('ww_mutex_lock');
const SITE_WW_SLOW = siteId('ww_mutex_lock_slow');
const SITE_MUTEX = siteId('mutex_lock');
const SITE_WAIT = siteId('dma_fence_wait');
const SITE_MIGHT_LOCK = siteId('might_lock');
const SITE_MAP = siteId('lock_map_acquire');
// Register the primed class names in every thread that loads the model (report names).
for (const n of [RESERVATION_CLASS_NAME, FENCE_MAP_NAME, MMAP_LOCK_NAME, FS_RECLAIM_NAME, I_MMAP_NAME, MMU_NOTIFIER_MAP_NAME]) siteId(n);

// ---------------------------------------------------------------------------------------------
// Layout cache: one LockdepLayout per arena layout, remembered for the last arena used.
let cachedFor: Layout | null = null;
let cached: LockdepLayout | null = null;

/** The validator's sub-layout in `a`. */
export function lockdepLayout(a: Arena): LockdepLayout {
  if (a.layout !== cachedFor || cached === null) {
    cached = new LockdepLayout(a.layout);
    cachedFor = a.layout;
  }
  return cached;
}

// ---------------------------------------------------------------------------------------------
// Classes.

/** The class id of `key` in `a` (registering it), 0 when not validated or the table is full. */
export function lockdep_class(a: Arena, key: LockClassKey, flags = 0): number {
  if (key === '' || (typeof key === 'number' && (key | 0) === 0)) return 0;
  const ld = lockdepLayout(a);
  if (ld.classes < 2) return 0;
  ensurePrimed(a, ld);
  return typeof key === 'string' ? classSlot(a.i32, ld, siteId(key), true, flags) : classSlot(a.i32, ld, key | 0, false, flags);
}

const WW_CLASS_NAMES: string[] = [];

/** The class of a new mutex (ww_mutex_init / mutex_init): see the file comment. */
export function lockdepMutexClass(t: Task, wwClass: number | null, key: LockClassKey): number {
  if (key !== 0 && key !== '') return lockdep_class(t.arena, key);
  if (wwClass === null) return 0;
  if (wwClass === 0) return lockdep_class(t.arena, RESERVATION_CLASS_NAME);
  let name = WW_CLASS_NAMES[wwClass];
  if (name === undefined) { name = `ww_class${wwClass}_mutex`; WW_CLASS_NAMES[wwClass] = name; }
  return lockdep_class(t.arena, name);
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

/** Display name of class `c`. */
export function lockdepClassName(a: Arena, c: number): string {
  if (c <= 0) return '(none)';
  const at = lockdepLayout(a).cls(c);
  const name = a.i32[at + LC_NAME]!;
  if (name !== 0) return siteName(name) || `class#${c}`;
  return `key#${a.i32[at + LC_KEY]}`;
}

// ---------------------------------------------------------------------------------------------
// Held-lock stacks.

/** Base of `t`'s held stack, emptied first when it belongs to an earlier trial. */
function heldStack(t: Task, ld: LockdepLayout): number {
  const h = t.i32;
  const s = ld.stack(t.id);
  const trial = h[t.ctl + C_TRIAL]!;
  if (h[s + HS_TRIAL] !== trial) {
    h[s + HS_DEPTH] = 0;
    h[s + HS_LOW] = 0;
    h[s + HS_OVERFLOW] = 0;
    h[s + HS_TRIAL] = trial;
  }
  return s;
}

function entry(s: number, i: number): number {
  return s + HS_ENTRIES + i * HELD_ENTRY_WORDS;
}

function push(t: Task, ld: LockdepLayout, clsWord: number, ref: number): void {
  const h = t.i32;
  const s = heldStack(t, ld);
  let d = h[s + HS_DEPTH]!;
  if (d > 0) {
    const top = entry(s, d - 1);
    if (h[top + HE_CLASS] === clsWord) {
      h[top + HE_COUNT]!++;
      h[top + HE_REF] = ref;
      return;
    }
  }
  if (d >= HELD_CAP) d = compact(h, s);
  if (d >= HELD_CAP) {
    h[s + HS_OVERFLOW]!++;
    Atomics.add(h, ld.hdr(LD_STACK_OVERFLOW), 1);
    return;
  }
  const e = entry(s, d);
  h[e + HE_CLASS] = clsWord;
  h[e + HE_REF] = ref;
  h[e + HE_COUNT] = 1;
  h[s + HS_DEPTH] = d + 1;
}

/** Squeeze the holes out of a full stack; returns the new depth. */
function compact(h: Int32Array, s: number): number {
  let to = 0;
  for (let i = h[s + HS_LOW]!; i < h[s + HS_DEPTH]!; i++) {
    const e = entry(s, i);
    if (h[e + HE_CLASS] === 0) continue;
    const d = entry(s, to++);
    for (let w = 0; w < HELD_ENTRY_WORDS; w++) h[d + w] = h[e + w]!;
  }
  h[s + HS_LOW] = 0;
  h[s + HS_DEPTH] = to;
  return to;
}

/** Release a lock of class `cls` (`ref`): from the top entry of that class, else the lowest. */
function pop(t: Task, ld: LockdepLayout, cls: number, ref: number): boolean {
  const h = t.i32;
  const s = heldStack(t, ld);
  const d = h[s + HS_DEPTH]!;
  const lo = h[s + HS_LOW]!;
  let at = -1;
  if (d > lo && (h[entry(s, d - 1) + HE_CLASS]! & HELD_CLASS_MASK) === cls) at = d - 1;
  else {
    for (let i = lo; i < d - 1; i++) if ((h[entry(s, i) + HE_CLASS]! & HELD_CLASS_MASK) === cls) { at = i; break; }
  }
  if (at < 0) {
    if (h[s + HS_OVERFLOW]! > 0) h[s + HS_OVERFLOW]!--;
    return false;
  }
  const e = entry(s, at);
  const left = h[e + HE_COUNT]! - 1;
  if (left > 0) {
    h[e + HE_COUNT] = left;
    if (h[e + HE_REF] === ref) h[e + HE_REF] = 0;
    return true;
  }
  h[e + HE_CLASS] = 0;
  let nd = d;
  while (nd > lo && h[entry(s, nd - 1) + HE_CLASS] === 0) nd--;
  let nl = lo;
  while (nl < nd && h[entry(s, nl) + HE_CLASS] === 0) nl++;
  if (nl >= nd) { nd = 0; nl = 0; }
  h[s + HS_DEPTH] = nd;
  h[s + HS_LOW] = nl;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Edges and cycles.

/** Dependencies of acquiring class `cls` (lock ref `ref`) on every held lock of another class. */
function checkDeps(t: Task, ld: LockdepLayout, cls: number, ref: number, site: number, obj: number): void {
  const h = t.i32;
  const s = heldStack(t, ld);
  const d = h[s + HS_DEPTH]!;
  const row = ld.adj + (cls >>> 5);
  const bit = 1 << (cls & 31);
  for (let i = h[s + HS_LOW]!; i < d; i++) {
    const e = entry(s, i);
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

/** Set edge from → to; returns its serial, or 0 when it existed (another thread won the bit). */
function addEdge(h: Int32Array, ld: LockdepLayout, from: number, to: number, actor: number, trial: number,
  step: number, fromRef: number, toRef: number): number {
  const bit = 1 << (to & 31);
  if ((Atomics.or(h, ld.adjWord(from, to), bit) & bit) !== 0) return 0;
  const serial = Atomics.add(h, ld.hdr(LD_SERIAL), 1) + 1;
  const e = ld.edge(from, to);
  h[e + E_ACTOR] = actor;
  h[e + E_TRIAL] = trial;
  h[e + E_STEP] = step;
  h[e + E_FROM] = fromRef;
  h[e + E_TO] = toRef;
  Atomics.store(h, e + E_SERIAL, serial);
  return serial;
}

let seen = new Uint8Array(0);
let queue = new Int32Array(0);

/** Whether class `src` reaches class `dst` through recorded edges (BFS over the bit matrix). */
function reaches(h: Int32Array, ld: LockdepLayout, src: number, dst: number): boolean {
  const C = ld.classes;
  if (seen.length < C) { seen = new Uint8Array(C); queue = new Int32Array(C); } else seen.fill(0, 0, C);
  let head = 0;
  let tail = 0;
  queue[tail++] = src;
  seen[src] = 1;
  while (head < tail) {
    const row = ld.adj + queue[head++]! * ld.rowWords;
    for (let w = 0; w < ld.rowWords; w++) {
      let bits = h[row + w]!;
      while (bits !== 0) {
        const low = bits & -bits;
        bits ^= low;
        const j = (w << 5) + 31 - Math.clz32(low);
        if (j === dst) return true;
        if (seen[j] === 0) { seen[j] = 1; queue[tail++] = j; }
      }
    }
  }
  return false;
}

/**
 * The shortest chain of classes src → … → dst using only edges first seen before `beforeSerial`
 * (the edges that existed when a cycle was detected), or null.
 */
export function lockdepPath(a: Arena, src: number, dst: number, beforeSerial: number): number[] | null {
  const h = a.i32;
  const ld = lockdepLayout(a);
  const parent = new Int32Array(ld.classes).fill(-1);
  parent[src] = src;
  const q = [src];
  for (let head = 0; head < q.length; head++) {
    const c = q[head]!;
    for (let j = 0; j < ld.classes; j++) {
      if (parent[j] !== -1 || (h[ld.adjWord(c, j)]! & (1 << (j & 31))) === 0) continue;
      const serial = Atomics.load(h, ld.edge(c, j) + E_SERIAL);
      if (serial === 0 || serial >= beforeSerial) continue;
      parent[j] = c;
      if (j === dst) {
        const path = [dst];
        for (let k = dst; k !== src; k = parent[k]!) path.push(parent[k]!);
        return path.reverse();
      }
      q.push(j);
    }
  }
  return null;
}

/** Whether edge from → to has been recorded in `a` (any trial). */
export function lockdepHasEdge(a: Arena, from: number, to: number): boolean {
  if (from <= 0 || to <= 0) return false;
  return (a.i32[lockdepLayout(a).adjWord(from, to)]! & (1 << (to & 31))) !== 0;
}

/** Edges recorded in `a` so far (priming included; primes the arena). */
export function lockdepEdgeCount(a: Arena): number {
  const ld = lockdepLayout(a);
  if (ld.classes >= 2) ensurePrimed(a, ld);
  return Atomics.load(a.i32, ld.hdr(LD_SERIAL));
}

/** Class id of dma_fence_map in `a` (primes the arena). */
export function fenceMapClass(a: Arena): number {
  const ld = lockdepLayout(a);
  if (ld.classes < 2) return 0;
  ensurePrimed(a, ld);
  return a.i32[ld.hdr(LD_FENCE_MAP)]!;
}

/** Class id of reservation_ww_class_mutex in `a` (primes the arena). */
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

// ---------------------------------------------------------------------------------------------
// Hooks called by the model.

/** A blocking acquisition attempt of `lock` (ww_mutex.ts lockCommon, before it may sleep). */
export function lockdepAcquire(t: Task, lock: Mutex, ww: boolean, slow: boolean): void {
  const cls = t.i32[t.arena.mutex(lock) + M_KEY]!;
  if (cls === 0) return;
  checkDeps(t, lockdepLayout(t.arena), cls, lock + 1, slow ? SITE_WW_SLOW : ww ? SITE_WW : SITE_MUTEX, lock);
}

/** `lock` was acquired (blocking or trylock): it is now held. */
export function lockdepAcquired(t: Task, lock: Mutex): void {
  const cls = t.i32[t.arena.mutex(lock) + M_KEY]!;
  if (cls !== 0) push(t, lockdepLayout(t.arena), cls, lock + 1);
}

/** `lock` was released. */
export function lockdepRelease(t: Task, lock: Mutex): void {
  const cls = t.i32[t.arena.mutex(lock) + M_KEY]!;
  if (cls !== 0) pop(t, lockdepLayout(t.arena), cls, lock + 1);
}

/** dma_fence_wait*: acquire and release dma_fence_map (held locks → dma_fence_map). */
export function lockdepMightWait(t: Task, f: Fence): void {
  const fm = fenceMapClass(t.arena);
  if (fm !== 0) checkDeps(t, lockdepLayout(t.arena), fm, -(f + 1), SITE_WAIT, f);
}

/** dma_fence_begin_signalling: hold dma_fence_map as a recursive read (a trylock: no edge). */
export function lockdepSignallingBegin(t: Task): void {
  const fm = fenceMapClass(t.arena);
  if (fm !== 0) push(t, lockdepLayout(t.arena), fm | HELD_READ, 0);
}

/** dma_fence_end_signalling: release `sections` nested signalling sections. */
export function lockdepSignallingEnd(t: Task, sections: number): void {
  const fm = fenceMapClass(t.arena);
  if (fm === 0) return;
  const ld = lockdepLayout(t.arena);
  for (let i = 0; i < sections; i++) pop(t, ld, fm, 0);
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
  push(t, ld, cls, 0);
}

/** lock_map_release: release pseudo lock `key`. */
export function lock_map_release(t: Task, key: LockClassKey): void {
  const cls = lockdep_class(t.arena, key, LCF_MAP);
  if (cls !== 0) pop(t, lockdepLayout(t.arena), cls, 0);
}

/** Locks `t` holds as the validator sees them: [class, ref, count] runs, bottom first (tests). */
export function lockdepHeld(t: Task): [number, number, number][] {
  const ld = lockdepLayout(t.arena);
  const h = t.i32;
  const s = heldStack(t, ld);
  const out: [number, number, number][] = [];
  for (let i = h[s + HS_LOW]!; i < h[s + HS_DEPTH]!; i++) {
    const e = entry(s, i);
    if (h[e + HE_CLASS] !== 0) out.push([h[e + HE_CLASS]! & HELD_CLASS_MASK, h[e + HE_REF]!, h[e + HE_COUNT]!]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Report data (read on the main thread after a trial; shaped for check/lockdep_report.ts).

export interface LockdepEdgeData {
  readonly from: string;
  readonly to: string;
  readonly actor: string | null;
  readonly trial: number;
  readonly step: number;
  readonly fromLock: string;
  readonly toLock: string;
}

export interface CircularData {
  readonly task: string;
  readonly fn: string;
  readonly acquiring: string;
  readonly acquiringLock: string;
  readonly holding: string;
  readonly holdingLock: string;
  readonly holdingRead: boolean;
  readonly chain: readonly LockdepEdgeData[];
  readonly added: LockdepEdgeData;
  /** Class ids of the cycle: acquiring, …, holding (the chain), for tests and tools. */
  readonly classes: readonly number[];
}

function lockRef(ref: number): string {
  return ref > 0 ? `lock#${ref - 1}` : ref < 0 ? `fence#${-ref - 1}` : '';
}

function edgeData(a: Arena, from: number, to: number, names: readonly string[]): LockdepEdgeData {
  const h = a.i32;
  const e = lockdepLayout(a).edge(from, to);
  const actor = h[e + E_ACTOR]!;
  return {
    from: lockdepClassName(a, from), to: lockdepClassName(a, to),
    actor: actor < 0 ? null : names[actor] ?? 'setup',
    trial: h[e + E_TRIAL]!, step: h[e + E_STEP]!, fromLock: lockRef(h[e + E_FROM]!), toLock: lockRef(h[e + E_TO]!),
  };
}

/**
 * The circular-locking finding recorded at findings-table index `g` (base of its record), read
 * from the arena: `names` are the executor's actor names, `fn` the acquiring function.
 */
export function lockdepCircularInfo(a: Arena, g: number, names: readonly string[], fn: string): CircularData {
  const h = a.i32;
  const aux = (i: number): number => (i < FINDING_AUX_WORDS ? h[g + G_AUX + i]! : 0);
  const held = aux(0);
  const acq = aux(1);
  const serial = aux(2);
  const path = lockdepPath(a, acq, held, serial) ?? [acq, held];
  const chain: LockdepEdgeData[] = [];
  for (let i = 0; i + 1 < path.length; i++) chain.push(edgeData(a, path[i]!, path[i + 1]!, names));
  const added = edgeData(a, held, acq, names);
  const actor = h[g + G_ACTOR]!;
  return {
    task: names[actor] ?? 'setup', fn, acquiring: added.to, acquiringLock: added.toLock,
    holding: added.from, holdingLock: added.fromLock, holdingRead: aux(3) !== 0, chain, added, classes: path,
  };
}

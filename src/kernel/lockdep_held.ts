/**
 * Per-actor held-lock stacks of the validator (layout and encoding: lockdep_layout.ts HS_* / HE_*).
 *
 * A stack is written only by its own actor's thread and belongs to one trial: the first access in
 * a later trial empties it. Consecutive acquisitions of one class share a run-length entry; an
 * entry emptied out of order becomes a hole until the entries around it go, and a full stack is
 * compacted before it overflows (overflowing acquisitions are counted, not stored). Every
 * operation here is allocation-free; push and pop are O(1) for LIFO and FIFO release and
 * O(held entries) otherwise.
 *
 * Overflow: the kernel's held_locks array has MAX_LOCK_DEPTH entries, and one acquisition more
 * is "BUG: MAX_LOCK_DEPTH too low!", which turns lockdep off (debug_locks_off). The model's
 * capacity (HELD_CAP run-length entries) is the arena's, not the kernel's, so it reports
 * nothing: an acquisition beyond it is counted (HS_OVERFLOW), the release of one that has no
 * entry lowers the count (heldOverflowPop: a lock's, or a context's maps at ww_acquire_fini), so
 * the count balances, and later acquisitions are validated against the entries the stack has;
 * while the count is non-zero, whether the task holds an acquire context's map is answered by
 * ownership (lockdep_hooks.ts).
 */
import { C_TRIAL } from '../shm/layout.js';
import {
  HELD_ACQ, HELD_CAP, HELD_CLASS_MASK, HELD_ENTRY_WORDS, HELD_FIRST, HELD_READ, HE_CLASS, HE_COUNT, HE_REF, HS_DEPTH, HS_ENTRIES, HS_LOW,
  HS_OVERFLOW, HS_TRIAL, LD_STACK_OVERFLOW, type LockdepLayout, lockdepLayout,
} from './lockdep_layout.js';
import type { Task } from './task.js';

/** Base of `t`'s held stack, emptied first when it belongs to an earlier trial. */
export function heldStack(t: Task, ld: LockdepLayout): number {
  const h = t.i32;
  const s = ld.stack(t.id);
  const trial = h[t.ctl + C_TRIAL]!;
  if (h[s + HS_TRIAL] !== trial) {
    h[s + HS_DEPTH] = h[s + HS_LOW] = h[s + HS_OVERFLOW] = 0;
    h[s + HS_TRIAL] = trial;
  }
  return s;
}

/** The depth of `t`'s held stack (its entries' end, holes included): hardirq.ts's irq_context
 *  boundary. */
export function lockdepHeldDepth(t: Task): number {
  return t.i32[heldStack(t, lockdepLayout(t.arena)) + HS_DEPTH]!;
}

/** Base of entry `i` (HE_* offsets) of the stack at `s`; live entries are [HS_LOW, HS_DEPTH). */
export function heldEntry(s: number, i: number): number {
  return s + HS_ENTRIES + i * HELD_ENTRY_WORDS;
}

/**
 * `t` now holds class word `clsWord` (class | a HELD_* flag) by `ref` — a lock ref, or for a
 * context's pseudo entry (HELD_ACQ, HELD_FIRST) the context (id + 1) —: a new or extended run.
 * A context's pseudo entry never extends a run, so it always names its own context.
 */
export function heldPush(t: Task, ld: LockdepLayout, clsWord: number, ref: number): void {
  const h = t.i32;
  const s = heldStack(t, ld);
  let d = h[s + HS_DEPTH]!;
  if (d > 0) {
    const top = heldEntry(s, d - 1);
    if (h[top + HE_CLASS] === clsWord && !ctxEntry(clsWord)) {
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
  const e = heldEntry(s, d);
  h[e + HE_CLASS] = clsWord;
  h[e + HE_REF] = ref;
  h[e + HE_COUNT] = 1;
  h[s + HS_DEPTH] = d + 1;
}

/** Squeeze the holes out of a full stack; returns the new depth. */
function compact(h: Int32Array, s: number): number {
  let to = 0;
  for (let i = h[s + HS_LOW]!; i < h[s + HS_DEPTH]!; i++) {
    const e = heldEntry(s, i);
    if (h[e + HE_CLASS] === 0) continue;
    const d = heldEntry(s, to++);
    for (let w = 0; w < HELD_ENTRY_WORDS; w++) h[d + w] = h[e + w]!;
  }
  h[s + HS_LOW] = 0;
  h[s + HS_DEPTH] = to;
  return to;
}

/** Whether held class word `word` is released as class word `cls` (a read is released as its
 *  class). */
function releases(word: number, cls: number): boolean {
  return (word & ~HELD_READ) === cls;
}

/** Whether held class word `word` is a context's pseudo entry, whose HE_REF names the context. */
function ctxEntry(word: number): boolean {
  return (word & (HELD_ACQ | HELD_FIRST)) !== 0;
}

/** The lock ref held entry `e` records (0 for a context's pseudo entry: no lock). */
export function heldLockRef(h: Int32Array, e: number): number {
  return ctxEntry(h[e + HE_CLASS]!) ? 0 : h[e + HE_REF]!;
}

/**
 * The entry to release lock ref `ref` (0: none known) of class word `cls` from, or -1: the entry
 * whose latest lock is `ref` — a lock taken as a subclass (mutex_lock_nested) sits in an entry of
 * its subclass class, not `cls` —, else the top entry of `cls`, else the lowest. A real lock's
 * release never takes a context's pseudo entry (HELD_ACQ, HELD_FIRST: `cls` carries the flag).
 */
function entryOf(h: Int32Array, s: number, cls: number, ref: number): number {
  const d = h[s + HS_DEPTH]!;
  const lo = h[s + HS_LOW]!;
  if (d <= lo) return -1;
  const top = heldEntry(s, d - 1);
  if (ref !== 0 && heldLockRef(h, top) === ref) return d - 1;
  if (ref !== 0) for (let i = d - 2; i >= lo; i--) if (heldLockRef(h, heldEntry(s, i)) === ref && h[heldEntry(s, i) + HE_CLASS] !== 0) return i;
  if (releases(h[top + HE_CLASS]!, cls)) return d - 1;
  for (let i = lo; i < d - 1; i++) if (releases(h[heldEntry(s, i) + HE_CLASS]!, cls)) return i;
  return -1;
}

/**
 * Release lock ref `ref` of class word `cls` (entryOf finds its entry). Returns false when no
 * entry has it (an overflowed acquisition, or an unbalanced release).
 */
export function heldPop(t: Task, ld: LockdepLayout, cls: number, ref: number): boolean {
  const h = t.i32;
  const s = heldStack(t, ld);
  const at = entryOf(h, s, cls, ref);
  if (at < 0) {
    heldOverflowPop(t, ld);
    return false;
  }
  dropEntry(h, s, at, ref);
  return true;
}

/**
 * Release one of `t`'s acquisitions that overflowed its stack (counted, not stored: heldPush).
 * Returns false when none is counted. Context: `t`'s own thread.
 */
export function heldOverflowPop(t: Task, ld: LockdepLayout): boolean {
  const s = heldStack(t, ld);
  if (t.i32[s + HS_OVERFLOW]! <= 0) return false;
  t.i32[s + HS_OVERFLOW]!--;
  return true;
}

/** Acquisitions `t` holds beyond its stack's capacity (counted, not stored; tests). */
export function lockdepHeldOverflow(t: Task): number {
  return t.i32[heldStack(t, lockdepLayout(t.arena)) + HS_OVERFLOW]!;
}

/**
 * Release context `ctxRef`'s (id + 1) pseudo entry of class word `clsWord` (HELD_ACQ or
 * HELD_FIRST flagged). Returns false when `t` holds none — never counted against HS_OVERFLOW:
 * a map that overflowed at ww_acquire_init is the caller's to tell apart and release
 * (lockdep_ctx.ts lockdepCtxFini, heldOverflowPop).
 */
export function heldCtxPop(t: Task, ld: LockdepLayout, clsWord: number, ctxRef: number): boolean {
  const at = heldCtxIndex(t, ld, clsWord, ctxRef);
  if (at < 0) return false;
  dropEntry(t.i32, heldStack(t, ld), at, ctxRef);
  return true;
}

/** The index of context `ctxRef`'s pseudo entry of class word `clsWord` on `t`'s stack, or -1. */
export function heldCtxIndex(t: Task, ld: LockdepLayout, clsWord: number, ctxRef: number): number {
  const h = t.i32;
  const s = heldStack(t, ld);
  for (let i = h[s + HS_LOW]!; i < h[s + HS_DEPTH]!; i++) {
    const e = heldEntry(s, i);
    if (h[e + HE_CLASS] === clsWord && h[e + HE_REF] === ctxRef) return i;
  }
  return -1;
}

/** Take one acquisition (by `ref`) off live entry `at` of the stack at `s`; an emptied entry
 *  goes. */
function dropEntry(h: Int32Array, s: number, at: number, ref: number): void {
  const d = h[s + HS_DEPTH]!;
  const lo = h[s + HS_LOW]!;
  const e = heldEntry(s, at);
  const left = h[e + HE_COUNT]! - 1;
  if (left > 0) {
    h[e + HE_COUNT] = left;
    if (h[e + HE_REF] === ref) h[e + HE_REF] = 0;
    return;
  }
  h[e + HE_CLASS] = 0;
  let nd = d;
  while (nd > lo && h[heldEntry(s, nd - 1) + HE_CLASS] === 0) nd--;
  let nl = lo;
  while (nl < nd && h[heldEntry(s, nl) + HE_CLASS] === 0) nl++;
  if (nl >= nd) { nd = 0; nl = 0; }
  h[s + HS_DEPTH] = nd;
  h[s + HS_LOW] = nl;
}

/** heldCheck: `t` holds no lock of the class. */
export const HELD_NONE = -1;
/** heldCheck: `t` holds a lock of the class and nothing nests the new one: recursive locking. */
export const HELD_RECURSIVE = -2;

/**
 * lockdep's check of `t`'s held locks for an acquisition of class `cls`, with nest_lock the
 * pseudo entry of class word `nestWord` (an acquire context's map, HELD_ACQ flagged; 0: no
 * nest_lock) of context `nestRef` (id + 1): HELD_NONE when no lock of the class is held; nested
 * (lockdep adds no dependency) when there is a nest_lock and the top entry is of the class
 * (__lock_acquire merges the two) or that very context's map is held below the first entry of
 * the class (check_deadlock: prev->instance == next->nest_lock); else HELD_RECURSIVE — another
 * context's map, of any class, does not nest it. Nested returns the first entry the model still
 * adds dependencies from: the one above the first real lock of the class taken since the
 * context's map (wherever it sits), or the stack's depth when there is none (lockdep.ts).
 */
export function heldCheck(t: Task, ld: LockdepLayout, cls: number, nestWord: number, nestRef: number): number {
  const h = t.i32;
  const s = heldStack(t, ld);
  const d = h[s + HS_DEPTH]!;
  const lo = h[s + HS_LOW]!;
  let first = -1;
  let nest = -1;
  for (let i = lo; i < d; i++) {
    const e = heldEntry(s, i);
    const w = h[e + HE_CLASS]!;
    if (first < 0 && (w & HELD_CLASS_MASK) === cls) first = i;
    else if (nestWord !== 0 && w === nestWord && h[e + HE_REF] === nestRef) nest = i;
  }
  if (first < 0) return HELD_NONE;
  const merged = nestWord !== 0 && (h[heldEntry(s, d - 1) + HE_CLASS]! & HELD_CLASS_MASK) === cls;
  if (!merged && !(nest >= 0 && nest < first)) return HELD_RECURSIVE;
  for (let i = Math.max(first, nest + 1); i < d; i++) if (h[heldEntry(s, i) + HE_CLASS] === cls) return i + 1;
  return d;
}

/** The lock ref (lockdep_layout.ts) of the first entry of class `cls` `t` holds, 0 when none or a
 *  pseudo lock. */
export function heldRefOf(t: Task, ld: LockdepLayout, cls: number): number {
  const h = t.i32;
  const s = heldStack(t, ld);
  for (let i = h[s + HS_LOW]!; i < h[s + HS_DEPTH]!; i++) {
    const e = heldEntry(s, i);
    if ((h[e + HE_CLASS]! & HELD_CLASS_MASK) === cls) return heldLockRef(h, e);
  }
  return 0;
}

/** Locks `t` holds as the validator sees them: [class, ref, count] runs, bottom first (tests). */
export function lockdepHeld(t: Task): [number, number, number][] {
  const ld = lockdepLayout(t.arena);
  const h = t.i32;
  const s = heldStack(t, ld);
  const out: [number, number, number][] = [];
  for (let i = h[s + HS_LOW]!; i < h[s + HS_DEPTH]!; i++) {
    const e = heldEntry(s, i);
    if (h[e + HE_CLASS] !== 0) out.push([h[e + HE_CLASS]! & HELD_CLASS_MASK, heldLockRef(h, e), h[e + HE_COUNT]!]);
  }
  return out;
}

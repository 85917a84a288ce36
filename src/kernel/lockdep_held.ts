/**
 * Per-actor held-lock stacks of the validator (layout and encoding: lockdep_layout.ts HS_* / HE_*).
 *
 * A stack is written only by its own actor's thread and belongs to one trial: the first access in
 * a later trial empties it. Consecutive acquisitions of one class share a run-length entry; an
 * entry emptied out of order becomes a hole until the entries around it go, and a full stack is
 * compacted before it overflows (overflowing acquisitions are counted, not stored). Every
 * operation here is allocation-free; push and pop are O(1) for LIFO and FIFO release and
 * O(held entries) otherwise.
 */
import { C_TRIAL } from '../shm/layout.js';
import {
  HELD_CAP, HELD_CLASS_MASK, HELD_ENTRY_WORDS, HE_CLASS, HE_COUNT, HE_REF, HS_DEPTH, HS_ENTRIES, HS_LOW,
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

/** Base of entry `i` (HE_* offsets) of the stack at `s`; live entries are [HS_LOW, HS_DEPTH). */
export function heldEntry(s: number, i: number): number {
  return s + HS_ENTRIES + i * HELD_ENTRY_WORDS;
}

/** `t` now holds class word `clsWord` (class | HELD_READ) by lock ref `ref`: a new or extended run. */
export function heldPush(t: Task, ld: LockdepLayout, clsWord: number, ref: number): void {
  const h = t.i32;
  const s = heldStack(t, ld);
  let d = h[s + HS_DEPTH]!;
  if (d > 0) {
    const top = heldEntry(s, d - 1);
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

/**
 * The entry to release lock ref `ref` (0: none known) of class `cls` from, or -1: the entry whose
 * latest lock is `ref` — a lock taken as a subclass (mutex_lock_nested) sits in an entry of its
 * subclass class, not `cls` —, else the top entry of class `cls`, else the lowest.
 */
function entryOf(h: Int32Array, s: number, cls: number, ref: number): number {
  const d = h[s + HS_DEPTH]!;
  const lo = h[s + HS_LOW]!;
  if (d <= lo) return -1;
  const top = heldEntry(s, d - 1);
  if (ref !== 0 && h[top + HE_REF] === ref) return d - 1;
  if (ref !== 0) for (let i = d - 2; i >= lo; i--) if (h[heldEntry(s, i) + HE_REF] === ref && h[heldEntry(s, i) + HE_CLASS] !== 0) return i;
  if ((h[top + HE_CLASS]! & HELD_CLASS_MASK) === cls) return d - 1;
  for (let i = lo; i < d - 1; i++) if ((h[heldEntry(s, i) + HE_CLASS]! & HELD_CLASS_MASK) === cls) return i;
  return -1;
}

/**
 * Release lock ref `ref` of class `cls` (entryOf finds its entry). Returns false when no entry
 * has it (an overflowed acquisition, or an unbalanced release).
 */
export function heldPop(t: Task, ld: LockdepLayout, cls: number, ref: number): boolean {
  const h = t.i32;
  const s = heldStack(t, ld);
  const d = h[s + HS_DEPTH]!;
  const lo = h[s + HS_LOW]!;
  const at = entryOf(h, s, cls, ref);
  if (at < 0) {
    if (h[s + HS_OVERFLOW]! > 0) h[s + HS_OVERFLOW]!--;
    return false;
  }
  const e = heldEntry(s, at);
  const left = h[e + HE_COUNT]! - 1;
  if (left > 0) {
    h[e + HE_COUNT] = left;
    if (h[e + HE_REF] === ref) h[e + HE_REF] = 0;
    return true;
  }
  h[e + HE_CLASS] = 0;
  let nd = d;
  while (nd > lo && h[heldEntry(s, nd - 1) + HE_CLASS] === 0) nd--;
  let nl = lo;
  while (nl < nd && h[heldEntry(s, nl) + HE_CLASS] === 0) nl++;
  if (nl >= nd) { nd = 0; nl = 0; }
  h[s + HS_DEPTH] = nd;
  h[s + HS_LOW] = nl;
  return true;
}

/** Whether `t` holds a lock of class `cls` (lockdep's check_deadlock scan of its held locks). */
export function heldClass(t: Task, ld: LockdepLayout, cls: number): boolean {
  const h = t.i32;
  const s = heldStack(t, ld);
  for (let i = h[s + HS_LOW]!; i < h[s + HS_DEPTH]!; i++) if ((h[heldEntry(s, i) + HE_CLASS]! & HELD_CLASS_MASK) === cls) return true;
  return false;
}

/** Locks `t` holds as the validator sees them: [class, ref, count] runs, bottom first (tests). */
export function lockdepHeld(t: Task): [number, number, number][] {
  const ld = lockdepLayout(t.arena);
  const h = t.i32;
  const s = heldStack(t, ld);
  const out: [number, number, number][] = [];
  for (let i = h[s + HS_LOW]!; i < h[s + HS_DEPTH]!; i++) {
    const e = heldEntry(s, i);
    if (h[e + HE_CLASS] !== 0) out.push([h[e + HE_CLASS]! & HELD_CLASS_MASK, h[e + HE_REF]!, h[e + HE_COUNT]!]);
  }
  return out;
}

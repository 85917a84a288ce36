/**
 * The validator's dependency graph: the classes × classes bit matrix (bit (a, b) = "b was
 * acquired while a was held") with a first-seen record per edge, both in the arena region laid
 * out by lockdep_layout.ts and never reset, so they span every trial of an executor.
 *
 * An edge's record is claimed (lockdep_claim.ts), written and published (serial last) before its
 * bit is set with Atomics.or, so a bit always has its record, and exactly one thread sets a new
 * edge's bit and checks it for a cycle; a record whose writer was stopped before publishing is
 * written again by the next thread to take that dependency. One breadth-first search
 * (`lockdepSearch`) serves the cycle check (`reaches`, only for a new edge, at most classes²
 * times per arena) and lockdep_irq.ts's usage searches (`usageReach`), reusing module-level
 * buffers; `lockdepPath` is the report-time search and may allocate.
 */
import type { Arena } from '../shm/arena.js';
import { claimWord } from './lockdep_claim.js';
import { E_ACTOR, E_FROM, E_SERIAL, E_STEP, E_TO, E_TRIAL, LD_SERIAL, LD_WRITES, type LockdepLayout, lockdepLayout } from './lockdep_layout.js';
import { usageWord } from './lockdep_usage.js';

/**
 * Set edge from → to, first seen by `actor` (-1 = primed at boot) in `trial` at `step` with lock
 * refs `fromRef` → `toRef`: recordEdge, then the matrix bit. Returns, when this call set the bit
 * (the edge is new to the graph: the caller checks for a cycle), the serial bound of the graph it
 * joined — every edge published before it has a lower serial: its own serial, or one past every
 * serial handed out when it completes a record a stopped thread published without its bit —,
 * and 0 when the edge was already in the graph or a live thread is recording it (that thread
 * sets the bit). Allocation-free.
 */
export function addEdge(h: Int32Array, ld: LockdepLayout, from: number, to: number, actor: number, trial: number,
  step: number, fromRef: number, toRef: number): number {
  const bit = 1 << (to & 31);
  const adj = ld.adjWord(from, to);
  if ((Atomics.load(h, adj) & bit) !== 0) return 0;
  let serial = claimWord(h, ld, ld.edge(from, to) + E_SERIAL);
  if (serial < 0) return 0;
  const completing = serial > 0;
  if (!completing) serial = recordEdge(h, ld, from, to, actor, trial, step, fromRef, toRef);
  Atomics.add(h, ld.hdr(LD_WRITES), 1);
  if ((Atomics.or(h, adj, bit) & bit) !== 0) return 0;
  return completing ? lockdepSerialBound(h, ld) : serial;
}

/**
 * One past every edge serial handed out so far: every edge published before the call has a lower
 * serial. A report reads it once its searches ran and records it, so that its chain is read over
 * the edges those searches could see (under stress another thread's too, published after the
 * reporting edge's own serial was drawn) and none its trial adds after (lockdepPath). Any thread.
 */
export function lockdepSerialBound(h: Int32Array, ld: LockdepLayout): number {
  return Atomics.load(h, ld.hdr(LD_SERIAL)) + 1;
}

/**
 * Fill and publish edge from → to's first-seen record, whose E_SERIAL this thread has claimed
 * (claimWord): the record's words, then a new serial stored in E_SERIAL last. Returns the serial.
 */
export function recordEdge(h: Int32Array, ld: LockdepLayout, from: number, to: number, actor: number, trial: number,
  step: number, fromRef: number, toRef: number): number {
  const e = ld.edge(from, to);
  h[e + E_ACTOR] = actor;
  h[e + E_TRIAL] = trial;
  h[e + E_STEP] = step;
  h[e + E_FROM] = fromRef;
  h[e + E_TO] = toRef;
  const serial = Atomics.add(h, ld.hdr(LD_SERIAL), 1) + 1;
  Atomics.store(h, e + E_SERIAL, serial);
  return serial;
}

/**
 * The edges in the graph: the matrix's set bits. LD_SERIAL cannot count them: a thread stopped
 * between recordEdge's serial and its store leaves that serial handed out and unpublished, and
 * the thread that takes the record over draws another — serials must stay unique and ordered
 * (addEdge's bound), so the dead one stays reserved, a gap. Any thread; a snapshot.
 */
export function lockdepGraphEdges(h: Int32Array, ld: LockdepLayout): number {
  let n = 0;
  for (let w = ld.adj, end = ld.adj + ld.classes * ld.rowWords; w < end; w++) n += popcount(h[w]!);
  return n;
}

/** Set bits in 32-bit word `v`. */
function popcount(v: number): number {
  let x = v - ((v >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

let seen = new Uint8Array(0);
let queue = new Int32Array(0);

/** Whether class `c` is what lockdepSearch looks for: class `dst`, or a class with usage `bit`. */
function found(h: Int32Array, ld: LockdepLayout, c: number, dst: number, bit: number): boolean {
  return c === dst || (bit !== 0 && (usageWord(h, ld, c) & bit) !== 0);
}

/**
 * The graph's one breadth-first search: from class `start` (itself first), forward along recorded
 * dependencies (the classes it reaches, a row-word bit scan) or backward against them (the classes
 * that reach it, a column scan), the nearest class that is `dst` (-1: none) or has usage `bit`
 * (LU_* of lockdep_usage.ts; 0: none) — `start` itself only with `self`. Returns it, -1 when
 * none. The cycle check (`reaches`) and
 * lockdep_irq.ts's usage searches use it. Reuses module buffers (allocates only when the class
 * count outgrows those of an earlier call). Any thread. Not a snapshot: the matrix changes while it
 * runs, and it reads each adjacency word with Atomics.load (as the usage words, usageWord), so
 * that a thread setting a usage bit (its CAS) and one adding an edge (its Atomics.or), each then
 * searching, cannot both miss the other's write — plain loads would allow that store-buffering
 * outcome under the JS memory model, and neither would report. It runs only for a new edge or
 * usage bit, so the atomic loads cost nothing per acquisition.
 */
export function lockdepSearch(h: Int32Array, ld: LockdepLayout, start: number, forward: boolean, dst: number, bit: number,
  self = true): number {
  const C = ld.classes;
  if (seen.length < C) { seen = new Uint8Array(C); queue = new Int32Array(C); } else seen.fill(0, 0, C);
  if (self && found(h, ld, start, dst, bit)) return start;
  let head = 0;
  let tail = 0;
  queue[tail++] = start;
  seen[start] = 1;
  while (head < tail) {
    const c = queue[head++]!;
    if (forward) {
      const row = ld.adj + c * ld.rowWords;
      for (let w = 0; w < ld.rowWords; w++) {
        for (let bits = Atomics.load(h, row + w); bits !== 0; bits &= bits - 1) {
          const j = (w << 5) + 31 - Math.clz32(bits & -bits);
          if (seen[j] !== 0) continue;
          if (found(h, ld, j, dst, bit)) return j;
          seen[j] = 1;
          queue[tail++] = j;
        }
      }
    } else {
      const mask = 1 << (c & 31);
      for (let j = 1, at = ld.adj + (c >>> 5); j < C; j++) {
        if (seen[j] !== 0 || (Atomics.load(h, at + j * ld.rowWords) & mask) === 0) continue;
        if (found(h, ld, j, dst, bit)) return j;
        seen[j] = 1;
        queue[tail++] = j;
      }
    }
  }
  return -1;
}

/** Whether class `src` reaches class `dst` (≠ `src`) through recorded edges (lockdepSearch). */
export function reaches(h: Int32Array, ld: LockdepLayout, src: number, dst: number): boolean {
  return lockdepSearch(h, ld, src, true, dst, 0) >= 0;
}

/**
 * A class with usage `bit` among `start` (unless `self` is false) and the classes it reaches
 * (`forward`) or that reach it, nearest first; -1 when none (lockdepSearch).
 */
export function usageReach(h: Int32Array, ld: LockdepLayout, start: number, bit: number, forward: boolean, self = true): number {
  return lockdepSearch(h, ld, start, forward, -1, bit, self);
}

/**
 * The shortest chain of classes src → … → dst using only edges first seen before `beforeSerial`
 * (lockdepSerialBound when a report was made: the edges that existed then), or null.
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

/**
 * The validator's dependency graph: the classes × classes bit matrix (bit (a, b) = "b was
 * acquired while a was held") with a first-seen record per edge, both in the arena region laid
 * out by lockdep_layout.ts and never reset, so they span every trial of an executor.
 *
 * Edges are set with Atomics.or, so exactly one thread wins a new edge and writes its record
 * (serial last). The cycle search (`reaches`) runs only for a new edge, at most classes² times per
 * arena, and reuses module-level buffers; `lockdepPath` is the report-time search and may allocate.
 */
import type { Arena } from '../shm/arena.js';
import { E_ACTOR, E_FROM, E_SERIAL, E_STEP, E_TO, E_TRIAL, LD_SERIAL, type LockdepLayout, lockdepLayout } from './lockdep_layout.js';

/**
 * Set edge from → to, first seen by `actor` (-1 = primed at boot) in `trial` at `step` with lock
 * refs `fromRef` → `toRef`. Returns the edge's serial (1-based), or 0 when the edge already
 * existed (another thread may have won the bit). Allocation-free.
 */
export function addEdge(h: Int32Array, ld: LockdepLayout, from: number, to: number, actor: number, trial: number,
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

/**
 * Whether class `src` reaches class `dst` through recorded edges (BFS over the bit matrix).
 * Allocates only when the class count outgrows the buffers of an earlier call.
 */
export function reaches(h: Int32Array, ld: LockdepLayout, src: number, dst: number): boolean {
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

/**
 * A copy of the validator's region (LockdepSnapshot) put back: the dependencies, classes and held
 * stacks as they were when it was taken, also when the copy before it skipped the tables
 * (LD_WRITES unchanged) — a table write since moves LD_WRITES, so the next copy takes them.
 */
import { describe, expect, it } from 'vitest';
import { addEdge } from '../../../src/kernel/lockdep_graph.js';
import { lockdepEdgeCount, lockdepLayout, lockdep_class } from '../../../src/kernel/lockdep.js';
import { LD_WRITES } from '../../../src/kernel/lockdep_layout.js';
import { LockdepSnapshot } from '../../../src/kernel/lockdep_snapshot.js';
import { Arena } from '../../../src/shm/arena.js';

function arenaWithClasses(): { a: Arena; c1: number; c2: number } {
  const a = Arena.create({ actors: 2 });
  return { a, c1: lockdep_class(a, 101), c2: lockdep_class(a, 102) };
}

describe('lockdep snapshot', () => {
  it('puts back the dependencies as they were at the last copy, dropping later ones', () => {
    const { a, c1, c2 } = arenaWithClasses();
    const ld = lockdepLayout(a);
    const snap = new LockdepSnapshot(a);
    snap.take();
    const primed = lockdepEdgeCount(a);
    expect(addEdge(a.i32, ld, c1, c2, 0, 1, 1, 0, 0)).toBeGreaterThan(0);
    snap.take();
    expect(addEdge(a.i32, ld, c2, c1, 0, 1, 2, 0, 0)).toBeGreaterThan(0);
    expect(lockdepEdgeCount(a)).toBe(primed + 2);
    expect(snap.restore()).toBe(0);
    expect(lockdepEdgeCount(a)).toBe(primed + 1);
    a.release();
  });

  it('puts back the tables a copy skipped (LD_WRITES unchanged since the one before)', () => {
    const { a, c1, c2 } = arenaWithClasses();
    const ld = lockdepLayout(a);
    const snap = new LockdepSnapshot(a);
    expect(addEdge(a.i32, ld, c1, c2, 0, 1, 1, 0, 0)).toBeGreaterThan(0);
    snap.take();
    const primed = lockdepEdgeCount(a);
    snap.take();
    expect(addEdge(a.i32, ld, c2, c1, 0, 1, 2, 0, 0)).toBeGreaterThan(0);
    expect(snap.restore()).toBe(0);
    expect(lockdepEdgeCount(a)).toBe(primed);
    a.release();
  });

  it('moves LD_WRITES with every new class and dependency, not with a lookup', () => {
    const { a, c1, c2 } = arenaWithClasses();
    const ld = lockdepLayout(a);
    const writes = (): number => a.i32[ld.hdr(LD_WRITES)]!;
    const w0 = writes();
    expect(lockdep_class(a, 101)).toBe(c1);
    expect(writes()).toBe(w0);
    lockdep_class(a, 103);
    expect(writes()).toBeGreaterThan(w0);
    const w1 = writes();
    addEdge(a.i32, ld, c1, c2, 0, 1, 1, 0, 0);
    expect(writes()).toBeGreaterThan(w1);
    a.release();
  });
});

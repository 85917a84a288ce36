/**
 * What a thread has seen of an arena's lock-class table (kernel/lockdep_seen.ts): that it is
 * primed, and the acquire classes its contexts locked through. The memo spares ww_mutex_lock's
 * per-attempt class lookup its atomic reads; it must never outlive the table it describes —
 * lockdepRestart zeroes the table, and another arena has a table of its own. A pooled buffer
 * reused by a later arena (zeroed by takeBuffer) is another arena to the memo: the new Arena
 * computes its own Layout, so gets a LockdepLayout, and an empty memo, of its own.
 */
import { describe, expect, it } from 'vitest';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { lockdepEdgeCount, lockdepLayout, lockdepRestart } from '../../../src/kernel/lockdep.js';
import { seenAcquireClass, seenPrimed } from '../../../src/kernel/lockdep_seen.js';
import { wwStress } from '../../fixtures/stress/ww_stress.js';

const PARAMS = { iterations: 2, actors: 2, locks: 4, mode: 'inorder' };
/** ww_class ids a trial of wwStress may use: reservation_ww_class (0) and the scenario's own. */
const WW_CLASSES = [0, 1, 2, 3];

type Executor = Pick<InlineExecutor, 'arena' | 'runTrial' | 'close'>;

function executor(): Executor {
  return new InlineExecutor(wwStress, { params: PARAMS });
}

/** The acquire classes this thread has seen in `ex`'s arena, by ww_class id (0: none). */
function acquireSeen(ex: Executor): number[] {
  const ld = lockdepLayout(ex.arena);
  return WW_CLASSES.map((c) => seenAcquireClass(ld, c));
}

describe('a thread\'s memo of the lock-class table', () => {
  it('holds the primed table and the acquire class a trial locked through', () => {
    const ex = executor();
    ex.runTrial(1);
    expect(seenPrimed(lockdepLayout(ex.arena))).toBe(true);
    expect(acquireSeen(ex).filter((c) => c > 0)).toHaveLength(1);
    ex.close();
  });

  it('is forgotten when lockdepRestart zeroes the table, so the next trial primes it again', () => {
    const ex = executor();
    ex.runTrial(1);
    expect(lockdepRestart(ex.arena, [])).toBe(0);
    expect(seenPrimed(lockdepLayout(ex.arena))).toBe(false);
    expect(acquireSeen(ex)).toEqual(WW_CLASSES.map(() => 0));
    const restarted = ex.runTrial(2);
    const fresh = executor();
    const first = fresh.runTrial(2);
    expect(restarted.findings.map((f) => f.code)).toEqual(first.findings.map((f) => f.code));
    expect(lockdepEdgeCount(ex.arena)).toBe(lockdepEdgeCount(fresh.arena));
    ex.close();
    fresh.close();
  });

  it('starts empty for another arena and does not come back with the first', () => {
    const a = executor();
    a.runTrial(1);
    const b = executor();
    expect(seenPrimed(lockdepLayout(b.arena))).toBe(false);
    expect(acquireSeen(b)).toEqual(WW_CLASSES.map(() => 0));
    b.runTrial(1);
    expect(acquireSeen(a)).toEqual(WW_CLASSES.map(() => 0));
    a.close();
    b.close();
  });

  it('starts empty for an arena made on a pooled buffer, which the trial primes again', () => {
    const a = executor();
    a.runTrial(1);
    const edges = lockdepEdgeCount(a.arena);
    const sab = a.arena.sab;
    a.close();
    const b = executor();
    expect(b.arena.sab).toBe(sab);
    expect(seenPrimed(lockdepLayout(b.arena))).toBe(false);
    expect(acquireSeen(b)).toEqual(WW_CLASSES.map(() => 0));
    b.runTrial(1);
    expect(acquireSeen(b).filter((c) => c > 0)).toHaveLength(1);
    expect(lockdepEdgeCount(b.arena)).toBe(edges);
    b.close();
  });
});

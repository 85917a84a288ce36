/**
 * lock_map_acquire is lockdep's exclusive acquire of a pseudo lock (read 0): taking a map the
 * task already holds is check_deadlock's "possible recursive locking detected", as for a mutex,
 * and adds no dependency; two different maps nest cleanly. The inner acquire is still held until
 * its release, so the releases balance.
 */
import { describe, expect, it } from 'vitest';
import { lock_map_acquire, lock_map_release, lockdepHasEdge, lockdepHeld, lockdep_class } from '../../../src/kernel/lockdep.js';
import type { TrialResult } from '../../../src/exec/result.js';
import type { Arena } from '../../../src/shm/arena.js';
import { mutex_init, mutex_lock, mutex_unlock, type KGen, type Mutex, type Task } from '../../fixtures/kernel.js';
import { codes, runOnce } from '../../fixtures/lockdep/run_once.js';
import { scripted } from '../../fixtures/lockdep/scripted.js';

interface Env { readonly a: Mutex }

const maps = scripted('lockdep-map-recursive', (t: Task): Env => ({ a: mutex_init(t, 'lock_a') }));

/** Run `run` as one trial; `held` is the task's held stack once it is done, `edges` whether each [from, to] was recorded. */
function trial(run: (t: Task, e: Env) => KGen<void>, pairs: [string, string][]): { r: TrialResult; held: unknown; edges: boolean[] } {
  let held: unknown;
  const edgeOf = (a: Arena, [from, to]: [string, string]): boolean => lockdepHasEdge(a, lockdep_class(a, from), lockdep_class(a, to));
  const { r, seen } = runOnce(maps, function* (t, e) { yield* run(t, e); held = lockdepHeld(t); }, (a) => pairs.map((p) => edgeOf(a, p)));
  return { r, held, edges: seen ?? [] };
}

const RECURSIVE = ['LOCK_RECURSIVE', 'assertion in lock_map_acquire (possible recursive locking detected)'];

describe('lock_map_acquire of a map the task holds', () => {
  it('is possible recursive locking, adds no dependency, and its release balances', () => {
    const { r, held, edges } = trial(function* (t, e) {
      lock_map_acquire(t, 'map_m');
      yield* mutex_lock(t, e.a);
      lock_map_acquire(t, 'map_m');
      lock_map_release(t, 'map_m');
      mutex_unlock(t, e.a);
      lock_map_release(t, 'map_m');
    }, [['map_m', 'lock_a'], ['lock_a', 'map_m']]);
    expect(r.end).toBe('done');
    expect(codes(r)).toEqual([RECURSIVE]);
    expect(edges).toEqual([true, false]);
    expect(held).toEqual([]);
  });

  it('is no report for two different maps nested', () => {
    const { r, held, edges } = trial(function* (t) {
      lock_map_acquire(t, 'map_m');
      lock_map_acquire(t, 'map_n');
      lock_map_release(t, 'map_n');
      lock_map_release(t, 'map_m');
    }, [['map_m', 'map_n']]);
    expect(codes(r)).toEqual([]);
    expect(edges).toEqual([true]);
    expect(held).toEqual([]);
  });
});

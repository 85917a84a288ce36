/**
 * lock_map_acquire is lockdep's exclusive acquire of a pseudo lock (read 0): taking a map the
 * task already holds is check_deadlock's "possible recursive locking detected", as for a mutex,
 * and adds no dependency; two different maps nest cleanly. The inner acquire is still held until
 * its release, so the releases balance.
 */
import { describe, expect, it } from 'vitest';
import { InlineExecutor } from '../../../src/exec/inline.js';
import type { TrialResult } from '../../../src/exec/result.js';
import { lock_map_acquire, lock_map_release, lockdepHasEdge, lockdepHeld, lockdep_class } from '../../../src/kernel/lockdep.js';
import { mutex_init, mutex_lock, mutex_unlock, type KGen, type Mutex, type Task } from '../../fixtures/kernel.js';
import { scripted } from '../../fixtures/lockdep/scripted.js';

interface Env { readonly a: Mutex }
type Program = (t: Task, e: Env) => KGen<void>;

const maps = scripted('lockdep-map-recursive', (t: Task): Env => ({ a: mutex_init(t, 'lock_a') }));

/** Run `run` as one trial; `held` is the task's held stack once it is done. */
function runOnce(run: Program): { r: TrialResult; held: unknown; edge: (from: string, to: string) => boolean } {
  const ex = new InlineExecutor(maps.scenario);
  let held: unknown;
  maps.program = function* (t, e) { yield* run(t, e); held = lockdepHeld(t); };
  const r = ex.runTrial(0);
  const edge = (from: string, to: string): boolean => lockdepHasEdge(ex.arena, lockdep_class(ex.arena, from), lockdep_class(ex.arena, to));
  return { r, held, edge };
}

const RECURSIVE = ['LOCK_RECURSIVE', 'assertion in lock_map_acquire (possible recursive locking detected)'];
const codes = (r: TrialResult): string[][] => r.findings.map((f) => [f.code, f.title]);

describe('lock_map_acquire of a map the task holds', () => {
  it('is possible recursive locking, adds no dependency, and its release balances', () => {
    const { r, held, edge } = runOnce(function* (t, e) {
      lock_map_acquire(t, 'map_m');
      yield* mutex_lock(t, e.a);
      lock_map_acquire(t, 'map_m');
      lock_map_release(t, 'map_m');
      mutex_unlock(t, e.a);
      lock_map_release(t, 'map_m');
    });
    expect(r.end).toBe('done');
    expect(codes(r)).toEqual([RECURSIVE]);
    expect([edge('map_m', 'lock_a'), edge('lock_a', 'map_m')]).toEqual([true, false]);
    expect(held).toEqual([]);
  });

  it('is no report for two different maps nested', () => {
    const { r, held, edge } = runOnce(function* (t) {
      lock_map_acquire(t, 'map_m');
      lock_map_acquire(t, 'map_n');
      lock_map_release(t, 'map_n');
      lock_map_release(t, 'map_m');
    });
    expect(codes(r)).toEqual([]);
    expect(edge('map_m', 'map_n')).toBe(true);
    expect(held).toEqual([]);
  });
});

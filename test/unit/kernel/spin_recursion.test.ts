// spin_lock of a spinlock_t the task already holds: CONFIG_DEBUG_SPINLOCK's debug_spin_lock_before
// (lib/locking/spinlock_debug.c) reports "BUG: spinlock recursion" (SPIN_BUG_ON(lock->owner ==
// current)) before the spin. The model records SPIN_RECURSION, titled after spin_lock (or
// spin_lock_nest_lock, its caller) with its condition, and ends the task with KernelOops at once —
// never spinning into SPINLOCK_LOCKUP. With a lockdep class, lockdep's recursive-locking report
// comes first. A lock another task holds is no recursion: the spin goes on (SPINLOCK_LOCKUP).
import { describe, expect, it } from 'vitest';
import { TRIAL_DONE } from '../../../src/shm/layout.js';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { collectResult } from '../../../src/exec/collect_result.js';
import { endTrial } from '../../../src/exec/step.js';
import { Task } from '../../../src/kernel/task.js';
import { KernelOops, warnSpec } from '../../../src/kernel/warn.js';
import { spin_lock, spin_lock_nest_lock, spin_unlock } from '../../fixtures/kernel.js';
import { scripted } from '../../fixtures/lockdep/scripted.js';
import { spinlockAlloc } from '../../fixtures/spinlock.js';
import { findingCodes } from '../../support/fence_task.js';
import { twoTasks } from '../../support/two_tasks.js';

/** The name of the check a call threw as KernelOops, or 'none'. */
function oopsOf(f: () => unknown): string {
  try { f(); return 'none'; } catch (err) { return err instanceof KernelOops ? warnSpec(err.code)?.name ?? '?' : String(err); }
}

/** [check, title] of every finding recorded, as a trial's result gives them (ends the trial). */
function titles(t: Task): [string, string][] {
  endTrial(t.arena, TRIAL_DONE, -1, 0);
  return collectResult(t.arena, 0, { actorNames: ['U', 'T'], leakCheck: false }).findings.map((f) => [f.code, f.title]);
}

const CLASSES = [['a lockdep class', 'spin_recursion_A', ['LOCK_RECURSIVE', 'SPIN_RECURSION']], ['no lockdep class', '', ['SPIN_RECURSION']]] as const;

describe('spin_lock of a spinlock the task already holds', () => {
  it.each(CLASSES)('reports SPIN_RECURSION for a spinlock with %s and ends the task', (_, key, codes) => {
    const [u] = twoTasks();
    const lock = spinlockAlloc(u, key);
    spin_lock(u, lock);
    expect(oopsOf(() => spin_lock(u, lock))).toBe('SPIN_RECURSION');
    expect(findingCodes(u)).toEqual(codes);
  });

  it('titles it after spin_lock_nest_lock when that is the call', () => {
    const [u] = twoTasks();
    const [nest, lock] = [spinlockAlloc(u, 'spin_recursion_N'), spinlockAlloc(u, 'spin_recursion_L')];
    spin_lock(u, nest);
    spin_lock_nest_lock(u, lock, { spinlock: nest });
    expect(oopsOf(() => spin_lock_nest_lock(u, lock, { spinlock: nest }))).toBe('SPIN_RECURSION');
    expect(titles(u)).toEqual([['SPIN_RECURSION', 'assertion in spin_lock_nest_lock (recursion)']]);
  });

  it.each(CLASSES)('ends a trial as a BUG with the finding, not with the lockup after 2^24 spins (%s)', (_, key, codes) => {
    const s = scripted(`spin-recursion-${key === '' ? 'plain' : 'classed'}`, (t) => spinlockAlloc(t, key));
    s.program = function* (t, lock) {
      spin_lock(t, lock);
      yield* [];
      spin_lock(t, lock);
    };
    const ex = new InlineExecutor(s.scenario);
    try {
      const r = ex.runTrial(0);
      expect(r.end).toBe('bug');
      expect(r.findings.map((f) => f.code)).toEqual(codes);
      expect(r.findings.find((f) => f.code === 'SPIN_RECURSION')?.title).toBe('assertion in spin_lock (recursion)');
    } finally {
      ex.close();
    }
  });

  it('is no recursion once the task released it, nor for a lock another task holds', () => {
    const [u, t] = twoTasks();
    const lock = spinlockAlloc(u, '');
    spin_lock(u, lock);
    spin_unlock(u, lock);
    spin_lock(u, lock);
    expect(findingCodes(u)).toEqual([]);
    expect(oopsOf(() => spin_lock(t, lock))).toBe('SPINLOCK_LOCKUP');
    expect(findingCodes(t)).toEqual(['SPINLOCK_LOCKUP']);
  });
});

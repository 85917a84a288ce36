// The model's own spinlocks (spinlock.ts: the fence lock, the poll lock, a mutex's wait_lock, the
// allocators' locks) record their owner as a spinlock_t does, so taking one the task already holds
// is CONFIG_DEBUG_SPINLOCK's "spinlock recursion" (SPIN_RECURSION, `assertion in <call>
// (recursion)`, on the lock's object), ending the task as a BUG at once — not SPINLOCK_LOCKUP after
// 2^24 spins. The fence case: a driver's enable_signaling, which the core calls under the fence
// lock, signalling its fence with dma_fence_signal instead of dma_fence_signal_locked; the fence
// lock has a lockdep class (spinlock_fence.ts), so lockdep's "possible recursive locking"
// (LOCK_RECURSIVE) comes first, as for a spinlock_t; both name the call, spin_lock_irqsave. A plain
// fence's lock (no class) reports the recursion alone, titled the same.
import { describe, expect, it } from 'vitest';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { spin_lock, spin_unlock } from '../../../src/kernel/spinlock.js';
import type { Task } from '../../../src/kernel/task.js';
import { KernelOops, warnSpec } from '../../../src/kernel/warn.js';
import { A_SPIN } from '../../../src/shm/layout.js';
import {
  dma_fence_add_callback, dma_fence_cb_alloc, dma_fence_context_alloc, dma_fence_enable_sw_signaling, dma_fence_init, dma_fence_ops_register,
  dma_fence_signal, type Fence,
} from '../../fixtures/kernel.js';
import { scripted } from '../../fixtures/lockdep/scripted.js';
import { fenceTask, findingCodes } from '../../support/fence_task.js';
import { twoTasks } from '../../support/two_tasks.js';

/** The name of the check a call threw as KernelOops, or 'none'. */
function oopsOf(f: () => unknown): string {
  try { f(); return 'none'; } catch (err) { return err instanceof KernelOops ? warnSpec(err.code)?.name ?? '?' : String(err); }
}

/** Ops whose enable_signaling signals its own fence with dma_fence_signal (takes the held lock). */
const selfSignalling = dma_fence_ops_register('test_self_signal_ops', {
  get_driver_name: 'test', get_timeline_name: 'test-timeline',
  enable_signaling: (t, f) => { dma_fence_signal(t, f); return true; },
});

function selfSignallingFence(t: Task): Fence {
  return dma_fence_init(t, dma_fence_context_alloc(t, 1), 1, { ops: selfSignalling, signaler: -1 });
}

describe('spin_lock of a model-own spinlock the task already holds', () => {
  it('reports SPIN_RECURSION on the fence, after LOCK_RECURSIVE, when enable_signaling signals its own fence, and ends the task', () => {
    const t = fenceTask();
    const f = selfSignallingFence(t);
    expect(oopsOf(() => dma_fence_enable_sw_signaling(t, f))).toBe('SPIN_RECURSION');
    expect(findingCodes(t)).toEqual(['LOCK_RECURSIVE', 'SPIN_RECURSION']);
  });

  it('ends a trial as a BUG titled assertion in spin_lock_irqsave (recursion) on the fence, after lockdep\'s report, within a few steps', () => {
    const s = scripted('own-spin-recursion', (t) => selfSignallingFence(t));
    s.program = function* (t, f) {
      yield* [];
      dma_fence_enable_sw_signaling(t, f);
    };
    const ex = new InlineExecutor(s.scenario);
    try {
      const r = ex.runTrial(0);
      expect([r.end, r.findings.map((x) => [x.code, x.title])]).toEqual(['bug', [
        ['LOCK_RECURSIVE', 'assertion in spin_lock_irqsave (possible recursive locking detected)'],
        ['SPIN_RECURSION', 'assertion in spin_lock_irqsave (recursion)'],
      ]]);
      expect(r.steps).toBeLessThan(10);
    } finally {
      ex.close();
    }
  });

  it('titles a plain fence\'s lock recursion after spin_lock_irqsave too, with no lockdep report (no class)', () => {
    const s = scripted('own-spin-recursion-plain', (t) => dma_fence_init(t, dma_fence_context_alloc(t, 1), 1, { signaler: -1 }));
    s.program = function* (t, f) {
      yield* [];
      t.callbacks = [(u: Task) => dma_fence_signal(u, f)];
      dma_fence_add_callback(t, f, dma_fence_cb_alloc(t), 0);
      dma_fence_signal(t, f);
    };
    const ex = new InlineExecutor(s.scenario);
    try {
      const r = ex.runTrial(0);
      expect([r.end, r.findings.map((x) => [x.code, x.title])]).toEqual(['bug', [['SPIN_RECURSION', 'assertion in spin_lock_irqsave (recursion)']]]);
    } finally {
      ex.close();
    }
  });

  it('stores the owner in the word: the holder recursing is the BUG, another task spinning on it is the lockup', () => {
    const [u, t] = twoTasks();
    const word = u.arena.layout.user;
    spin_lock(u, word, 5);
    expect(Atomics.load(u.i32, word)).toBe(u.id + 1);
    expect(oopsOf(() => spin_lock(t, word, 5))).toBe('SPINLOCK_LOCKUP');
    expect(oopsOf(() => spin_lock(u, word, 5))).toBe('SPIN_RECURSION');
    expect(u.i32[u.base + A_SPIN]).toBe(1);
    spin_unlock(u, word);
    expect(oopsOf(() => spin_lock(t, word, 5))).toBe('none');
  });
});

// A spin that never succeeds is the kernel's "spinlock lockup suspected": a BUG finding
// (SPINLOCK_LOCKUP, "hang in spin_lock") that ends the task with KernelOops — never a hung
// harness. Pinned for the fence spinlock held by nobody who will release it, and for a lockless
// resv reader facing a writer that never finishes (an odd generation that stays odd).
import { describe, expect, it } from 'vitest';
import { Arena } from '../../../src/shm/arena.js';
import { C_NFINDINGS, EXEC_STRESS, G_CODE, G_OBJ, R_GEN, WAIT_SLEEP } from '../../../src/shm/layout.js';
import { kernelBoot } from '../../../src/kernel/boot.js';
import { DMA_RESV_USAGE_BOOKKEEP, dma_resv_init } from '../../../src/kernel/dma_resv.js';
import { dma_resv_test_signaled } from '../../../src/kernel/dma_resv_query.js';
import { spin_lock, spin_unlock } from '../../../src/kernel/spinlock.js';
import { Task } from '../../../src/kernel/task.js';
import { KernelOops, WARNINGS, warnCode, warnTitle } from '../../../src/kernel/warn.js';

function boot(): Task {
  const a = Arena.create();
  a.resetTrial({ actors: 2, mode: EXEC_STRESS, stepLimit: 100, waitPolicy: WAIT_SLEEP, replayLen: 0 });
  const t = new Task(a, 0, 'spinner');
  kernelBoot(t);
  return t;
}

/** The code a call threw as KernelOops, or 'none'. */
function oopsOf(f: () => unknown): number | string {
  try { f(); return 'none'; } catch (err) { return err instanceof KernelOops ? err.code : String(err); }
}

/** [code, object] of every finding recorded. */
const findings = (t: Task): [number, number][] =>
  Array.from({ length: t.arena.ctl(C_NFINDINGS) }, (_, i) => [t.i32[t.arena.finding(i) + G_CODE]!, t.i32[t.arena.finding(i) + G_OBJ]!]);

const LOCKUP = warnCode('SPINLOCK_LOCKUP');

describe('a spin that never succeeds', () => {
  it('is titled hang in spin_lock', () => {
    expect(warnTitle(WARNINGS[LOCKUP - 1]!)).toBe('hang in spin_lock');
  });

  it('takes a free spinlock, and reports a spinlock never released as SPINLOCK_LOCKUP on its object', () => {
    const t = boot();
    const word = t.arena.layout.user;
    expect(oopsOf(() => spin_lock(t, word, 7))).toBe('none');
    expect(findings(t)).toEqual([]);
    expect(oopsOf(() => spin_lock(t, word, 7))).toBe(LOCKUP);
    expect(findings(t)).toEqual([[LOCKUP, 7]]);
    spin_unlock(t, word);
  });

  it('reports a resv reader whose writer never finishes as SPINLOCK_LOCKUP on the resv', () => {
    const t = boot();
    const obj = dma_resv_init(t);
    expect(oopsOf(() => dma_resv_test_signaled(t, obj, DMA_RESV_USAGE_BOOKKEEP))).toBe('none');
    t.i32[t.arena.resv(obj) + R_GEN]! |= 1;
    expect(oopsOf(() => dma_resv_test_signaled(t, obj, DMA_RESV_USAGE_BOOKKEEP))).toBe(LOCKUP);
    expect(findings(t)).toEqual([[LOCKUP, obj]]);
  });
});

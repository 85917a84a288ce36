/**
 * lockdep's irq-safety state (kernel/lockdep_irq.ts): a driver spinlock taken in a fence callback
 * that the DMA engine's completion interrupt runs (HARDIRQ-safe) and, elsewhere, with plain
 * spin_lock and interrupts on (HARDIRQ-unsafe) is "inconsistent lock state" — found in one trial
 * whatever the order, since lockdep reports from the class's usage bits, not from a deadlock; the
 * fixed twin (spin_lock_irqsave there) stays clean over the same budget.
 */
import { describe, expect, it } from 'vitest';
import { InlineExecutor } from '../../../src/exec/inline.js';
import type { TrialResult } from '../../../src/exec/result.js';
import type { Arena } from '../../../src/shm/arena.js';
import { lockdep_class, lockdepLayout } from '../../../src/kernel/lockdep.js';
import { LU_ENABLED_HARDIRQ, LU_USED_IN_HARDIRQ, lockdepUsage, usageActor, usageTrial, usageWord } from '../../../src/kernel/lockdep_usage.js';
import { C_TRIAL } from '../../../src/shm/layout.js';
import {
  hardirq_enter, hardirq_exit, local_irq_restore, local_irq_save, mutex_init, mutex_lock, mutex_unlock, spin_lock, spin_unlock,
} from '../../fixtures/kernel.js';
import { FCI, FCI_DRV_KEY, fenceCbIrqLock } from '../../fixtures/lockdep/fence_cb_irq_lock.js';
import { FCO_KEY, fenceCbIrqOrder } from '../../fixtures/lockdep/fence_cb_irq_order.js';
import { inHardirq, nestedIrqsOff, spinlockAlloc } from '../../fixtures/spinlock.js';
import { findingCodes } from '../../support/fence_task.js';
import { twoTasks } from '../../support/two_tasks.js';

/** The two titles: the submission path's spin_lock after the interrupt, or before it. */
const TITLES = [
  'assertion in spin_lock (inconsistent {IN-HARDIRQ-W} -> {HARDIRQ-ON-W} usage)',
  'assertion in spin_lock (inconsistent {HARDIRQ-ON-W} -> {IN-HARDIRQ-W} usage)',
];
/** Seeds tried, one trial each on a fresh executor (a fresh validator): the trial budget. */
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];

/** One trial of fixture `s` (fixed or not) with `seed` on a fresh executor; `inspect` reads its arena after. */
function runSeed<R>(s: typeof fenceCbIrqLock, fixed: boolean, seed: number, inspect: (a: Arena) => R): { r: TrialResult; seen: R } {
  const ex = new InlineExecutor(s, { params: { fixed } });
  try {
    const r = ex.runTrial(seed);
    return { r, seen: inspect(ex.arena) };
  } finally {
    ex.close();
  }
}

/** Who set a usage bit first: actor index (-1: unknown) and C_TRIAL generation. */
interface SetBy { readonly actor: number; readonly trial: number }

/** One trial of the one-lock driver with `seed`; the driver lock's usage bits after it, who set
 *  each (the record an inconsistent-state report names, lockdep_usage.ts) and the trial's own
 *  generation. */
function trial(fixed: boolean, seed: number): { r: TrialResult; usage: number; ran: number; setBy: (bit: number) => SetBy; now: number } {
  const { r, seen } = runSeed(fenceCbIrqLock, fixed, seed, (a) => {
    const ld = lockdepLayout(a);
    const cls = lockdep_class(a, FCI_DRV_KEY);
    const word = usageWord(a.i32, ld, cls);
    const set = new Map([LU_USED_IN_HARDIRQ, LU_ENABLED_HARDIRQ].map((b) => [b, { actor: usageActor(word, b) - 1, trial: usageTrial(a.i32, ld, cls, b) }]));
    return { usage: lockdepUsage(a.i32, ld, cls), ran: a.i32[a.layout.user + FCI.RAN]!, setBy: (b: number) => set.get(b)!, now: a.ctl(C_TRIAL) };
  });
  return { r, ...seen };
}

/** The index of fenceCbIrqLock's actor `name`. */
function actorIndex(name: string): number {
  return fenceCbIrqLock.actors({ fixed: false }).findIndex((d) => d.name === name);
}

describe('a driver lock taken in the completion interrupt\'s fence callback', () => {
  it('and with spin_lock elsewhere is inconsistent lock state within one trial, every seed', () => {
    const orders = new Set<string>();
    for (const seed of SEEDS) {
      const { r, usage, setBy, now } = trial(false, seed);
      expect(r.end).toBe('done');
      expect(r.findings.map((f) => f.code)).toHaveLength(1);
      expect(['LOCK_IRQ_INCONSISTENT_ON', 'LOCK_IRQ_INCONSISTENT_IN']).toContain(r.findings[0]!.code);
      expect(TITLES).toContain(r.findings[0]!.title);
      expect(usage).toBe(LU_USED_IN_HARDIRQ | LU_ENABLED_HARDIRQ);
      // The report names the other usage's first setter and trial: the engine's interrupt (or the
      // driver's spin_lock) in this trial — so the finding carries no usage for a replay to prime.
      const on = r.findings[0]!.code === 'LOCK_IRQ_INCONSISTENT_ON';
      expect(setBy(on ? LU_USED_IN_HARDIRQ : LU_ENABLED_HARDIRQ)).toEqual({ actor: actorIndex(on ? 'engine' : 'driver'), trial: now });
      expect(r.findings[0]!.lockdepUsage).toBeUndefined();
      orders.add(r.findings[0]!.code);
    }
    expect([...orders].sort()).toEqual(['LOCK_IRQ_INCONSISTENT_IN', 'LOCK_IRQ_INCONSISTENT_ON']);
  });

  it('and with spin_lock_irqsave elsewhere stays clean, the lock HARDIRQ-safe only', () => {
    for (const seed of SEEDS) {
      const { r, usage, ran } = trial(true, seed);
      expect([r.end, r.findings.map((f) => f.code), usage, ran]).toEqual(['done', [], LU_USED_IN_HARDIRQ, 1]);
    }
  });
});

describe('irq usage of one class', () => {
  it('reports a spinlock used in hardirq, then taken with interrupts on, once: the first task named', () => {
    const [u, t] = twoTasks();
    const a = spinlockAlloc(u, 'lockdep_irq_A');
    hardirq_enter(u);
    spin_lock(u, a);
    spin_unlock(u, a);
    hardirq_exit(u);
    for (let i = 0; i < 2; i++) {
      spin_lock(t, a);
      spin_unlock(t, a);
    }
    expect(findingCodes(t)).toEqual(['LOCK_IRQ_INCONSISTENT_ON']);
  });

  it('reports nothing for a spinlock taken with interrupts disabled outside hardirq', () => {
    const [u] = twoTasks();
    const a = spinlockAlloc(u, 'lockdep_irq_A');
    hardirq_enter(u);
    spin_lock(u, a);
    spin_unlock(u, a);
    hardirq_exit(u);
    const flags = local_irq_save(u);
    spin_lock(u, a);
    spin_unlock(u, a);
    local_irq_restore(u, flags);
    expect(findingCodes(u)).toEqual([]);
  });
});

describe('a mutex', () => {
  it('is HARDIRQ-unsafe once taken with interrupts on', () => {
    const [u] = twoTasks();
    const m = mutex_init(u, 'lockdep_irq_M');
    const gen = mutex_lock(u, m);
    while (gen.next().done !== true) { /* step over its scheduling points */ }
    mutex_unlock(u, m);
    expect(lockdepUsage(u.i32, lockdepLayout(u.arena), lockdep_class(u.arena, 'lockdep_irq_M'))).toBe(LU_ENABLED_HARDIRQ);
  });
});

/** The cross-class titles: the dependency A → B last, or A's use in the interrupt last. */
const ORDER_TITLES = [
  'assertion in spin_lock (HARDIRQ-safe -> HARDIRQ-unsafe lock order detected)',
  'assertion in spin_lock (possible irq lock inversion dependency detected)',
];

/** The usage bits of the two-lock driver's locks A and B after a trial. */
function orderUsage(a: Arena): readonly [number, number] {
  const ld = lockdepLayout(a);
  return [lockdepUsage(a.i32, ld, lockdep_class(a, FCO_KEY.A)), lockdepUsage(a.i32, ld, lockdep_class(a, FCO_KEY.B))];
}

/** One trial of the two-lock driver with `seed` on a fresh executor; A's and B's usage after it. */
function orderTrial(fixed: boolean, seed: number): TrialResult & { readonly usage: readonly [number, number] } {
  const { r, seen } = runSeed(fenceCbIrqOrder, fixed, seed, orderUsage);
  return { ...r, usage: seen };
}

describe('a HARDIRQ-safe driver lock taken before a HARDIRQ-unsafe one', () => {
  it('is reported within one trial, every seed, whichever comes last', () => {
    const seen = new Set<string>();
    for (const seed of SEEDS) {
      const r = orderTrial(false, seed);
      expect([r.end, r.findings.length]).toEqual(['done', 1]);
      expect(['LOCK_IRQ_SAFE_UNSAFE', 'LOCK_IRQ_INVERSION']).toContain(r.findings[0]!.code);
      expect(ORDER_TITLES).toContain(r.findings[0]!.title);
      seen.add(r.findings[0]!.code);
    }
    expect([...seen].sort()).toEqual(['LOCK_IRQ_INVERSION', 'LOCK_IRQ_SAFE_UNSAFE']);
  });

  it('stays clean when the unsafe lock is taken with spin_lock_irqsave everywhere', () => {
    for (const seed of SEEDS) {
      // the interrupt ran (A used in hardirq) and B was never taken with interrupts on
      const r = orderTrial(true, seed);
      expect([r.end, r.findings.map((f) => f.code), r.usage]).toEqual(['done', [], [LU_USED_IN_HARDIRQ, 0]]);
    }
  });
});

describe('irq usage across classes', () => {
  it('reports LOCK_IRQ_SAFE_UNSAFE when the dependency safe → unsafe comes last', () => {
    const [u, t] = twoTasks();
    const [a, b] = [spinlockAlloc(u, 'lockdep_irq_A'), spinlockAlloc(u, 'lockdep_irq_B')];
    inHardirq(u, a);
    spin_lock(t, b);
    spin_unlock(t, b);
    nestedIrqsOff(t, a, b);
    expect([findingCodes(u), findingCodes(t)]).toEqual([['LOCK_IRQ_SAFE_UNSAFE'], ['LOCK_IRQ_SAFE_UNSAFE']]);
  });

  it('reports LOCK_IRQ_INVERSION when the safe lock is used in hardirq last (forwards)', () => {
    const [u, t] = twoTasks();
    const [a, b] = [spinlockAlloc(u, 'lockdep_irq_A'), spinlockAlloc(u, 'lockdep_irq_B')];
    spin_lock(t, b);
    spin_unlock(t, b);
    nestedIrqsOff(t, a, b);
    const before = findingCodes(t);
    inHardirq(u, a);
    expect([before, findingCodes(u)]).toEqual([[], ['LOCK_IRQ_INVERSION']]);
  });

  it('reports LOCK_IRQ_INVERSION when the unsafe lock is taken with interrupts on last (backwards)', () => {
    const [u, t] = twoTasks();
    const [a, b] = [spinlockAlloc(u, 'lockdep_irq_A'), spinlockAlloc(u, 'lockdep_irq_B')];
    inHardirq(u, a);
    nestedIrqsOff(t, a, b);
    const before = findingCodes(t);
    spin_lock(t, b);
    spin_unlock(t, b);
    expect([before, findingCodes(t)]).toEqual([[], ['LOCK_IRQ_INVERSION']]);
  });
});

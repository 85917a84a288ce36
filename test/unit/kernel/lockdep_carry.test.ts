/**
 * What an irq-safety finding carries to its replays (kernel/lockdep_carry.ts) and priming it
 * (lockdep_prime.ts): a report that rests on irq usage — and a chain — an earlier trial of the
 * executor left carries them, and a fresh executor primed with them makes the finding's trial
 * report the same check under the same title, which it does not without them; usage the
 * finding's own trial set is not carried, and a restart primes carried usage as a fresh executor.
 * A chain carried is the one the report's search saw, another thread's edge published between
 * the new edge's serial and that search included (an irq chain, a cycle's).
 */
import { describe, expect, it } from 'vitest';
import { InlineExecutor } from '../../../src/exec/inline.js';
import type { Finding } from '../../../src/exec/result.js';
import type { AnyScenario } from '../../../src/exec/scenario.js';
import { kernelBoot } from '../../../src/kernel/boot.js';
import { lockdepPrimeDeps, lockdepPrimeUsage, lockdepRestart } from '../../../src/kernel/lockdep.js';
import { lockdepCarried } from '../../../src/kernel/lockdep_carry.js';
import { lockdepIrqDependency, safeUnsafePair, safeUnsafePairOf } from '../../../src/kernel/lockdep_irq.js';
import { lockdepCyclePath } from '../../../src/kernel/lockdep_circular.js';
import { lockdepClassRef, lockdep_class } from '../../../src/kernel/lockdep_class.js';
import { addEdge } from '../../../src/kernel/lockdep_graph.js';
import { heldEntry, heldPush, heldStack } from '../../../src/kernel/lockdep_held.js';
import { lockdepNewDependency } from '../../../src/kernel/lockdep_hooks.js';
import { lockdepLayout } from '../../../src/kernel/lockdep_layout.js';
import { Task } from '../../../src/kernel/task.js';
import { warnSpec } from '../../../src/kernel/warn.js';
import type { Arena } from '../../../src/shm/arena.js';
import { C_TRIAL, EXEC_INLINE, G_AUX, G_CODE, WAIT_SLEEP } from '../../../src/shm/layout.js';
import { fenceCbIrqOrder } from '../../fixtures/lockdep/fence_cb_irq_order.js';
import { safeUnsafeLaterCycle } from '../../fixtures/lockdep/safe_unsafe_later_cycle.js';
import { IRQ_KIND, KIND_WORD, trialIrqUsage } from '../../fixtures/lockdep/trial_irq_usage.js';
import { spin_lock, spin_unlock } from '../../fixtures/kernel.js';
import { inHardirq, nestedIrqsOff, spinlockAlloc } from '../../fixtures/spinlock.js';
import { twoTasks } from '../../support/two_tasks.js';

const { S_IN_HARDIRQ, U_IRQS_ON, S_THEN_U_IRQS_OFF, S_IRQS_ON } = IRQ_KIND;

/** A seed of trialIrqUsage for each kind of trial (IRQ_KIND), from the first 64. */
function seedsByKind(): number[] {
  const ex = new InlineExecutor(trialIrqUsage);
  const seeds = [-1, -1, -1, -1];
  for (let seed = 0; seed < 64 && seeds.includes(-1); seed++) {
    const kind = ex.runTrial(seed).user[KIND_WORD]!;
    if (seeds[kind]! < 0) seeds[kind] = seed;
  }
  ex.close();
  expect(seeds, 'a kind of trial missing from 64 seeds').not.toContain(-1);
  return seeds;
}

/** Trials of the kinds `kinds` in order on one executor: the last one's seed and findings. */
function lastOf(kinds: readonly number[]): { seed: number; findings: readonly Finding[] } {
  const seeds = seedsByKind();
  const ex = new InlineExecutor(trialIrqUsage);
  let findings: readonly Finding[] = [];
  for (const k of kinds) findings = ex.runTrial(seeds[k]!).findings;
  ex.close();
  return { seed: seeds[kinds[kinds.length - 1]!]!, findings };
}

/** The findings of trial `seed` of `s` alone on a fresh executor, primed with what `f` carries or not. */
function replayedFindings(seed: number, f: Finding, primed: boolean, s: AnyScenario = trialIrqUsage): readonly Finding[] {
  return replayedTrial(seed, f, primed, s).findings;
}

/** replayedFindings, with the trial (C_TRIAL) the replay ran as. */
function replayedTrial(seed: number, f: Finding, primed: boolean, s: AnyScenario = trialIrqUsage): { findings: readonly Finding[]; trial: number } {
  const ex = new InlineExecutor(s);
  if (primed) {
    lockdepPrimeDeps(ex.arena, f.lockdep ?? []);
    lockdepPrimeUsage(ex.arena, f.lockdepUsage ?? []);
  }
  try {
    return { findings: ex.runTrial(seed).findings, trial: ex.arena.ctl(C_TRIAL) };
  } finally {
    ex.close();
  }
}

/** The [code, title] pairs of replayedFindings. */
function replayed(seed: number, f: Finding, primed: boolean): string[][] {
  return replayedFindings(seed, f, primed).map((x) => [x.code, x.title]);
}

/** The carried usage without the class keys: [usage, actor, trial]. */
const usageOf = (f: Finding): unknown[] => (f.lockdepUsage ?? []).map((u) => [u.usage, u.actor, u.trial]);

describe('a report resting on irq usage an earlier trial set', () => {
  it.each([
    ['LOCK_IRQ_INCONSISTENT_ON', [S_IN_HARDIRQ, S_IRQS_ON], [['IN-HARDIRQ-W', 0, 1]], 0],
    ['LOCK_IRQ_INCONSISTENT_IN', [S_IRQS_ON, S_IN_HARDIRQ], [['HARDIRQ-ON-W', 0, 1]], 0],
    ['LOCK_IRQ_SAFE_UNSAFE', [S_IN_HARDIRQ, U_IRQS_ON, S_THEN_U_IRQS_OFF], [['IN-HARDIRQ-W', 0, 1], ['HARDIRQ-ON-W', 0, 2]], 0],
    ['LOCK_IRQ_INVERSION', [S_THEN_U_IRQS_OFF, U_IRQS_ON, S_IN_HARDIRQ], [['HARDIRQ-ON-W', 0, 2]], 1],
    ['LOCK_IRQ_INVERSION', [S_THEN_U_IRQS_OFF, S_IN_HARDIRQ, U_IRQS_ON], [['IN-HARDIRQ-W', 0, 2]], 1],
  ] as const)('%s (trials %j) carries that usage and chain, and replays only primed with them', (code, kinds, usage, deps) => {
    const { seed, findings } = lastOf(kinds);
    const f = findings.find((x) => x.code === code);
    expect(f, `no ${code} in the last trial: ${findings.map((x) => x.code).join(', ')}`).toBeDefined();
    expect(usageOf(f!)).toEqual(usage);
    expect((f!.lockdep ?? []).map((d) => [d.actor, d.trial])).toEqual(deps === 0 ? [] : [[0, 1]]);
    expect(replayed(seed, f!, false)).not.toContainEqual([code, f!.title]);
    expect(replayed(seed, f!, true)).toContainEqual([code, f!.title]);
  });
});

describe('a report resting on its own trial\'s usage', () => {
  it('carries no usage', () => {
    for (let seed = 1; seed <= 8; seed++) {
      const ex = new InlineExecutor(fenceCbIrqOrder);
      const f = ex.runTrial(seed).findings.find((x) => x.code.startsWith('LOCK_IRQ_'));
      ex.close();
      expect(f, `seed ${seed}: no irq-safety finding`).toBeDefined();
      expect(f!.lockdepUsage).toBeUndefined();
    }
  });
});

describe('restarting the validator with carried usage', () => {
  it('primes it as a fresh executor would be, so the report is made again', () => {
    const seeds = seedsByKind();
    const ex = new InlineExecutor(trialIrqUsage);
    ex.runTrial(seeds[S_IN_HARDIRQ]!);
    const f = ex.runTrial(seeds[S_IRQS_ON]!).findings.find((x) => x.code === 'LOCK_IRQ_INCONSISTENT_ON');
    expect(f?.lockdepUsage).toHaveLength(1);
    expect(lockdepRestart(ex.arena, [])).toBe(0);
    expect(ex.runTrial(seeds[S_IRQS_ON]!).findings.map((x) => x.code)).toEqual([]);
    expect(lockdepRestart(ex.arena, [], f!.lockdepUsage)).toBe(0);
    expect(ex.runTrial(seeds[S_IRQS_ON]!).findings.map((x) => x.code)).toEqual(['LOCK_IRQ_INCONSISTENT_ON']);
    ex.close();
  });
});

describe('a primed replay', () => {
  it('counts its trials past the primed ones: its finding carries the same usage, an earlier trial\'s', () => {
    const { seed, findings } = lastOf([S_IN_HARDIRQ, S_IRQS_ON]);
    const f = findings.find((x) => x.code === 'LOCK_IRQ_INCONSISTENT_ON')!;
    expect(usageOf(f)).toEqual([['IN-HARDIRQ-W', 0, 1]]);
    const { findings: out, trial } = replayedTrial(seed, f, true);
    const again = out.find((x) => x.code === f.code);
    expect([again?.lockdepUsage, f.lockdepUsage!.every((u) => trial > u.trial)]).toEqual([f.lockdepUsage, true]);
  });
});

describe('an irq chain', () => {
  it('is the one the report saw, not a shorter one over edges its trial added after: the replay reports the same', () => {
    const ex = new InlineExecutor(safeUnsafeLaterCycle);
    const findings = ex.runTrial(1).findings;
    ex.close();
    const codes = findings.map((x) => x.code);
    expect(codes).toEqual(['LOCK_IRQ_SAFE_UNSAFE', 'LOCK_IRQ_SAFE_UNSAFE', 'LOCKDEP_CIRCULAR']);
    expect(findings[0]!.lockdep).toHaveLength(3);
    expect(replayedFindings(1, findings[0]!, true, safeUnsafeLaterCycle).map((x) => x.code)).toEqual(codes);
  });

  it('holds an edge published after the new one\'s serial but before its searches (another thread\'s, under stress)', () => {
    const [u] = twoTasks();
    const [sf, x, p, n] = ['S', 'X', 'P', 'N'].map((k) => spinlockAlloc(u, `carry_late_${k}`)) as [number, number, number, number];
    inHardirq(u, sf);
    spin_lock(u, n);
    spin_unlock(u, n);
    // P → N first (no safe class reaches P yet), then S → X and X → P: X → P reports S … N.
    for (const [outer, inner] of [[p, n], [sf, x], [x, p]] as const) nestedIrqsOff(u, outer, inner);
    const a = u.arena;
    expect(warnSpec(a.i32[a.finding(0) + G_CODE]!)?.name).toBe('LOCK_IRQ_SAFE_UNSAFE');
    const [cx, cp] = safeUnsafePairOf(a.i32[a.finding(0) + G_AUX + 2]!);
    const cn = a.i32[a.finding(0) + G_AUX + 1]!;
    // P → N's searches, run as if its thread drew P → N's serial before X → P was published.
    expect(lockdepIrqDependency(u, lockdepLayout(a), cp, cn, 0, 0)).toBe(true);
    const carried = lockdepCarried(a, a.finding(1), 'LOCK_IRQ_SAFE_UNSAFE');
    expect(carried.lockdep?.map((d) => [d.from, d.to]), 'the chain S → X → P the search used').toEqual([
      [lockdepClassRef(a, a.i32[a.finding(1) + G_AUX]!), lockdepClassRef(a, cx)], [lockdepClassRef(a, cx), lockdepClassRef(a, cp)],
    ]);
  });

  it('is not invented where the graph has none: nothing is carried', () => {
    const [u] = twoTasks();
    u.warn('LOCK_IRQ_INVERSION', 0, 0, [40, 41, 1 << 30]);
    u.warn('LOCK_IRQ_SAFE_UNSAFE', 0, 0, [40, 41, safeUnsafePair(42, 43), 1 << 30]);
    expect(lockdepCarried(u.arena, u.arena.finding(0), 'LOCK_IRQ_INVERSION')).toEqual({});
    expect(lockdepCarried(u.arena, u.arena.finding(1), 'LOCK_IRQ_SAFE_UNSAFE')).toEqual({});
    // a cycle record whose chain the graph does not hold reads as [acq, held]: no such edge is carried
    u.warn('LOCKDEP_CIRCULAR', 0, 0, [40, 41, 1 << 30, 0]);
    expect(lockdepCarried(u.arena, u.arena.finding(2), 'LOCKDEP_CIRCULAR')).toEqual({ lockdep: [] });
  });
});

/** Task U of a new trial of arena `a` (its lockdep state kept), booted. */
function nextTrial(a: Arena): Task {
  a.resetTrial({ actors: 2, mode: EXEC_INLINE, stepLimit: 100, waitPolicy: WAIT_SLEEP, replayLen: 0 });
  const u = new Task(a, 0, 'U');
  kernelBoot(u);
  return u;
}

describe('a circular-locking finding', () => {
  it('carries no usage, not even an earlier trial\'s of its classes', () => {
    const [u] = twoTasks();
    inHardirq(u, spinlockAlloc(u, 'carry_cycle_S'));
    const v = nextTrial(u.arena);
    expect(v.arena.ctl(C_TRIAL)).toBe(2);
    const [s, x] = [spinlockAlloc(v, 'carry_cycle_S'), spinlockAlloc(v, 'carry_cycle_X')];
    nestedIrqsOff(v, s, x);
    nestedIrqsOff(v, x, s);
    const carried = lockdepCarried(v.arena, v.arena.finding(0), 'LOCKDEP_CIRCULAR');
    expect(carried.lockdep).toHaveLength(1);
    expect(carried.lockdepUsage).toBeUndefined();
  });

  it('holds an edge published after the closing edge\'s serial but before its search (another thread\'s, under stress)', () => {
    const [u, t] = twoTasks();
    const a = u.arena;
    const ld = lockdepLayout(a);
    const [x, y, z] = ['X', 'Y', 'Z'].map((k) => lockdep_class(a, `carry_late_cycle_${k}`)) as [number, number, number];
    const trial = a.ctl(C_TRIAL);
    // refs lock#0..2 for X, Y, Z; U has recorded Y → Z and holds X
    expect(addEdge(a.i32, ld, y, z, u.id, trial, 1, 2, 3)).toBeGreaterThan(0);
    heldPush(u, ld, x, 1);
    const e = heldEntry(heldStack(u, ld), 0);
    // U draws X → Y's serial and sets its bit; T publishes Z → X; then U's search runs
    const closing = addEdge(a.i32, ld, x, y, u.id, trial, 2, 1, 2);
    const late = addEdge(a.i32, ld, z, x, t.id, trial, 3, 3, 1);
    expect(late).toBeGreaterThan(closing);
    expect(lockdepNewDependency(u, ld, e, x, y, 0, 0)).toBe(true);
    const g = a.finding(0);
    expect(warnSpec(a.i32[g + G_CODE]!)?.name).toBe('LOCKDEP_CIRCULAR');
    expect(a.i32[g + G_AUX + 2], 'the record\'s bound is past T\'s edge').toBeGreaterThan(late);
    expect(lockdepCyclePath(a, g), 'the cycle Y → Z → X the search found').toEqual([y, z, x]);
    const carried = lockdepCarried(a, g, 'LOCKDEP_CIRCULAR').lockdep ?? [];
    const ref = (c: number): unknown => lockdepClassRef(a, c);
    expect(carried.map((d) => [d.from, d.to, d.actor, d.step])).toEqual([[ref(y), ref(z), u.id, 1], [ref(z), ref(x), t.id, 3]]);
  });
});

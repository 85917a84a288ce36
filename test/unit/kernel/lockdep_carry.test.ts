/**
 * What an irq-safety finding carries to its replays (kernel/lockdep_carry.ts) and priming it
 * (lockdep_prime.ts): a report that rests on irq usage — and a chain — an earlier trial of the
 * executor left carries them, and a fresh executor primed with them makes the finding's trial
 * report the same check under the same title, which it does not without them; usage the
 * finding's own trial set is not carried, and a restart primes carried usage as a fresh executor.
 */
import { describe, expect, it } from 'vitest';
import { InlineExecutor } from '../../../src/exec/inline.js';
import type { Finding } from '../../../src/exec/result.js';
import { lockdepPrimeDeps, lockdepPrimeUsage, lockdepRestart } from '../../../src/kernel/lockdep.js';
import { fenceCbIrqOrder } from '../../fixtures/lockdep/fence_cb_irq_order.js';
import { IRQ_KIND, KIND_WORD, trialIrqUsage } from '../../fixtures/lockdep/trial_irq_usage.js';

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

/** The [code, title] pairs of trial `seed` alone on a fresh executor, primed with what `f` carries or not. */
function replayed(seed: number, f: Finding, primed: boolean): string[][] {
  const ex = new InlineExecutor(trialIrqUsage);
  if (primed) {
    lockdepPrimeDeps(ex.arena, f.lockdep ?? []);
    lockdepPrimeUsage(ex.arena, f.lockdepUsage ?? []);
  }
  const out = ex.runTrial(seed).findings.map((x) => [x.code, x.title]);
  ex.close();
  return out;
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

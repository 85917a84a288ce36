/**
 * What a lockdep finding carries to its replays: the dependencies and irq usage its report rests
 * on, as data a replay primes into a fresh arena before its trial (lockdep_prime.ts). The
 * validator's state spans every trial of an arena, so a report may rest on state an earlier trial
 * left; read on the main thread after the finding's trial (result.ts).
 *
 * By check (the finding's classes are those of its chains, or its one class):
 *   LOCKDEP_CIRCULAR           the existing chain (lockdep_prime.ts lockdepChainDeps), always
 *                              carried, even empty
 *   LOCK_IRQ_INCONSISTENT_ON/IN the class alone: no dependency
 *   LOCK_IRQ_INVERSION         the chain HARDIRQ-safe class → … → HARDIRQ-unsafe class
 *   LOCK_IRQ_SAFE_UNSAFE       the chains safe → … → prev and next → … → unsafe (prev → next is
 *                              the dependency the finding's own acquisition added)
 * and for each, every usage bit of the finding's classes that an earlier trial set. Usage set in
 * the finding's own trial is not carried — the replayed trial sets it again where it did, and
 * primed, the bit the report itself set would keep the report from being made — so a finding of
 * one trial alone carries no usage. The chains are carried whole, as a circular finding's always
 * were, edges of the finding's own trial included: harmless, as a primed edge only makes the
 * replay find recorded a dependency its trial takes again, and the finding's own new edge (prev →
 * next, the closing one of a cycle) is never on them. An irq report's chains are the graph's
 * shortest when the finding is read (no serial bound is recorded for them): they may use edges
 * recorded after the report in the same trial, which primed only make the report surer.
 */
import type { Arena } from '../shm/arena.js';
import { C_TRIAL, G_AUX } from '../shm/layout.js';
import type { LockdepDep, LockdepUsage } from '../trace/lockdep_info.js';
import { lockdepClassRef } from './lockdep_class.js';
import { lockdepCyclePath } from './lockdep_circular.js';
import { lockdepPath } from './lockdep_graph.js';
import { lockdepLayout } from './lockdep_layout.js';
import { lockdepPathDeps } from './lockdep_prime.js';
import { LU_ENABLED_HARDIRQ, LU_USED_IN_HARDIRQ, usageActor, usageName, usageTrial, usageWord } from './lockdep_usage.js';

/** The lockdep state a finding carries (Finding.lockdep, Finding.lockdepUsage); a field is absent
 *  when it has nothing to carry (but a circular finding's chain, always present). */
export interface LockdepCarried {
  readonly lockdep?: readonly LockdepDep[];
  readonly lockdepUsage?: readonly LockdepUsage[];
}

/** The checks whose findings carry lockdep state. */
export const LOCKDEP_CARRYING: ReadonlySet<string> = new Set([
  'LOCKDEP_CIRCULAR', 'LOCK_IRQ_INCONSISTENT_ON', 'LOCK_IRQ_INCONSISTENT_IN', 'LOCK_IRQ_INVERSION', 'LOCK_IRQ_SAFE_UNSAFE',
]);

/**
 * What the finding of check `code` (one of LOCKDEP_CARRYING) at findings-table record `g` carries;
 * see the file comment. Context: main thread, after the finding's trial. Allocates.
 */
export function lockdepCarried(a: Arena, g: number, code: string): LockdepCarried {
  if (lockdepLayout(a).classes < 2) return code === 'LOCKDEP_CIRCULAR' ? { lockdep: [] } : {};
  const aux = (i: number): number => a.i32[g + G_AUX + i]!;
  let chains: number[][];
  if (code === 'LOCKDEP_CIRCULAR') chains = [lockdepCyclePath(a, g)];
  else if (code === 'LOCK_IRQ_INVERSION') chains = [chain(a, aux(0), aux(1))];
  else if (code === 'LOCK_IRQ_SAFE_UNSAFE') chains = [chain(a, aux(0), aux(2)), chain(a, aux(3), aux(1))];
  else chains = [[aux(0)]];
  const deps = chains.flatMap((c) => lockdepPathDeps(a, c));
  const usage = earlierUsage(a, new Set(chains.flat()));
  return {
    ...(deps.length > 0 || code === 'LOCKDEP_CIRCULAR' ? { lockdep: deps } : {}),
    ...(usage.length > 0 ? { lockdepUsage: usage } : {}),
  };
}

/** The shortest chain of classes `from` → … → `to` over every recorded edge ([from] when they
 *  are one class; [from, to] when the graph has none). */
function chain(a: Arena, from: number, to: number): number[] {
  if (from === to) return [from];
  return lockdepPath(a, from, to, 0x7fffffff) ?? [from, to];
}

/** The usage bits of `classes` set in an earlier trial than `a`'s current one, as data. */
function earlierUsage(a: Arena, classes: ReadonlySet<number>): LockdepUsage[] {
  const ld = lockdepLayout(a);
  const h = a.i32;
  const now = a.ctl(C_TRIAL);
  const out: LockdepUsage[] = [];
  for (const c of classes) {
    if (c <= 0 || c >= ld.classes) continue;
    const word = usageWord(h, ld, c);
    for (const bit of [LU_USED_IN_HARDIRQ, LU_ENABLED_HARDIRQ]) {
      if ((word & bit) === 0) continue;
      const trial = usageTrial(h, ld, c, bit);
      if (trial > 0 && trial < now) out.push({ class: lockdepClassRef(a, c), usage: usageName(bit), actor: usageActor(word, bit) - 1, trial });
    }
  }
  return out;
}

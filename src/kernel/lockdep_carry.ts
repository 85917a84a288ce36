/**
 * What a lockdep finding carries to its replays: the dependencies and irq usage its report rests
 * on, as data a replay primes into a fresh arena before its trial (lockdep_prime.ts). The
 * validator's state spans every trial of an arena, so a report may rest on state an earlier trial
 * left; read on the main thread after the finding's trial (result.ts).
 *
 * By check (the finding's classes are those of its chains, or its one class):
 *   LOCKDEP_CIRCULAR           the existing chain (lockdep_prime.ts lockdepChainDeps), always
 *                              carried, even empty; no usage: a cycle's report rests on no usage,
 *                              and usage primed could make a replay report irq findings its trial
 *                              did not
 *   LOCK_IRQ_INCONSISTENT_ON/IN the class alone: no dependency
 *   LOCK_IRQ_INVERSION         the chain HARDIRQ-safe class → … → HARDIRQ-unsafe class
 *   LOCK_IRQ_SAFE_UNSAFE       the chains safe → … → prev and next → … → unsafe (prev → next is
 *                              the dependency the finding's own acquisition added)
 * and for each irq check, every usage bit of the finding's classes (its chains', or its ends' when
 * a chain is missing) that an earlier trial set. Usage set in the finding's own trial is not
 * carried — the replayed trial sets it again where it did, and primed, the bit the report itself
 * set would keep the report from being made — so a finding of one trial alone carries no usage.
 * The chains are carried whole, as a circular finding's always were, edges of the finding's own
 * trial included: harmless, as a primed edge only makes the replay find recorded a dependency its
 * trial takes again, and the finding's own new edge (prev → next, the closing one of a cycle) is
 * never on them. An irq chain is the shortest over the edges that existed when the report was
 * made (the serial bound its record holds, lockdep_irq.ts), as a cycle's is: an edge the trial
 * adds after the report — a later next → prev — primed, would close a cycle at the replay's
 * prev → next and make it report LOCKDEP_CIRCULAR instead. Where no such chain exists (the
 * report's own search saw one, so only for a record the model did not write), none is carried:
 * never a dependency the graph did not record.
 */
import type { Arena } from '../shm/arena.js';
import { C_TRIAL, G_AUX } from '../shm/layout.js';
import type { LockdepDep, LockdepUsage } from '../trace/lockdep_info.js';
import { lockdepClassRef } from './lockdep_class.js';
import { lockdepCyclePath } from './lockdep_circular.js';
import { lockdepPath } from './lockdep_graph.js';
import { lockdepLayout } from './lockdep_layout.js';
import { safeUnsafePairOf } from './lockdep_irq.js';
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
  if (code === 'LOCKDEP_CIRCULAR') return { lockdep: lockdepLayout(a).classes < 2 ? [] : lockdepPathDeps(a, lockdepCyclePath(a, g)) };
  if (lockdepLayout(a).classes < 2) return {};
  const aux = (i: number): number => a.i32[g + G_AUX + i]!;
  let ends: number[][];
  let bound = 0;
  if (code === 'LOCK_IRQ_INVERSION') [ends, bound] = [[[aux(0), aux(1)]], aux(2)];
  else if (code === 'LOCK_IRQ_SAFE_UNSAFE') {
    const [prev, next] = safeUnsafePairOf(aux(2));
    [ends, bound] = [[[aux(0), prev], [next, aux(1)]], aux(3)];
  } else ends = [[aux(0)]];
  const chains = ends.map((e) => (e.length === 1 ? e : lockdepChain(a, e[0]!, e[1]!, bound)));
  const deps = chains.flatMap((c) => lockdepPathDeps(a, c));
  const usage = earlierUsage(a, new Set([...ends.flat(), ...chains.flat()]));
  return {
    ...(deps.length > 0 ? { lockdep: deps } : {}),
    ...(usage.length > 0 ? { lockdepUsage: usage } : {}),
  };
}

/** The shortest chain of classes `from` → … → `to` over the edges of serial below `bound`:
 *  [from] when they are one class, [] when there is none (no dependency is invented). */
export function lockdepChain(a: Arena, from: number, to: number, bound: number): number[] {
  if (from === to) return [from];
  return lockdepPath(a, from, to, bound) ?? [];
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

/**
 * A lock class's irq usage record (lockdep's class->usage_mask and the usage_traces of its first
 * setting): the LU_* bits in the class's LC_USAGE word, each with the actor that set it first, and
 * per bit the trial it was set in (LC_USED_IN_TRIAL, LC_ENABLED_TRIAL). lockdep_layout.ts states
 * the order a bit and its trial are published and read in; this file is the only writer of the
 * record: lockdep_irq.ts marks usage through usagePublish and reports on it, lockdep_prime.ts
 * primes a replay's arena through it.
 *
 * Context: any thread; never sleeps, allocation-free.
 */
import type { LockdepUsageName } from '../trace/lockdep_info.js';
import { LC_ENABLED_TRIAL, LC_USAGE, LC_USED_IN_TRIAL, LD_WRITES, type LockdepLayout } from './lockdep_layout.js';

/** LC_USAGE bits: taken in hardirq context (lockdep's "IN-HARDIRQ-W"); taken with interrupts
 *  enabled ("HARDIRQ-ON-W"). */
export const LU_USED_IN_HARDIRQ = 1;
export const LU_ENABLED_HARDIRQ = 2;
export const LU_BITS = LU_USED_IN_HARDIRQ | LU_ENABLED_HARDIRQ;
/** LC_USAGE bits 8.. and 16..: the actor (id + 1, 8 bits; 0: unknown) that set each bit first. */
const ACTOR_SHIFT = [0, 8, 16] as const;
/** The class-record word holding each bit's trial. */
const TRIAL_WORD = [0, LC_USED_IN_TRIAL, LC_ENABLED_TRIAL] as const;

/**
 * Set usage `bit` (one LU_* bit) of validated class `cls`, first seen by actor `actor` (id; -1:
 * unknown) in C_TRIAL generation `trial` (> 0): bump LD_WRITES, store the trial in the bit's
 * word, then CAS the bit with the actor into LC_USAGE (lockdep_layout.ts's publish order). Returns
 * the usage word this call's CAS replaced when it set the bit, -1 when the bit was set already (by
 * another thread, or earlier). Cost: one plain load once the bit is set.
 */
export function usagePublish(h: Int32Array, ld: LockdepLayout, cls: number, bit: number, actor: number, trial: number): number {
  const w = ld.cls(cls) + LC_USAGE;
  if ((h[w]! & bit) !== 0) return -1;
  let old = Atomics.load(h, w);
  if ((old & bit) !== 0) return -1;
  Atomics.add(h, ld.hdr(LD_WRITES), 1);
  Atomics.store(h, ld.cls(cls) + TRIAL_WORD[bit]!, trial);
  const mine = bit | (((actor + 1) & 0xff) << ACTOR_SHIFT[bit]!);
  for (;;) {
    const was = Atomics.compareExchange(h, w, old, old | mine);
    if (was === old) return old;
    if ((was & bit) !== 0) return -1;
    old = was;
  }
}

/** Class `cls`'s LC_USAGE word in the arena's validator `ld`: its bits with their actors
 *  (usageActor). */
export function usageWord(h: Int32Array, ld: LockdepLayout, cls: number): number {
  return Atomics.load(h, ld.cls(cls) + LC_USAGE);
}

/** The usage bits (LU_*) class `cls` has in the arena's validator `ld` (any thread; a snapshot). */
export function lockdepUsage(h: Int32Array, ld: LockdepLayout, cls: number): number {
  return usageWord(h, ld, cls) & LU_BITS;
}

/** The actor (id + 1; 0: unknown) that set `bit` in usage word `word` (an LC_USAGE value). */
export function usageActor(word: number, bit: number): number {
  return (word >>> ACTOR_SHIFT[bit]!) & 0xff;
}

/** The C_TRIAL generation class `cls`'s usage `bit` was set in; read it only after seeing the bit
 *  set (lockdep_layout.ts's read order), when it is > 0. */
export function usageTrial(h: Int32Array, ld: LockdepLayout, cls: number, bit: number): number {
  return Atomics.load(h, ld.cls(cls) + TRIAL_WORD[bit]!);
}

/** lockdep's name of usage `bit` (one LU_* bit), as a carried record (trace/lockdep_info.ts) names
 *  it. */
export function usageName(bit: number): LockdepUsageName {
  return bit === LU_USED_IN_HARDIRQ ? 'IN-HARDIRQ-W' : 'HARDIRQ-ON-W';
}

/** The LU_* bit lockdep's usage name `name` stands for. */
export function usageBitOf(name: LockdepUsageName): number {
  return name === 'IN-HARDIRQ-W' ? LU_USED_IN_HARDIRQ : LU_ENABLED_HARDIRQ;
}

/**
 * Report data of a circular-locking finding, read from the arena on the main thread after a trial
 * and shaped (trace/lockdep_info.ts) for check/lockdep_report.ts, which cannot read the
 * validator's sub-layout itself. Allocates freely: it runs once per reported finding.
 */
import type { Arena } from '../shm/arena.js';
import { FINDING_AUX_WORDS, G_ACTOR, G_AUX } from '../shm/layout.js';
import type { CircularLockingInfo, LockdepEdgeInfo } from '../trace/lockdep_info.js';
import { lockdepClassName } from './lockdep_class.js';
import { lockdepPath } from './lockdep_graph.js';
import { E_ACTOR, E_FROM, E_STEP, E_TO, E_TRIAL, LOCK_REF_FENCE, LOCK_REF_SPIN, lockdepLayout } from './lockdep_layout.js';

/** One recorded dependency (the shared report shape; kept under this name for callers). */
export type LockdepEdgeData = LockdepEdgeInfo;

/** A circular-locking finding as read from the arena: the report data plus the cycle's classes. */
export interface CircularData extends CircularLockingInfo {
  /** Class ids of the cycle: acquiring, …, holding (the chain), for tests and tools. */
  readonly classes: readonly number[];
}

/** The text of lock ref `ref` (lockdep_layout.ts): `lock#n`, `spinlock#w`, `fence_lock#n`,
 *  `fence#n`, '' for no object. */
function lockRef(ref: number): string {
  if (ref >= LOCK_REF_SPIN) return `spinlock#${ref - LOCK_REF_SPIN}`;
  if (ref >= LOCK_REF_FENCE) return `fence_lock#${ref - LOCK_REF_FENCE}`;
  return ref > 0 ? `lock#${ref - 1}` : ref < 0 ? `fence#${-ref - 1}` : '';
}

/** The first-seen record of edge from → to, with actor ids named by `names`. */
function edgeData(a: Arena, from: number, to: number, names: readonly string[]): LockdepEdgeInfo {
  const h = a.i32;
  const e = lockdepLayout(a).edge(from, to);
  const actor = h[e + E_ACTOR]!;
  return {
    from: lockdepClassName(a, from), to: lockdepClassName(a, to),
    actor: actor < 0 ? null : names[actor] ?? 'setup',
    trial: h[e + E_TRIAL]!, step: h[e + E_STEP]!, fromLock: lockRef(h[e + E_FROM]!), toLock: lockRef(h[e + E_TO]!),
  };
}

/** Aux word `i` of the finding record at `g` (0 past the record's aux words). */
function aux(a: Arena, g: number, i: number): number {
  return i < FINDING_AUX_WORDS ? a.i32[g + G_AUX + i]! : 0;
}

/**
 * The classes of the cycle recorded by the circular-locking finding at `g`: acquiring, …, holding
 * (the shortest chain over the edges that existed when it was found).
 */
export function lockdepCyclePath(a: Arena, g: number): number[] {
  const held = aux(a, g, 0);
  const acq = aux(a, g, 1);
  return lockdepPath(a, acq, held, aux(a, g, 2)) ?? [acq, held];
}

/**
 * The circular-locking finding recorded at findings-table index `g` (base of its record), read
 * from the arena: `names` are the executor's actor names, `fn` the acquiring function.
 */
export function lockdepCircularInfo(a: Arena, g: number, names: readonly string[], fn: string): CircularData {
  const h = a.i32;
  const held = aux(a, g, 0);
  const acq = aux(a, g, 1);
  const path = lockdepCyclePath(a, g);
  const chain: LockdepEdgeInfo[] = [];
  for (let i = 0; i + 1 < path.length; i++) chain.push(edgeData(a, path[i]!, path[i + 1]!, names));
  const added = edgeData(a, held, acq, names);
  const actor = h[g + G_ACTOR]!;
  return {
    task: names[actor] ?? 'setup', fn, acquiring: added.to, acquiringLock: added.toLock,
    holding: added.from, holdingLock: added.fromLock, holdingRead: aux(a, g, 3) !== 0, chain, added, classes: path,
  };
}

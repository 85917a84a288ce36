/**
 * Carrying lockdep state from one arena to another. The validator's graph and its classes' irq
 * usage span every trial of an executor (lockdep.ts), so a finding may rest on dependencies first
 * seen, or usage set, in earlier trials, which a replay on a fresh executor would never see. A
 * finding therefore carries them (lockdep_carry.ts; a circular-locking finding's chain is
 * `lockdepChainDeps`), and a replay primes the fresh arena with them (`lockdepPrimeDeps`,
 * `lockdepPrimeUsage`) before its trial, first-seen records included: the same acquisition makes
 * the same report, naming the same first sightings. Priming also moves the arena's trial counter
 * (C_TRIAL) past every primed record's trial, so the replayed trial counts after them as the
 * recorded one did: a primed record never names the replay's own trial (a fresh executor counts
 * from 1, the trial most carried usage was set in), and usage primed reads as an earlier trial's
 * (lockdep_carry.ts carries only that; exec/report.ts names it so).
 *
 * Main thread only, between trials (no actor may be running on the arena).
 */
import { EBUSY } from '../errno/errno.js';
import type { Arena } from '../shm/arena.js';
import { C_MODE, C_STATE, C_TRIAL, EXEC_INLINE, TRIAL_RUNNING } from '../shm/layout.js';
import type { LockdepDep, LockdepUsage } from '../trace/lockdep_info.js';
import { lockdepClassOfRef, lockdepClassRef } from './lockdep_class.js';
import { lockdepCyclePath } from './lockdep_circular.js';
import { addEdge } from './lockdep_graph.js';
import { E_ACTOR, E_FROM, E_SERIAL, E_STEP, E_TO, E_TRIAL, LD_WRITES, lockdepLayout } from './lockdep_layout.js';
import { lockdepSeenForget } from './lockdep_seen.js';
import { usageBitOf, usagePublish } from './lockdep_usage.js';

/**
 * The existing chain of the circular-locking finding at findings-table record `g`, as data: every
 * edge of the cycle except the one the finding's acquisition added, and except edges primed at
 * boot (every arena has those). Empty when the arena validates nothing.
 */
export function lockdepChainDeps(a: Arena, g: number): LockdepDep[] {
  return lockdepPathDeps(a, lockdepCyclePath(a, g));
}

/** The dependencies along class chain `path` (each class → the next), as data, but for edges
 *  primed at boot and pairs whose first-seen record was never published (E_SERIAL ≤ 0: a chain
 *  read past what the graph holds): never a dependency the graph did not record. Empty when the
 *  arena validates nothing. */
export function lockdepPathDeps(a: Arena, path: readonly number[]): LockdepDep[] {
  const ld = lockdepLayout(a);
  if (ld.classes < 2) return [];
  const h = a.i32;
  const out: LockdepDep[] = [];
  for (let i = 0; i + 1 < path.length; i++) {
    const from = path[i]!;
    const to = path[i + 1]!;
    const e = ld.edge(from, to);
    if (h[e + E_ACTOR]! < 0 || Atomics.load(h, e + E_SERIAL) <= 0) continue;
    out.push({
      from: lockdepClassRef(a, from), to: lockdepClassRef(a, to), actor: h[e + E_ACTOR]!, trial: h[e + E_TRIAL]!,
      step: h[e + E_STEP]!, fromRef: h[e + E_FROM]!, toRef: h[e + E_TO]!,
    });
  }
  return out;
}

/** Move `a`'s trial counter to at least `trial`: its next trial (Arena.resetTrial bumps the
 *  counter) counts after it. */
function countPast(a: Arena, trial: number): void {
  if (a.ctl(C_TRIAL) < trial) a.setCtl(C_TRIAL, trial);
}

/**
 * Record `deps` in `a` as if first seen where they say, and count `a`'s trials past theirs (the
 * file comment). A dependency already in the graph keeps its own record. Returns how many were
 * added (a class the table cannot hold is skipped).
 */
export function lockdepPrimeDeps(a: Arena, deps: readonly LockdepDep[]): number {
  const ld = lockdepLayout(a);
  let added = 0;
  for (const d of deps) {
    countPast(a, d.trial);
    const from = lockdepClassOfRef(a, d.from);
    const to = lockdepClassOfRef(a, d.to);
    if (from === 0 || to === 0) continue;
    if (addEdge(a.i32, ld, from, to, d.actor, d.trial, d.step, d.fromRef, d.toRef) !== 0) added++;
  }
  return added;
}

/**
 * Set the usage bits `usage` in `a` as if set where they say (actor, trial), without the reports
 * setting them would make (lockdep_usage.ts usagePublish), and count `a`'s trials past theirs (the
 * file comment). A bit the class has already keeps its own record. Returns how many were set (a
 * class the table cannot hold is skipped).
 */
export function lockdepPrimeUsage(a: Arena, usage: readonly LockdepUsage[]): number {
  const ld = lockdepLayout(a);
  let added = 0;
  for (const u of usage) {
    countPast(a, u.trial);
    const cls = lockdepClassOfRef(a, u.class);
    if (cls !== 0 && usagePublish(a.i32, ld, cls, usageBitOf(u.usage), u.actor, u.trial) >= 0) added++;
  }
  return added;
}

/**
 * Forget every dependency, class and usage `a` has recorded (boot priming comes back on first
 * use), then prime `deps` and `usage`: the validator as a fresh executor's would be. For tools
 * that re-run candidate schedules on one executor (shrink), where a cycle reported once would
 * never be reported again. This thread forgets what it had seen of the table (lockdep_seen.ts);
 * another thread would not, so no other thread may use `a`'s validator afterwards. Precondition,
 * checked: `a` is an inline executor's arena (its actors run in this thread; C_MODE EXEC_INLINE)
 * between trials (no trial RUNNING). Returns 0, or -EBUSY when the check fails, changing nothing.
 * (An arena no trial has used yet reads as inline.) Context: main thread, between trials.
 */
export function lockdepRestart(a: Arena, deps: readonly LockdepDep[], usage: readonly LockdepUsage[] = []): number {
  if (a.ctl(C_MODE) !== EXEC_INLINE || a.ctl(C_STATE) === TRIAL_RUNNING) return -EBUSY;
  const { lockdep, lockdepWords } = a.layout;
  const w = lockdepLayout(a).hdr(LD_WRITES);
  const writes = a.i32[w]!;
  a.i32.fill(0, lockdep, lockdep + lockdepWords);
  a.i32[w] = writes + 1;
  lockdepSeenForget();
  lockdepPrimeDeps(a, deps);
  lockdepPrimeUsage(a, usage);
  return 0;
}

/**
 * What a trial produced, read back from the arena once it ended: the end state, findings (the
 * model's WARN/BUG records plus deadlock, hang, crash), the decision log and trace when asked.
 * The types and titles; collect_result.ts reads a result from the arena.
 */
import type { Arena } from '../shm/arena.js';
import { D_ACTOR, D_OP } from '../shm/layout.js';
import type { TraceEvent } from '../trace/ring.js';
import { warnTitle, type FindingKind, type WarnSpec } from '../kernel/warn.js';
import type { LockdepDep, LockdepUsage } from '../trace/lockdep_info.js';
import type { WaitEdge } from '../check/waitfor.js';
import { LEAK_CODES, type LeakCode } from '../check/leaks.js';

export type TrialEnd = 'done' | 'deadlock' | 'step-limit' | 'crash' | 'bug' | 'diverged' | 'aborted';

export interface Finding {
  readonly kind: FindingKind;
  /** Stable: kind plus the function where it happened (plus the check's condition: warn.ts
   *  warnTitle). */
  readonly title: string;
  /** Warning name from the model's table (warn.ts), or the detector's name. */
  readonly code: string;
  readonly actor: number;
  readonly step: number;
  readonly obj: number;
  readonly message: string;
  /** Wait-for cycle or chain, for deadlock and hang findings. */
  readonly waits?: readonly WaitEdge[];
  /** For a circular-locking finding: the existing chain it closed, which may have been first seen
   *  in earlier trials of the executor; for an irq-safety finding the chains between its
   *  HARDIRQ-safe and -unsafe classes, when any. A replay on a fresh executor primes them
   *  (kernel/lockdep_carry.ts says what each finding carries, lockdep_prime.ts primes). */
  readonly lockdep?: readonly LockdepDep[];
  /** For a lockdep finding (lockdep_carry.ts): the irq usage of its classes that earlier trials
   *  set, which its report may rest on; a replay primes it too. Absent when there is none. */
  readonly lockdepUsage?: readonly LockdepUsage[];
  /** Later records of the same finding merged into this one (kernel/task.ts recordFinding: the same
   *  check, site, task and context; for a per-page check, other pages of the same mapping). */
  readonly repeats?: number;
  /** For memory let go under a live mapping (REUSE_BEFORE_UNMAP, REMOVE_WITH_MAPPINGS) or a
   *  revoke that returned with one (REVOKE_LIVE_MAPPINGS): the mapping that was still live. */
  readonly mapping?: LiveMapping;
  /** For an unlock that found the mutex not the task's own (MUTEX_UNLOCK_NOT_OWNER): the actor
   *  that held it then (an index into the actor names; the setup task is past them), -1 when
   *  it was free. */
  readonly holder?: number;
  /** For KASAN's reports on private words (PRIV_USE_AFTER_FREE, PRIV_DOUBLE_FREE,
   *  PRIV_INVALID_FREE): the block's record when reported (kernel/priv_record.ts). */
  readonly slab?: SlabRecord;
}

/** Who allocated and who last gave back a block of private words (KASAN's "Allocated by task N:
 *  … Freed by task M: …"): actors are indices into the actor names (the setup task is past them),
 *  -1 for none; a function is '' when the allocator was not told it. */
export interface SlabRecord {
  readonly allocBy: number;
  readonly allocFn: string;
  /** -1 and '' while the block is allocated (an invalid free of a live block). */
  readonly freeBy: number;
  readonly freeFn: string;
}

/** An importer's mapping that was still live when the exporter reset or removed its memory. */
export interface LiveMapping {
  /** The actor that mapped it (an index into the actor names; the setup task is past them). */
  readonly by: number;
  /** The step of the map. */
  readonly step: number;
  /** The dma-buf attachment it was mapped through, -1 for a mapping made without one. */
  readonly attachment: number;
  /** REMOVE_WITH_MAPPINGS: the buffer's pages the mapping still translated to. */
  readonly pages?: number;
  /** REVOKE_LIVE_MAPPINGS: how many mappings of the buffer were live (this is the first). */
  readonly mappings?: number;
}

export interface Decision { readonly actor: number; readonly op: number }

export interface TrialResult {
  readonly seed: number;
  readonly end: TrialEnd;
  readonly steps: number;
  readonly findings: readonly Finding[];
  /** The scenario's user words at the end of the trial. */
  readonly user: readonly number[];
  readonly decisions?: readonly Decision[];
  readonly events?: readonly TraceEvent[];
  /** Replay divergence, one line naming the step, actor and op. */
  readonly divergence?: string;
  /** Records of findings the arena's findings table had no slot for (lost; raise
   *  geometry.findings). Repeats of a kept finding never count: they are in its `repeats`. */
  readonly dropped?: number;
  /** Threaded executors: actor threads of the trial outlived their termination bound (the next
   *  trial waits for them: ThreadedExecutor.awaitUsable) and could still write the arena while it
   *  was read. The end and its actor stand (the main thread set them); the rest read from the
   *  arena (steps, user words, decisions, the model's findings, wait edges) is as such a thread
   *  left it: what it wrote meanwhile may be missing or torn. The trace rings are left unread
   *  (no `events`; stress: no `ringEvents` or `stallEnds`). */
  readonly stragglers?: true;
}


export function readDecisions(a: Arena, count: number): Decision[] {
  const out: Decision[] = [];
  for (let i = 0; i < count; i++) {
    const d = a.decision(i);
    out.push({ actor: a.i32[d + D_ACTOR]!, op: a.i32[d + D_OP]! });
  }
  return out;
}

/** The schedule worth keeping from trial `r` just run on `a`: its decisions when it made findings
 *  (read from the log before the next trial overwrites it), else none. */
export function findingDecisions(a: Arena, r: TrialResult): readonly Decision[] {
  return r.findings.length === 0 ? [] : r.decisions ?? readDecisions(a, Math.min(r.steps, a.geometry.decisions));
}

/** Whether a watchdog ended trial `r` (an actor ran without yielding, or stuck: 'hang in
 *  watchdog'). */
export function stoppedByWatchdog(r: TrialResult): boolean {
  return r.findings.some((f) => f.code === 'watchdog');
}

/** Titles made so far, by check and function: one string per title, so a hunt's set of seen titles
 *  (hunt.ts firstOfTitle) hashes each title once, not once per trial that records it. Bounded by
 *  the warning table times the sites a check names. */
const TITLES = new Map<WarnSpec, Map<string, string>>();

/** `warnTitle(spec, fn)`, the same string each time. */
export function titleOf(spec: WarnSpec, fn: string): string {
  let byFn = TITLES.get(spec);
  if (byFn === undefined) TITLES.set(spec, byFn = new Map());
  let title = byFn.get(fn);
  if (title === undefined) byFn.set(fn, title = warnTitle(spec, fn));
  return title;
}

/** A leak's title by its code: `leak in fn`, fn the function that should have released what
 *  leaked (LEAK_CODES). Built once, one string per code, so a hunt's set of seen titles
 *  (hunt.ts firstOfTitle) hashes each title once. */
const LEAK_TITLES = Object.fromEntries(Object.entries(LEAK_CODES).map(([code, fn]) => [code, `leak in ${fn}`])) as Record<LeakCode, string>;

/** The title of a leak of code `code` (`leak in` the function that should have released it),
 *  the same string each time. */
export function leakTitle(code: LeakCode): string {
  return LEAK_TITLES[code];
}

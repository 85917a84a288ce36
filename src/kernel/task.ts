/**
 * Task: the model's `current`. One per actor, reused across trials. Carries the arena, the
 * actor index, the time source and fault injection the executor provides, and the scenario's
 * fence-callback table. Every kernel function takes it first.
 */
import type { Arena } from '../shm/arena.js';
import type { DeviceMemory } from '../shm/devmem.js';
import {
  A_HELD, A_SIGPENDING, C_CLOCK, C_FINDINGS_LOST, C_NFINDINGS, C_STEP, C_STOP, FINDING_AUX_WORDS, FINDING_FILLING,
  G_AUX, G_ACTOR, G_ARG, G_CODE, G_OBJ, G_REPEATS, G_STEP, warnedBit, warnedWord,
} from '../shm/layout.js';
import { futexWake } from '../shm/futex.js';
import { traceEvent } from '../trace/ring.js';
import { Prng } from '../sched/prng.js';
import { wakeActor } from './wait.js';
import { KernelOops, warnCode, warnSpec, type WarnName } from './warn.js';
import type { ModuleSymtab } from './module/this_module.js';
import { TaskWorks } from './task_work.js';

/** A fence callback: runs in the signalling task, with the fence lock held. */
export type FenceCallbackFn = (t: Task, fence: number, cb: number) => void;

/** Executor-provided policies. Stress replaces the defaults; inline/controlled keep them. */
export interface TaskHooks {
  /** Current time in jiffies. Default: the arena's virtual clock. */
  now?: (t: Task) => number;
  /** Whether the next contended-capable ww_mutex_lock with a context should fail -EDEADLK. */
  injectDeadlk?: (t: Task) => boolean;
  /** Phase boundary (phases.ts): edge MARK_BEGIN or MARK_END of `phase`. Stress timing only. */
  mark?: (t: Task, phase: number, edge: number) => void;
  /** Every trace event the task records, after it is recorded (stress lock counters). */
  traced?: (t: Task, packed: number, aux: number, ret: number) => void;
  /** Wake sleepers on a futex word instead of Task.wake's futexWake (stress: counted and timed). */
  wake?: (t: Task, index: number, count: number) => void;
}

export class Task {
  readonly arena: Arena;
  readonly i32: Int32Array;
  readonly id: number;
  /** Base index of this actor's record (A_* offsets). */
  readonly base: number;
  /** Base index of the control record (C_* offsets). */
  readonly ctl: number;
  readonly name: string;
  callbacks: readonly FenceCallbackFn[] = [];
  /** The trial's loaded modules' symbol tables by module slot (module/this_module.ts), set by
   *  the executor; modules' code reads them with `symbols(t, THIS_MODULE)`. */
  symtabs: readonly (ModuleSymtab | undefined)[] = [];
  /** Device memory contents, when the scenario models data (copy bandwidth); else undefined. */
  devmem: DeviceMemory | undefined = undefined;
  /** The actor's own random stream (prandom), reseeded from the trial seed by the executor. */
  readonly rng = new Prng(0);
  /** task_struct->task_works: work queued on this task (task_work.ts), run by task_step. */
  readonly works = new TaskWorks();
  /** irq_work queued with interrupts off or in a handler, run once they are on again outside
   *  hardirq (irq_work.ts). */
  readonly irqWork: (() => void)[] = [];
  /** lockdep's irq_context boundary: the held stack's depth when the outermost hardirq_enter ran
   *  (0 outside hardirq); no dependency is recorded from an entry below it (lockdep_hooks.ts). */
  irqHeldFloor = 0;
  /** RCU callbacks queued while the task was not preemptible, run once it is (call_rcu.ts). */
  readonly rcuWork: (() => void)[] = [];
  private readonly nowFn: ((t: Task) => number) | undefined;
  private readonly injectFn: ((t: Task) => boolean) | undefined;
  private readonly markFn: ((t: Task, phase: number, edge: number) => void) | undefined;
  private readonly tracedFn: ((t: Task, packed: number, aux: number, ret: number) => void) | undefined;
  private readonly wakeFn: ((t: Task, index: number, count: number) => void) | undefined;

  constructor(arena: Arena, id: number, name: string, hooks: TaskHooks = {}) {
    this.arena = arena;
    this.i32 = arena.i32;
    this.id = id;
    this.base = arena.actor(id);
    this.ctl = arena.layout.control;
    this.name = name;
    this.nowFn = hooks.now;
    this.injectFn = hooks.injectDeadlk;
    this.markFn = hooks.mark;
    this.tracedFn = hooks.traced;
    this.wakeFn = hooks.wake;
  }

  /**
   * A trial begins for this task (executors, before its code runs): its random stream reseeded
   * from `seed`, and whatever task work an ended trial left queued or running dropped.
   */
  begin(seed: number): void {
    this.rng.seed(seed);
    this.works.clear();
    this.irqWork.length = 0;
    this.irqHeldFloor = 0;
    this.rcuWork.length = 0;
  }

  /** Jiffies: virtual time, or wall time under the stress executor. */
  now(): number {
    return this.nowFn === undefined ? this.i32[this.ctl + C_CLOCK]! : this.nowFn(this);
  }

  /** Fault injection for ww_mutex_lock with a context holding locks (stress only). */
  injectDeadlk(): boolean {
    return this.injectFn !== undefined && this.injectFn(this);
  }

  /** Append a trace event for this task. */
  trace(packed: number, aux = 0, ret = 0): void {
    traceEvent(this.arena, this.id, packed, aux, ret);
    if (this.tracedFn !== undefined) this.tracedFn(this, packed, aux, ret);
  }

  /** A timed phase begins or ends (phases.ts); no effect unless the executor installed `mark`. */
  mark(phase: number, edge: number): void {
    if (this.markFn !== undefined) this.markFn(this, phase, edge);
  }

  /**
   * Wake up to `count` threads asleep on arena word `index` (futexWake): only the stress
   * executor's actors sleep, on the words of what they wait for. Each caller wakes only when a
   * sleeper may be there: a fence signal when one announced itself (FENCEF_WAITERS); ww_mutex
   * unlock and the wait-die acquire under stress with M_WAITERS set; wakeActor, complete and
   * wake_up under stress. How many woke is the executor's to count, not the model's.
   */
  wake(index: number, count = 0x7fffffff): void {
    if (this.wakeFn === undefined) futexWake(this.i32, index, count);
    else this.wakeFn(this, index, count);
  }

  /** Record a WARN: the finding is kept (once: see recordFinding) and the task goes on. `site` is
   *  a siteId() (0 = none); `aux` (up to 4 words) carries detector context such as who mapped or
   *  freed, and when. */
  warn(name: WarnName, obj = 0, site = 0, aux?: readonly number[]): void {
    recordFinding(this.arena, warnCode(name), this.id, obj, site, aux);
  }

  /**
   * WARN_ONCE: record `name` on `obj` (as warn) only if no task has warned `name` once this trial;
   * true when this call recorded it. Any task, any executor: exactly one caller wins, the one whose
   * atomic or sets the warning's C_WARNED bit; the others record nothing, not even a repeat (the
   * kernel's `__warned` flag silences them). The bits clear with the trial, as at boot.
   */
  warnOnce(name: WarnName, obj = 0, site = 0): boolean {
    const code = warnCode(name);
    const word = warnedWord(this.ctl, code);
    const bit = warnedBit(code);
    if ((Atomics.load(this.i32, word) & bit) !== 0 || (Atomics.or(this.i32, word, bit) & bit) !== 0) return false;
    recordFinding(this.arena, code, this.id, obj, site);
    return true;
  }

  /** Record a BUG and stop the task: throws KernelOops, which only executors catch. */
  bug(name: WarnName, obj = 0, site = 0): never {
    const code = warnCode(name);
    recordFinding(this.arena, code, this.id, obj, site);
    throw new KernelOops(code);
  }

  /** The free-running (stress) executor asks actors to wind down: loops should end. */
  stopRequested(): boolean {
    return Atomics.load(this.i32, this.ctl + C_STOP) !== 0;
  }

  /** A signal is pending for this task (interruptible sleeps end with -EINTR/-ERESTARTSYS). */
  signalPending(): boolean {
    return this.i32[this.base + A_SIGPENDING] !== 0;
  }

  /** Locks this task holds. */
  held(): number {
    return this.i32[this.base + A_HELD]!;
  }

  // Scenario-owned shared words (region `user`); all accesses are atomic.
  load(word: number): number { return Atomics.load(this.i32, this.userIndex(word)); }
  store(word: number, v: number): void { Atomics.store(this.i32, this.userIndex(word), v); }
  add(word: number, v = 1): number { return Atomics.add(this.i32, this.userIndex(word), v); }

  private userIndex(word: number): number {
    if (word < 0 || word >= this.arena.geometry.userWords) throw new RangeError(`user word ${word} out of range`);
    return this.arena.layout.user + word;
  }
}

/**
 * Record a finding in the trial's findings table, once. A record repeats a kept finding when the
 * check (code), its call site, the reporting task and the four aux words are the same, and — unless
 * the check ignores it (warn.ts anyObject: a per-page check, whose aux words name the mapping and
 * the other party, or KASAN's report on private words) — the object too: like the kernel's
 * WARN_ONCE per call site and lockdep's once-only report, the first record stands for the rest,
 * which only count in its G_REPEATS. That is exactly a loop over one mapping's pages, or one misuse
 * hit again; another object, party or moment is its own finding. A new finding takes the first free
 * slot; with none left it counts in C_FINDINGS_LOST. Any task, any executor: slots are claimed in
 * order with a CAS on G_CODE (layout.ts), so two threads recording the same finding meet at one
 * slot; a reader of a slot being filled spins on its claimer's few plain stores (never across a
 * yield). The slots taken are thus a prefix of the table and a slot's G_CODE never returns to 0
 * within a trial: a trial reset zeroes only that prefix (shm/layout/cursor_tables.ts), so a writer
 * must keep both.
 */
export function recordFinding(a: Arena, code: number, actor: number, obj: number, site: number, aux?: readonly number[]): void {
  const h = a.i32;
  const anyObj = warnSpec(code)?.anyObject === true;
  for (let i = 0; i < a.geometry.findings; i++) {
    const at = a.finding(i);
    let c = Atomics.load(h, at + G_CODE);
    if (c === 0) {
      c = Atomics.compareExchange(h, at + G_CODE, 0, FINDING_FILLING);
      if (c === 0) { fillFinding(a, at, code, actor, obj, site, aux); return; }
    }
    while (c === FINDING_FILLING) c = Atomics.load(h, at + G_CODE);
    if (c === code && sameRecord(h, at, actor, site, anyObj ? undefined : obj, aux)) {
      incSaturating(h, at + G_REPEATS);
      return;
    }
  }
  incSaturating(h, a.layout.control + C_FINDINGS_LOST);
}

const INT32_MAX = 0x7fffffff;

/** Add one to counter word `at` (G_REPEATS, C_FINDINGS_LOST), saturating at INT32_MAX: a long
 *  stress run must not wrap it negative, which a report would read as none. Any task; atomic. */
export function incSaturating(h: Int32Array, at: number): void {
  for (let v = Atomics.load(h, at); v < INT32_MAX;) {
    const seen = Atomics.compareExchange(h, at, v, v + 1);
    if (seen === v) return;
    v = seen;
  }
}

/** Fill the slot at `at` that this task claimed, and publish it. */
function fillFinding(a: Arena, at: number, code: number, actor: number, obj: number, site: number, aux?: readonly number[]): void {
  const h = a.i32;
  h[at + G_ACTOR] = actor;
  h[at + G_STEP] = h[a.layout.control + C_STEP]!;
  h[at + G_OBJ] = obj;
  h[at + G_ARG] = site;
  for (let i = 0; i < FINDING_AUX_WORDS; i++) h[at + G_AUX + i] = aux?.[i] ?? 0;
  h[at + G_REPEATS] = 0;
  Atomics.store(h, at + G_CODE, code);
  Atomics.add(h, a.layout.control + C_NFINDINGS, 1);
}

/** Whether the published slot at `at` holds this record (its code already matched); `obj`
 *  undefined: any object. */
function sameRecord(h: Int32Array, at: number, actor: number, site: number, obj: number | undefined, aux?: readonly number[]): boolean {
  if (h[at + G_ACTOR] !== actor || h[at + G_ARG] !== site || (obj !== undefined && h[at + G_OBJ] !== obj)) return false;
  for (let i = 0; i < FINDING_AUX_WORDS; i++) if (h[at + G_AUX + i] !== (aux?.[i] ?? 0)) return false;
  return true;
}

/** Deliver a signal to `actor` (its interruptible sleeps end). */
export function send_signal(t: Task, actor: number): void {
  Atomics.store(t.i32, t.arena.actor(actor) + A_SIGPENDING, 1);
  wakeActor(t, actor);
}

/** Consume this task's pending signal. */
export function clear_signal(t: Task): void {
  Atomics.store(t.i32, t.base + A_SIGPENDING, 0);
}

/**
 * Preemption-bounded depth-first search — the iterative context bounding of CHESS (Musuvathi,
 * Qadeer, "Iterative Context Bounding for Systematic Testing of Multithreaded Programs", PLDI
 * 2007), with at most B preemptions per schedule (spec `dfs:B`, B in 0..DFS_MAX_BOUND).
 *
 * A preemption is picking an actor other than `current` while `current` is runnable; when
 * `current` cannot run (blocked, finished, or the first decision) any runnable actor is a free
 * choice. Each trial follows the current DFS path (a prefix of recorded choices), then runs
 * non-preemptively (`nonPreemptive`), recording a frame per decision: the runnable mask, the
 * current actor, the choice, the choices tried there and the preemptions made before it. At the
 * end of the trial it backtracks to the deepest frame that still has an untried alternative
 * within the bound (alternatives lowest actor first) and the next trial takes it. When none is
 * left the pass is complete: `passes` grows, `exhausted` turns true, and the next trial starts the
 * same enumeration over. For a deterministic program every schedule with ≤ B preemptions that
 * branches only within the first `maxDepth` decisions is run exactly once per pass.
 *
 * INLINE ONLY. The DFS stack does not fit the arena's scheduler words, so it lives in this
 * object's JS memory: under the `controlled` executor each actor thread would hold its own copy.
 * `inlineOnly(spec)` in create.ts tells executors which specs these are.
 *
 * The seed is ignored: the trial is chosen by the search, not by randomness. The actors' own
 * streams (`t.rng`) are still seeded per trial by the executor, so a scenario whose actors draw
 * from them should be searched with one seed for all trials. A trial that does not follow the
 * recorded prefix (the runnable set or current actor differ: the program is not deterministic)
 * abandons the rest of the prefix there, counts a divergence and continues non-preemptively.
 *
 * Memory is bounded: frames are recorded for the first `maxDepth` decisions only (five Int32Arrays
 * of that length, allocated once); later decisions are non-preemptive and never branched on.
 * `end` is not called for trials that hit the step bound (exec/step.ts), so `begin` closes a trial
 * that was begun and never ended as if `end` had been called.
 */
import type { Scheduler } from './scheduler.js';
import { nonPreemptive } from './guided.js';

/** Largest preemption bound accepted. */
export const DFS_MAX_BOUND = 9;
/** Decisions per trial that are recorded and branched on, by default. */
export const DFS_DEFAULT_DEPTH = 2000;

/** Whether picking `next` when `current` yielded with `runnable` is a preemption. */
export function isPreemption(runnable: number, current: number, next: number): boolean {
  return current >= 0 && next !== current && (runnable & (1 << current)) !== 0;
}

export class DfsScheduler implements Scheduler {
  readonly name: string;
  readonly bound: number;
  readonly maxDepth: number;
  /** Completed passes over the bounded schedule space. */
  passes = 0;
  /** Trials run in the last completed pass (0 before the first pass completes). */
  lastPassTrials = 0;
  /** Trials that did not follow their recorded prefix (a non-deterministic program). */
  divergences = 0;
  private readonly fRunnable: Int32Array;
  private readonly fCurrent: Int32Array;
  private readonly fChoice: Int32Array;
  private readonly fTried: Int32Array;
  private readonly fPreempts: Int32Array;
  private depth = 0; // valid frames: the DFS stack
  private prefix = 0; // frames this trial follows
  private step = 0; // decisions this trial
  private used = 0; // preemptions this trial
  private trials = 0; // trials ended in the current pass
  private open = false; // a trial was begun and not yet ended

  /** Pre: `bound` an integer in [0, DFS_MAX_BOUND], `maxDepth` an integer ≥ 1 (else RangeError). */
  constructor(bound: number, maxDepth = DFS_DEFAULT_DEPTH) {
    if (!Number.isInteger(bound) || bound < 0 || bound > DFS_MAX_BOUND) {
      throw new RangeError(`DFS bound ${bound} is not an integer in 0..${DFS_MAX_BOUND}`);
    }
    if (!Number.isInteger(maxDepth) || maxDepth < 1) {
      throw new RangeError(`DFS depth ${maxDepth} is not a positive integer`);
    }
    this.bound = bound;
    this.maxDepth = maxDepth;
    this.name = `dfs:${bound}`;
    this.fRunnable = new Int32Array(maxDepth);
    this.fCurrent = new Int32Array(maxDepth);
    this.fChoice = new Int32Array(maxDepth);
    this.fTried = new Int32Array(maxDepth);
    this.fPreempts = new Int32Array(maxDepth);
  }

  /** True once a pass has enumerated the whole bounded space. */
  get exhausted(): boolean {
    return this.passes > 0;
  }

  /** Starts a trial on the current DFS path. The seed and actor count are not used. */
  begin(_seed: number, _actors: number): void {
    this.finish();
    this.step = 0;
    this.used = 0;
    this.prefix = this.depth;
    this.open = true;
  }

  /**
   * The recorded choice while the trial follows its prefix, else the non-preemptive choice
   * (recorded as a new frame within the first `maxDepth` decisions).
   * Pre: called once per decision, in order, between `begin` and `end`; `runnable` non-empty.
   * Post: returns a member of `runnable`.
   */
  pick(runnable: number, current: number, _step: number): number {
    const i = this.step++;
    let next: number;
    if (i < this.prefix && this.fRunnable[i] === runnable && this.fCurrent[i] === current) {
      next = this.fChoice[i]!;
    } else {
      if (i < this.prefix) {
        this.divergences++;
        this.prefix = i;
      }
      next = nonPreemptive(runnable, current);
      if (i < this.maxDepth) this.record(i, runnable, current, next);
    }
    if (isPreemption(runnable, current, next)) this.used++;
    return next;
  }

  /** Frame `i` := a first visit choosing `next`; the stack ends at it. */
  private record(i: number, runnable: number, current: number, next: number): void {
    this.fRunnable[i] = runnable;
    this.fCurrent[i] = current;
    this.fChoice[i] = next;
    this.fTried[i] = 1 << next;
    this.fPreempts[i] = this.used;
    this.depth = i + 1;
  }

  /** The trial in progress runs again: the next `begin` does not backtrack, and follows the frames
   *  this trial recorded (the choices it made, as it will make them again). */
  restart(): void {
    this.open = false;
  }

  /** The trial ended after `steps` decisions: backtrack so the next trial runs a new schedule. */
  end(_steps: number): void {
    this.finish();
  }

  /**
   * Close an open trial: trim frames it never reached, backtrack, count a finished pass.
   * Idempotent under a watch stop (the inline watchdog ends a script at a call or a loop's back
   * edge): the search for the next branch only reads, and every write follows it in straight-line
   * code with no call, so a stop lands before them all — the trial stays open and the next `end`
   * or `begin` closes it — or after them all.
   */
  private finish(): void {
    if (!this.open) return;
    const depth = this.depth > this.step ? this.step : this.depth;
    const branch = this.nextBranch(depth);
    this.open = false;
    this.trials++;
    if (branch >= 0) {
      const i = branch >> 5;
      const a = branch & 31;
      this.fTried[i]! |= 1 << a;
      this.fChoice[i] = a;
      this.depth = i + 1;
      return;
    }
    this.depth = 0;
    this.passes++;
    this.lastPassTrials = this.trials;
    this.trials = 0;
  }

  /** The deepest of the first `depth` frames with an untried alternative within the bound, as
   *  `frame << 5 | actor`; -1 if none. Reads only. */
  private nextBranch(depth: number): number {
    for (let i = depth - 1; i >= 0; i--) {
      const a = this.alternative(i);
      if (a >= 0) return (i << 5) | a;
    }
    return -1;
  }

  /** Lowest untried runnable actor at frame `i` whose choice keeps within the bound, or -1. */
  private alternative(i: number): number {
    const runnable = this.fRunnable[i]!;
    const untried = runnable & ~this.fTried[i]!;
    if (untried === 0) return -1;
    // The frame's first choice was `current` whenever it could run, so every untried actor
    // there is a preemption; elsewhere all are free.
    const c = this.fCurrent[i]!;
    const preempting = c >= 0 && (runnable & (1 << c)) !== 0;
    if (preempting && this.fPreempts[i]! >= this.bound) return -1;
    return 31 - Math.clz32(untried & -untried);
  }
}

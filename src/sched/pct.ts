/**
 * PCT — probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi, Nagarakatte,
 * ASPLOS 2010), adapted as DESIGN §3 says.
 *
 * At `begin`, the n actors get distinct random priorities d .. d+n-1 (a uniform permutation;
 * higher runs first), and m = min(d-1, k) distinct change points c_1 < … < c_m are drawn uniformly
 * from [1, k]. Only COUNTED steps matter: decisions where at least two actors are runnable (a
 * decision with one runnable actor is not a choice). At the i-th counted step, if i = c_j, the
 * actor about to run (the highest-priority runnable one) is lowered to priority d-j — so every
 * demotion puts the actor below everyone demoted before it ("demote to the bottom") — and the
 * highest-priority runnable actor is then picked. With all actors runnable, a trial thus makes at
 * most d-1 preemptions.
 *
 * k is LEARNED across trials: the most counted steps seen in any previous trial on this arena,
 * kept in a persistent word (PCT_K_WORD); PCT_DEFAULT_K before anything is learned.
 *
 * Guarantee: for a bug of depth d (d ordering constraints) in a program with n actors and at most
 * k counted steps, one trial finds it with probability ≥ 1/(n·k^(d-1)): the right actor gets the
 * top priority with probability ≥ 1/n and each of the d-1 needed change points is hit with
 * probability ≥ 1/k (drawing them distinct only raises that to 1/C(k, d-1) ≥ 1/k^(d-1)).
 */
import type { Scheduler, SchedViews } from './scheduler.js';
import { prngBelow, prngSeed } from './prng.js';
import { MAX_ACTORS, SCHED_PERSIST } from '../shm/layout.js';
import { topPriority } from './priority.js';

/** Deepest supported depth (change points fit in the state words below). */
export const PCT_MAX_DEPTH = 10;
/** Step estimate used until a trial has been seen. */
export const PCT_DEFAULT_K = 16;
/** Persistent word (index into views.state) holding the learned k; 0 = nothing learned. */
export const PCT_K_WORD = SCHED_PERSIST;

// Per-trial words of views.state.
const RNG = 0; // [0, 4): PRNG
const N = 4; // actors this trial
const K = 5; // k used this trial
const COUNT = 6; // counted steps so far
const NCP = 7; // change points drawn (m)
const NEXT = 8; // index of the next change point not yet reached
const CP = 9; // [9, 9 + PCT_MAX_DEPTH - 1): change points, ascending
const PRIO = CP + PCT_MAX_DEPTH - 1; // [PRIO, PRIO + MAX_ACTORS): priority per actor
/** First per-trial word PCT does not use. */
export const PCT_STATE_END = PRIO + MAX_ACTORS;

export class PctScheduler implements Scheduler {
  readonly name: string;
  readonly depth: number;
  private readonly s: Int32Array;

  /** Pre: `depth` is an integer in [1, PCT_MAX_DEPTH] (else RangeError). */
  constructor(views: SchedViews, depth: number) {
    if (!Number.isInteger(depth) || depth < 1 || depth > PCT_MAX_DEPTH) {
      throw new RangeError(`PCT depth ${depth} is not an integer in 1..${PCT_MAX_DEPTH}`);
    }
    this.depth = depth;
    this.name = `pct:${depth}`;
    this.s = views.state;
  }

  /** The learned step estimate (PCT_DEFAULT_K before any trial ended). */
  learnedK(): number {
    const k = this.s[PCT_K_WORD]!;
    return k > 0 ? k : PCT_DEFAULT_K;
  }

  /** Seeds the PRNG, draws the priorities and the change points. Pre: 1 ≤ actors ≤ MAX_ACTORS. */
  begin(seed: number, actors: number): void {
    const s = this.s;
    prngSeed(s, RNG, seed);
    s[N] = actors;
    s[K] = this.learnedK();
    s[COUNT] = 0;
    s[NEXT] = 0;
    this.drawPriorities(actors);
    this.drawChangePoints(Math.min(this.depth - 1, s[K]!), s[K]!);
  }

  /** PRIO[0..n) := a uniform permutation of d .. d+n-1 (Fisher–Yates). */
  private drawPriorities(n: number): void {
    const s = this.s;
    for (let i = 0; i < n; i++) s[PRIO + i] = this.depth + i;
    for (let i = n - 1; i > 0; i--) {
      const j = prngBelow(s, RNG, i + 1);
      const t = s[PRIO + i]!;
      s[PRIO + i] = s[PRIO + j]!;
      s[PRIO + j] = t;
    }
    for (let i = n; i < MAX_ACTORS; i++) s[PRIO + i] = 0;
  }

  /** CP[0..m) := m distinct uniform values of [1, k], ascending (Floyd's sampling). Pre: m ≤ k. */
  private drawChangePoints(m: number, k: number): void {
    const s = this.s;
    let count = 0;
    for (let top = k - m + 1; top <= k; top++) {
      const t = prngBelow(s, RNG, top) + 1;
      const v = this.hasChangePoint(count, t) ? top : t;
      let i = count++;
      for (; i > 0 && s[CP + i - 1]! > v; i--) s[CP + i] = s[CP + i - 1]!;
      s[CP + i] = v;
    }
    s[NCP] = m;
  }

  private hasChangePoint(count: number, v: number): boolean {
    for (let i = 0; i < count; i++) if (this.s[CP + i] === v) return true;
    return false;
  }

  /**
   * The highest-priority runnable actor, after applying the change point of this counted step.
   * Pre: `runnable` is a non-empty mask of actors < the trial's actor count.
   */
  pick(runnable: number, _current: number, _step: number): number {
    if ((runnable & (runnable - 1)) === 0) return 31 - Math.clz32(runnable);
    const s = this.s;
    const i = s[COUNT]! + 1;
    s[COUNT] = i;
    const next = s[NEXT]!;
    if (next < s[NCP]! && s[CP + next] === i) {
      s[PRIO + this.top(runnable)] = this.depth - 1 - next;
      s[NEXT] = next + 1;
    }
    return this.top(runnable);
  }

  /** The runnable actor with the highest priority. */
  private top(runnable: number): number {
    return topPriority(this.s, PRIO, runnable);
  }

  /** Learns k := max(k, counted steps of this trial). `steps` (all decisions) is not used. */
  end(_steps: number): void {
    const s = this.s;
    const counted = s[COUNT]!;
    if (counted > s[PCT_K_WORD]!) s[PCT_K_WORD] = counted;
  }
}

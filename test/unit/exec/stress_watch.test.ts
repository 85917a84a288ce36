/**
 * The stress watchdog's verdicts on an arena whose actor records the test writes, polled at fake
 * times with an injected schedstat reader (no threads, no sleeps, no real load): its clocks wait
 * for the actor threads to start, do not count time the runnable actors waited for a CPU, and
 * still end a trial whose actor runs without yielding, or that nobody can progress, in bounded time.
 */
import { describe, expect, it } from 'vitest';
import { Arena } from '../../../src/shm/arena.js';
import {
  ACTOR_BLOCKED, ACTOR_READY, A_STALLS, A_STATE, A_TID, A_WAIT_KIND, A_WAIT_SITE, A_WAIT_TICKET, C_STEP, C_STOP,
  EXEC_STRESS, TRIAL_ABORTED, TRIAL_DEADLOCK, WAITF_TIMED, WAITK_NONE, WAITK_SLEEP, WAITK_WORD, WAIT_SLEEP,
} from '../../../src/shm/layout.js';
import { Task } from '../../../src/kernel/task.js';
import { block, pauseSleep } from '../../../src/kernel/wait.js';
import { WS_PRIMITIVE } from '../../../src/kernel/wait_site.js';
import { StressWatch, type StressVerdict, type StressWatchLimits } from '../../../src/exec/stress_watch.js';
import { STARVED_LIMIT_FACTOR, type QueueReader, type WaitReader } from '../../../src/exec/stall_clock.js';

const POLL = 25;
const START = 10_000;
const LIMITS: StressWatchLimits = { durationMs: 60_000, stallMs: 1000, graceMs: 5000, startupMs: 20_000 };
/** Thread ids of actors 0 and 1. */
const TIDS = [101, 102];

/** Wait ms each thread shows per poll: 0 has the CPU when it wants it, 22.5 gets a tenth of one. */
const STARVED = POLL * 0.9;

interface Rig {
  readonly a: Arena;
  readonly tasks: readonly Task[];
  /** A reader whose threads' waits grow by `waitPerPoll[tid]` each poll (absent: not reported). */
  readonly read: WaitReader;
  readonly waitPerPoll: Map<number, number>;
  /** A reader of the threads' run queue states: the threads in `waiting` are on a run queue and
   *  have not run since the first poll; the others' states are unknown. */
  readonly queue: QueueReader;
  readonly waiting: Set<number>;
  tick(): void;
}

/** Two stress actors, both taken up and running, their threads not waiting. */
function rig(): Rig {
  const a = Arena.create();
  a.resetTrial({ actors: 2, mode: EXEC_STRESS, stepLimit: 100, waitPolicy: WAIT_SLEEP, replayLen: 0 });
  const tasks = [0, 1].map((i) => new Task(a, i, `actor${i}`));
  for (const t of tasks) {
    a.i32[t.base + A_TID] = TIDS[t.id]!;
    a.i32[t.base + A_STATE] = ACTOR_READY;
  }
  const waits = new Map<number, number>();
  const waitPerPoll = new Map(TIDS.map((tid) => [tid, 0]));
  const waiting = new Set<number>();
  return {
    a, tasks, waitPerPoll, waiting,
    queue: (tid) => (waiting.has(tid) ? { runNs: 0, queued: true } : undefined),
    read: (tid) => (waitPerPoll.has(tid) ? waits.get(tid) ?? 0 : undefined),
    tick: () => { for (const [tid, ms] of waitPerPoll) waits.set(tid, (waits.get(tid) ?? 0) + ms * 1e6); },
  };
}

/**
 * Poll `w` every POLL ms for `ms`, running `each(elapsed)` before each poll. Returns the first
 * verdict and when (ms since START), or null.
 */
function watchFor(r: Rig, w: StressWatch, ms: number, each: (elapsed: number) => void = () => {}): { at: number; v: StressVerdict } | null {
  for (let t = POLL; t <= ms; t += POLL) {
    each(t);
    r.tick();
    const v = w.poll(START + t, false);
    if (v !== null) return { at: t, v };
  }
  return null;
}

const watch = (r: Rig, limits: Partial<StressWatchLimits> = {}, ended: (i: number) => boolean = () => false): StressWatch =>
  new StressWatch(r.a, START, { ...LIMITS, ...limits }, ended, r.read, r.queue);

/** The user word actor `t` waits on in blockForever. */
const wordOf = (t: Task): number => t.arena.layout.user + t.id;

/** Block actor `t` untimed on a user word nobody changes: asleep for good. */
const blockForever = (t: Task): void => block(t, WAITK_WORD, wordOf(t), 0, 0, 0);

describe('StressWatch before the actor threads have started', () => {
  it('judges nothing while an actor is not taken up, then ends the trial as a hang of that actor at the start-up bound', () => {
    const r = rig();
    r.a.i32[r.tasks[1]!.base + A_TID] = 0;
    expect(watchFor(r, watch(r), 30_000)).toEqual({ at: LIMITS.startupMs, v: { state: TRIAL_ABORTED, actor: 1 } });
  });

  it('counts the stall from the take-up, not from the trial\'s start', () => {
    const r = rig();
    r.a.i32[r.tasks[1]!.base + A_TID] = 0;
    const res = watchFor(r, watch(r), 30_000, (t) => { if (t === 5000) r.a.i32[r.tasks[1]!.base + A_TID] = TIDS[1]!; });
    expect(res?.v).toEqual({ state: TRIAL_ABORTED, actor: 0 });
    expect(res!.at).toBeGreaterThanOrEqual(5000 + LIMITS.stallMs);
    expect(res!.at).toBeLessThanOrEqual(5000 + LIMITS.stallMs + 2 * POLL);
  });

  it('counts an actor whose task ended (a worker that failed to start) as taken up', () => {
    const r = rig();
    r.a.i32[r.tasks[1]!.base + A_TID] = 0;
    expect(watchFor(r, watch(r, {}, (i) => i === 1), 30_000)?.at).toBeLessThanOrEqual(LIMITS.stallMs + 2 * POLL);
  });
});

describe('StressWatch on a trial without progress', () => {
  it('is no stall while the running actor is starved to a tenth of a CPU, where the wall-clock rule was', () => {
    const r = rig();
    blockForever(r.tasks[1]!);
    r.waitPerPoll.set(TIDS[0]!, STARVED);
    expect(watchFor(r, watch(r), 5000)).toBeNull();
    r.waitPerPoll.delete(TIDS[0]!);
    expect(watchFor(r, watch(r), 5000)?.v, 'schedstat not reported: the wall-clock rule').toEqual({ state: TRIAL_ABORTED, actor: 0 });
  });

  it('is no stall while the runnable actor waits for a CPU in one wait longer than the limit, its wait not reported until it ends', () => {
    const r = rig();
    blockForever(r.tasks[1]!);
    r.waiting.add(TIDS[0]!);
    expect(watchFor(r, watch(r), 5000)).toBeNull();
    const res = watchFor(r, watch(r), 60_000);
    expect(res?.v, 'a wait without end: the wall-time cap').toEqual({ state: TRIAL_ABORTED, actor: 0 });
    expect(res!.at).toBe(LIMITS.stallMs * STARVED_LIMIT_FACTOR + POLL);
  });

  it.each([
    ['on a CPU of its own', 0, LIMITS.stallMs],
    ['with a tenth of a CPU', STARVED, LIMITS.stallMs * 10],
  ])('ends the trial as a hang of an actor running without yielding %s, once it has had the limit', (_label, wait, at) => {
    const r = rig();
    blockForever(r.tasks[1]!);
    r.waitPerPoll.set(TIDS[0]!, wait);
    const res = watchFor(r, watch(r), 60_000);
    expect(res?.v).toEqual({ state: TRIAL_ABORTED, actor: 0 });
    expect(res!.at).toBeGreaterThanOrEqual(at * 0.95);
    expect(res!.at).toBeLessThanOrEqual(at + 2 * POLL);
  });

  it('ends the trial as a deadlock in the limit\'s wall time when every actor is blocked for good', () => {
    const r = rig();
    for (const t of r.tasks) blockForever(t);
    for (const tid of TIDS) r.waitPerPoll.set(tid, STARVED);
    const res = watchFor(r, watch(r), 5000);
    expect(res?.v).toEqual({ state: TRIAL_DEADLOCK, actor: -1 });
    expect(res!.at).toBeLessThanOrEqual(LIMITS.stallMs + 2 * POLL);
  });

  it('names the runner that stopped yielding, not an actor stalled at a stall point beside it', () => {
    const r = rig();
    r.a.i32[r.tasks[0]!.base + A_STALLS] = 1;
    expect(watchFor(r, watch(r), 5000)?.v).toEqual({ state: TRIAL_ABORTED, actor: 1 });
  });

  it('does not count a stalled actor\'s waits as starvation: a stall outlasting the limit is its own hang', () => {
    const r = rig();
    r.a.i32[r.tasks[0]!.base + A_STALLS] = 1;
    blockForever(r.tasks[1]!);
    r.waitPerPoll.set(TIDS[0]!, STARVED);
    const res = watchFor(r, watch(r), 5000);
    expect(res?.v).toEqual({ state: TRIAL_ABORTED, actor: 0 });
    expect(res!.at).toBeLessThanOrEqual(LIMITS.stallMs + 2 * POLL);
  });

  it('counts a blocked actor whose condition holds (woken, waiting for a CPU) as runnable: starved, no stall', () => {
    const r = rig();
    blockForever(r.tasks[0]!);
    blockForever(r.tasks[1]!);
    r.a.i32[wordOf(r.tasks[0]!)] = 1;
    r.waitPerPoll.set(TIDS[0]!, STARVED);
    expect(watchFor(r, watch(r), 5000)).toBeNull();
  });

  // Actor 0, woken (its word changed), is leaving its sleep: the OS holds its thread between
  // unblock's stores (kernel/wait.ts) while the watchdog polls. Read as asleep, its thread's wait
  // for a CPU went uncounted, and a trial with everybody else asleep ended as a deadlock.
  const unblockPrefixes = [1, 2, 3].map((made) => [made] as const);
  /** Both actors asleep on their words; actor 0's changed, it is `made` stores into unblock. */
  const leavingRig = (made: number): Rig => {
    const r = rig();
    for (const t of r.tasks) blockForever(t);
    r.a.i32[wordOf(r.tasks[0]!)] = 1;
    const [h, b] = [r.a.i32, r.tasks[0]!.base];
    const stores = [
      () => Atomics.store(h, b + A_WAIT_TICKET, 0),
      () => { h[b + A_WAIT_KIND] = WAITK_NONE; },
      () => { h[b + A_WAIT_SITE] = WS_PRIMITIVE; },
    ];
    for (const store of stores.slice(0, made)) store();
    expect(h[b + A_STATE]).toBe(ACTOR_BLOCKED);
    return r;
  };

  // After 1 store only the ticket changed, and the changed word already makes actor 0 wakeable:
  // runnable however its record is read, so the starved case starts at 2 (pauseRig below holds the
  // ticket-0 case with the condition unmet).
  it.each(unblockPrefixes.slice(1))('counts an actor leaving its sleep as runnable after %i of unblock\'s stores: starved, no stall', (made) => {
    const r = leavingRig(made);
    r.waitPerPoll.set(TIDS[0]!, STARVED);
    expect(watchFor(r, watch(r), 5000)).toBeNull();
  });

  it.each(unblockPrefixes)('names an actor held after %i of unblock\'s stores as the hang, not a deadlock', (made) => {
    const r = leavingRig(made);
    expect(watchFor(r, watch(r), 5000)?.v).toEqual({ state: TRIAL_ABORTED, actor: 0 });
  });

  // A queued mutex waiter trying its lock (kernel/mutex_lock_common.ts): its sleep paused —
  // ticket 0, record intact, its condition unmet (the word unchanged) — and the OS holds its
  // thread there.
  /** Both actors asleep on their words, unchanged; actor 0's sleep paused (wait.ts pauseSleep). */
  const pauseRig = (): Rig => {
    const r = rig();
    for (const t of r.tasks) blockForever(t);
    pauseSleep(r.tasks[0]!);
    expect([r.a.i32[r.tasks[0]!.base + A_STATE], r.a.i32[r.tasks[0]!.base + A_WAIT_KIND]]).toEqual([ACTOR_BLOCKED, WAITK_WORD]);
    return r;
  };

  it('counts a mutex waiter trying its lock (sleep paused, condition unmet) as runnable: starved, no stall', () => {
    const r = pauseRig();
    r.waitPerPoll.set(TIDS[0]!, STARVED);
    expect(watchFor(r, watch(r), 5000)).toBeNull();
  });

  it('names a mutex waiter held while trying its lock as the hang, not a deadlock', () => {
    const r = pauseRig();
    expect(watchFor(r, watch(r), 5000)?.v).toEqual({ state: TRIAL_ABORTED, actor: 0 });
  });

  it('holds off while a timed sleeper has time ahead, and counts from its deadline once passed', () => {
    const r = rig();
    block(r.tasks[0]!, WAITK_SLEEP, 0, WAITF_TIMED, 3000, 0);
    blockForever(r.tasks[1]!);
    const res = watchFor(r, watch(r), 10_000);
    expect(res?.v).toEqual({ state: TRIAL_DEADLOCK, actor: -1 });
    expect(res!.at).toBeGreaterThanOrEqual(3000 + LIMITS.stallMs);
    expect(res!.at).toBeLessThanOrEqual(3000 + LIMITS.stallMs + 2 * POLL);
  });

  it('restarts the stretch at every step', () => {
    const r = rig();
    blockForever(r.tasks[1]!);
    expect(watchFor(r, watch(r), 10_000, (t) => { if (t % 500 === 0) Atomics.add(r.a.i32, r.a.layout.control + C_STEP, 1); })).toBeNull();
  });
});

describe('StressWatch at the end of the duration', () => {
  it('asks the actors to stop, and ends the trial as a hang when they still run after the grace of counted time', () => {
    const r = rig();
    const limits = { durationMs: 1000, graceMs: 500 };
    // The first poll finds both actors taken up: the duration counts from there.
    const progressing = (t: number): void => { Atomics.add(r.a.i32, r.a.layout.control + C_STEP, 1); expect(r.a.ctl(C_STOP)).toBe(t > POLL + 1000 ? 1 : 0); };
    const res = watchFor(r, watch(r, limits), 10_000, progressing);
    expect(res?.v).toEqual({ state: TRIAL_ABORTED, actor: -1 });
    expect(Math.abs(res!.at - (POLL + 1500))).toBeLessThanOrEqual(POLL);
    const starved = rig();
    for (const tid of TIDS) starved.waitPerPoll.set(tid, STARVED);
    expect(watchFor(starved, watch(starved, limits), 5000, () => Atomics.add(starved.a.i32, starved.a.layout.control + C_STEP, 1))).toBeNull();
  });

  // The W6/W7 runs' zero-round actors: an actor whose thread first ran after the duration had
  // passed on the trial's clock was asked to stop before its first round.
  it('gives actors taken up late the whole duration from their take-up before asking them to stop', () => {
    const r = rig();
    const late = r.tasks[1]!.base + A_TID;
    r.a.i32[late] = 0;
    const limits = { durationMs: 1000, graceMs: 500 };
    const w = watch(r, limits);
    const stopAt: number[] = [];
    for (let t = POLL; t <= 5000 + limits.durationMs + 4 * POLL; t += POLL) {
      if (t === 5000) r.a.i32[late] = TIDS[1]!;
      Atomics.add(r.a.i32, r.a.layout.control + C_STEP, 1);
      expect(w.poll(START + t, false)).toBeNull();
      if (r.a.ctl(C_STOP) !== 0) stopAt.push(t);
    }
    expect(stopAt[0], 'asked to stop a duration after the take-up').toBe(5000 + limits.durationMs);
  });

  it('stops the actors at once on an abort, also before they are all taken up', () => {
    const r = rig();
    r.a.i32[r.tasks[1]!.base + A_TID] = 0;
    const w = watch(r);
    expect(w.poll(START + POLL, false)).toBeNull();
    expect(r.a.ctl(C_STOP)).toBe(0);
    expect(w.poll(START + 2 * POLL, true)).toBeNull();
    expect(r.a.ctl(C_STOP)).toBe(1);
  });
});

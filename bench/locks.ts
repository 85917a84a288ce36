/**
 * DESIGN §8 "Locks in `stress`": uncontended dma_resv_lock(NULL ctx) + dma_resv_unlock of the
 * model, driven as a stress actor is driven, against a raw Atomics mutex in the same thread and
 * the same run.
 *
 * The model side runs the real stress actor loop (stress-actor.ts runStressActor) in this thread
 * over an arena reset in EXEC_STRESS mode, with a Task carrying the hooks a stress worker installs
 * (host.ts stressTaskHooks: wall clock, -EDEADLK injection at rate 0, the recorder with statistics
 * off). The actor is one generator looping lock/unlock on one reservation object; each lock yields
 * its scheduling point (OP_LOCK) once, which the loop logs and resumes past, as in a stress trial.
 * Random delays at yields are off (they time the schedule, not the lock). The limit is the classic
 * futex-less mutex: compareExchange 0→1 to lock, store 0 and notify if anyone waits to unlock, on a
 * SharedArrayBuffer, in a counting loop of the same shape.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker, isMainThread } from 'node:worker_threads';
import { fmtShare } from '../src/campaign/stress_format.js';
import { Arena } from '../src/shm/arena.js';
import { CACHE_LINE_WORDS, C_NFINDINGS, C_STATE, C_STEP, EXEC_STRESS, TRIAL_RUNNING, WAIT_SPIN } from '../src/shm/layout.js';
import { Task } from '../src/kernel/task.js';
import { dma_resv_init, dma_resv_lock, dma_resv_unlock } from '../src/kernel/dma_resv.js';
import type { KGen, Resv } from '../src/kernel/types.js';
import { prepareTrial } from '../src/exec/prepare.js';
import { defineScenario } from '../src/exec/scenario.js';
import { stressTaskHooks } from '../src/exec/host.js';
import { runStressActor } from '../src/exec/stress-actor.js';
import { StressRecorder } from '../src/exec/stress-recorder.js';
import { Prng } from '../src/sched/prng.js';
import { benchMain } from './main.js';

const now = (): number => performance.now();

/** One actor taking and dropping one reservation lock `rounds` times without a context. */
export const resvLockLoop = defineScenario({
  name: 'bench-resv-lock', module: import.meta.url, expect: 'clean',
  params: { rounds: 1000 },
  setup: (t) => ({ resv: dma_resv_init(t) }),
  actors: (p) => [{
    name: 'locker',
    run: function* (t: Task, e: { resv: Resv }): KGen<void> {
      for (let i = 0; i < p.rounds; i++) {
        const ret = yield* dma_resv_lock(t, e.resv, null);
        if (ret !== 0) throw new Error(`dma_resv_lock returned ${ret}`);
        dma_resv_unlock(t, e.resv);
      }
    },
  }],
});

/** A stress arena with the locker actor's Task and a setup Task, reused across measurements. */
export interface LockBench {
  readonly arena: Arena;
  readonly actor: Task;
  readonly setup: Task;
  readonly rng: Prng;
}

/** The arena and tasks for modelLockRate; the actor's Task has a stress worker's hooks. */
export function lockBench(): LockBench {
  const arena = Arena.create({ actors: 2 });
  const rng = new Prng(1);
  const knobs = { originMs: performance.timeOrigin + now(), injectChance: 0, rng, rec: new StressRecorder() };
  knobs.rec.begin(undefined, 0);
  const actor = new Task(arena, 0, 'locker', stressTaskHooks(knobs));
  return { arena, actor, setup: new Task(arena, 1, 'setup'), rng };
}

/** Reset the arena for a stress-mode trial of `rounds` pairs; the locker actor's generator. */
function startTrial(b: LockBench, rounds: number): KGen<void> {
  const p = { rounds };
  const env = prepareTrial(b.arena, b.setup, resvLockLoop, p, { actors: 1, mode: EXEC_STRESS, stepLimit: 0x7fffffff, waitPolicy: WAIT_SPIN });
  return resvLockLoop.actors(p)[0]!.run(b.actor, env) as KGen<void>;
}

/** Throws unless the trial ran `points` scheduling points for `rounds` pairs — one per round,
 *  so no lock waited — and ended with no finding. */
function checkUncontended(b: LockBench, rounds: number, points: number, crash?: string): void {
  const findings = b.arena.ctl(C_NFINDINGS);
  if (crash === undefined && b.arena.ctl(C_STATE) === TRIAL_RUNNING && findings === 0 && points === rounds + 1) return;
  throw new Error(`lock bench trial was not uncontended: ${crash ?? ''} state ${b.arena.ctl(C_STATE)}, ${findings} findings, ${points} points for ${rounds} rounds`);
}

/**
 * Model lock+unlock pairs per second over one stress-mode trial of `rounds` pairs, driven by the
 * stress actor loop (trial preparation not timed). Throws unless every lock succeeded at its first
 * attempt (checkUncontended; the loop logs a step per scheduling point).
 */
export function modelLockRate(b: LockBench, rounds: number): number {
  const gen = startTrial(b, rounds);
  const t0 = now();
  const crash = runStressActor(b.arena, b.actor, gen, b.rng, { delayChance: 0, maxDelaySpins: 0 });
  const s = (now() - t0) / 1000;
  checkUncontended(b, rounds, b.arena.ctl(C_STEP), crash);
  return rounds / s;
}

/**
 * The same trial with the actor's generator resumed by a bare loop: the model's lock path without
 * the stress loop's per-point work (step log, state checks). Context for modelLockRate.
 */
export function lockPathRate(b: LockBench, rounds: number): number {
  const gen = startTrial(b, rounds);
  let points = 1;
  const t0 = now();
  while (gen.next().done !== true) points++;
  const s = (now() - t0) / 1000;
  checkUncontended(b, rounds, points);
  return rounds / s;
}

/** Owner and waiter-count words of the raw mutex, a cache line apart. */
const RAW_OWNER = 0;
const RAW_WAITERS = CACHE_LINE_WORDS;

/** The raw mutex's slow path; never taken uncontended in one thread, where it would deadlock. */
function rawLockSlow(): never {
  throw new Error('raw mutex contended in a single-thread bench');
}

/** Take the raw mutex in `h` (compareExchange 0→1 on the owner word). */
function rawLock(h: Int32Array): void {
  if (Atomics.compareExchange(h, RAW_OWNER, 0, 1) !== 0) rawLockSlow();
}

/** Release the raw mutex in `h`: store 0, then notify if the waiter count is non-zero. */
function rawUnlock(h: Int32Array): void {
  Atomics.store(h, RAW_OWNER, 0);
  if (Atomics.load(h, RAW_WAITERS) > 0) Atomics.notify(h, RAW_OWNER, 1);
}

/** A fresh raw mutex: owner and waiter-count words on a SharedArrayBuffer. */
function rawMutex(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(2 * CACHE_LINE_WORDS * 4));
}

/** Raw Atomics mutex lock+unlock pairs per second in this thread, `rounds` pairs. */
export function rawMutexRate(rounds: number): number {
  const h = rawMutex();
  const t0 = now();
  for (let i = 0; i < rounds; i++) {
    rawLock(h);
    rawUnlock(h);
  }
  return rounds / ((now() - t0) / 1000);
}

/**
 * The least a lock that is a generator can cost: the raw mutex taken by a one-level generator
 * that yields one scheduling point first (as lockCommon does), called by `yield*` from an actor
 * generator resumed by a bare loop, with no model work at all. Pairs per second; context: the
 * ceiling of a yield-per-lock API (DESIGN §3) against the raw mutex.
 */
export function generatorLockRate(rounds: number): number {
  const h = rawMutex();
  function* lock(): Generator<number, number, unknown> {
    yield 1;
    rawLock(h);
    return 0;
  }
  function* actor(): Generator<number, void, unknown> {
    for (let i = 0; i < rounds; i++) {
      if ((yield* lock()) !== 0) throw new Error('unreachable');
      rawUnlock(h);
    }
  }
  const gen = actor();
  const t0 = now();
  while (gen.next().done !== true);
  return rounds / ((now() - t0) / 1000);
}

export interface LockRates {
  /** Model dma_resv lock+unlock pairs per second, driven by the stress actor loop. */
  readonly model: number;
  /** The same lock path resumed by a bare loop (context). */
  readonly path: number;
  /** A generator lock doing no model work (context: generatorLockRate). */
  readonly generator: number;
  /** Raw Atomics mutex lock+unlock pairs per second. */
  readonly raw: number;
}

/**
 * The best of `reps` runs of each LockRates measurement, `rounds` pairs a run, alternating in this
 * thread after one uncounted run of each (the code gets optimised).
 */
export function bestLockRates(rounds: number, reps: number): LockRates {
  const b = lockBench();
  const best = { model: 0, path: 0, generator: 0, raw: 0 };
  for (let i = -1; i < reps; i++) {
    const r = { model: modelLockRate(b, rounds), path: lockPathRate(b, rounds), generator: generatorLockRate(rounds), raw: rawMutexRate(rounds) };
    if (i < 0) continue;
    for (const k of ['model', 'path', 'generator', 'raw'] as const) best[k] = Math.max(best[k], r[k]);
  }
  return best;
}

/**
 * bestLockRates in a fresh worker thread: model and limit share that thread, and the figures do
 * not depend on what code this thread ran before (in `npm run bench`, the inline rows' lock calls
 * made the model 20–30 % slower here when measured after them; a stress worker runs one
 * scenario's actors).
 */
export async function lockRatesInWorker(rounds = 2_000_000, reps = 3): Promise<LockRates> {
  const w = new Worker(new URL('./locks-worker.js', import.meta.url), { workerData: { rounds, reps } });
  try {
    return await new Promise<LockRates>((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
      w.once('exit', (code) => reject(new Error(`lock bench worker exited with ${code}`)));
    });
  } finally {
    await w.terminate();
  }
}

/** `node dist/bench/locks.js`: the lock rows alone (the same measurement as `npm run bench`). */
if (isMainThread && import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchMain('locks', async () => {
    parseArgs({ options: {} });
    const r = await lockRatesInWorker();
    const m = (x: number): string => `${(x / 1e6).toFixed(2)} M/s`;
    console.log(`model ${m(r.model)} (${fmtShare(r.model / r.raw)}), path ${m(r.path)} (${fmtShare(r.path / r.raw)}), `
      + `generator lock ${m(r.generator)} (${fmtShare(r.generator / r.raw)}), raw ${m(r.raw)}`);
  });
}

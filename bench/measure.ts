/** The measurements of DESIGN §8 for the core, each beside its limit measured in the same run. */
import { Worker } from 'node:worker_threads';
import { ControlledExecutor } from '../src/exec/controlled.js';
import { InlineExecutor } from '../src/exec/inline.js';
import { StressExecutor } from '../src/exec/stress.js';
import { createDeviceMemory, dmaBuffer, pageOffset } from '../src/shm/devmem.js';
import { prepareTrial } from '../src/exec/prepare.js';
import { CACHE_LINE_WORDS, EXEC_INLINE, WAIT_SLEEP, packOp } from '../src/shm/layout.js';
import { OP_START, OP_YIELD } from '../src/trace/ops.js';
import type { Decision } from '../src/exec/result.js';
import type { Params } from '../src/exec/scenario.js';
import { Task } from '../src/kernel/task.js';
import { seatGrant } from '../src/shm/futex.js';
import { wwStress } from '../test/fixtures/stress/ww_stress.js';
import { mixed } from '../test/fixtures/mixed.js';
import { pingPong } from './workloads.js';

const now = (): number => performance.now();

/** Raw generator switching: `gens` generators resumed round-robin, yields per second. */
export function rawGeneratorSwitch(gens: number, total: number): number {
  function* g(): Generator<number, void, unknown> { for (;;) yield 1; }
  const list = Array.from({ length: gens }, () => g());
  let sink = 0;
  const t0 = now();
  for (let i = 0; i < total; i++) sink += list[i % gens]!.next().value ?? 0;
  const s = (now() - t0) / 1000;
  if (sink < 0) throw new Error('unreachable');
  return total / s;
}

/** Inline executor on the ww stress model (4 actors, 16 locks, in-order with backoff). */
export function inlineModelYields(seconds: number): number {
  const ex = new InlineExecutor(wwStress, { params: { iterations: 20, actors: 4, mode: 'inorder' } });
  const r = inlineSlices(ex, seconds);
  return r.steps / r.seconds;
}

/** Random-strategy trials on `ex` for `seconds`, in the watched 25 ms slices a hunt runs. */
function inlineSlices(ex: Pick<InlineExecutor, 'runSlice'>, seconds: number): { trials: number; steps: number; seconds: number } {
  let trials = 0;
  let steps = 0;
  const t0 = now();
  while (now() - t0 < seconds * 1000) {
    const slice = ex.runSlice({ strategies: ['random'], from: trials, to: Number.MAX_SAFE_INTEGER, base: 0, ms: 25 });
    trials += slice.ran;
    steps += slice.steps;
  }
  return { trials, steps, seconds: (now() - t0) / 1000 };
}

/** Trial preparation (reset + boot + setup) of the 3-actor workload, mean ms. */
export function trialResetMs(rounds: number): number {
  const ex = new InlineExecutor(mixed);
  const setupTask = new Task(ex.arena, 3, 'setup');
  const plan = { actors: 3, mode: EXEC_INLINE, stepLimit: 1000, waitPolicy: WAIT_SLEEP };
  for (let i = 0; i < 1000; i++) prepareTrial(ex.arena, setupTask, mixed, {}, plan);
  const t0 = now();
  for (let i = 0; i < rounds; i++) prepareTrial(ex.arena, setupTask, mixed, {}, plan);
  return (now() - t0) / rounds;
}

/** Where the handoff threads run: `pin` puts thread i on the i-th CPU the process may use
 *  (affinity.ts pinThisThread), the same for the raw token and the controlled executor;
 *  unpinned, the OS places them. */
export interface HandoffPlacement { readonly pin: boolean }

/**
 * Controlled executor: turn handoffs per second. The schedule is a replayed strict rotation over
 * the actors, so every decision hands the turn to another thread and carries exactly one model
 * step — the executor's per-handoff cost, not the strategy's switch rate. The step is the minimal
 * one (a scheduling point yielded directly), or with `modelCall` a cond_resched call (workloads.ts
 * pingPong). Trials run for `warmMs` first, uncounted (threads start and the actors' code gets
 * optimised: the first trials run 20–50× slower), then the handoffs of the trials that fill
 * `measureMs` are counted over their wall time, trial set-up and result collection included. The
 * results leave the decision log out (`decisions: false`), as a campaign's trials do: copying
 * every decision into an object is main-thread work between trials, not handoff cost.
 */
export async function controlledHandoffs(
  actors: number, yields: number, spin: boolean, modelCall = false, warmMs = 1000, measureMs = 1500, place: HandoffPlacement = { pin: false },
): Promise<number> {
  const ex = new ControlledExecutor(pingPong, {
    params: { actors, yields, modelCall }, waitPolicy: spin ? 'spin' : 'sleep', stepLimit: 1 << 20, decisions: false, pinCpus: place.pin,
  });
  const schedule = rotation(actors, yields);
  const trial = async (seed: number): Promise<number> => {
    const r = await ex.runTrial(seed, schedule);
    if (r.end !== 'done') throw new Error(`bench schedule did not replay: ${r.divergence ?? r.end}`);
    return r.steps;
  };
  try {
    let seed = 0;
    for (const t0 = now(); now() - t0 < warmMs;) await trial(seed++);
    let steps = 0;
    const t0 = now();
    while (now() - t0 < measureMs) steps += await trial(seed++);
    return steps / ((now() - t0) / 1000);
  } finally {
    await ex.close();
  }
}

/** What handoffRatio measures: per run, `actors` threads with one wait policy and placement. */
export interface HandoffRun {
  readonly actors: number;
  readonly spin: boolean;
  /** Scheduling points per actor per controlled trial, and raw rounds per thread. */
  readonly yields: number;
  readonly rounds: number;
  readonly modelCall?: boolean;
  readonly place: HandoffPlacement;
}

/**
 * The controlled executor's handoffs/s beside the raw turn token's, each the best of `reps` runs
 * taken alternately (raw, controlled, raw, …) on fresh threads. Alternating matters on a VM: for
 * stretches of seconds the host runs both vCPUs as if on one (a raw spin handoff then drops from
 * ~16 M/s to 3.5–7.5 M/s, pinned or not), and a stretch that covered all of one side's runs made
 * the ratio meaningless (over 200 %) when the sides were measured one after the other.
 */
export async function handoffRatio(run: HandoffRun, reps = 3): Promise<{ controlled: number; raw: number }> {
  let raw = 0;
  let controlled = 0;
  for (let i = 0; i < reps; i++) {
    raw = Math.max(raw, await rawHandoffs(run.actors, run.rounds, run.spin, run.rounds, run.place));
    controlled = Math.max(controlled, await bestControlledHandoffs(run, 1));
  }
  return { controlled, raw };
}

/** The best of `reps` controlledHandoffs runs of `run`, each on fresh threads. */
export async function bestControlledHandoffs(run: HandoffRun, reps = 3): Promise<number> {
  let best = 0;
  for (let i = 0; i < reps; i++) {
    best = Math.max(best, await controlledHandoffs(run.actors, run.yields, run.spin, run.modelCall, 1000, 1500, run.place));
  }
  return best;
}

/** Decisions of a strict rotation over `actors` ping-pong actors making `yields` yields each. */
function rotation(actors: number, yields: number): Decision[] {
  const out: Decision[] = [];
  for (let k = 0; k <= yields; k++) {
    for (let a = 0; a < actors; a++) out.push({ actor: a, op: k === 0 ? packOp(OP_START, a) : packOp(OP_YIELD, (k - 1) & 0xff) });
  }
  return out;
}

/** Words between seats: one cache line each, as the actor records place them. */
const SEAT_STRIDE = CACHE_LINE_WORDS;

/**
 * Raw turn-token handoffs per second between `n` threads with the given wait policy: `warm`
 * rounds first, then `rounds` timed by the threads themselves (thread start and exit excluded).
 */
export async function rawHandoffs(n: number, rounds: number, spin: boolean, warm = rounds, place: HandoffPlacement = { pin: false }): Promise<number> {
  const sab = new SharedArrayBuffer((n + 1) * SEAT_STRIDE * 4);
  const h = new Int32Array(sab);
  const url = new URL('./raw-handoff-worker.js', import.meta.url);
  const workers = Array.from({ length: n }, (_, me) => new Worker(url, { workerData: { sab, me, n, warm, rounds, spin, stride: SEAT_STRIDE, pin: place.pin } }));
  const took = Promise.all(workers.map((w) => new Promise<number>((resolve) => w.once('message', resolve))));
  while (Atomics.load(h, 0) < n) await new Promise((r) => setTimeout(r, 1));
  seatGrant(h, SEAT_STRIDE);
  const ms = Math.max(...await took);
  await Promise.all(workers.map((w) => w.terminate()));
  return (n * rounds) / (ms / 1000);
}

/**
 * The canonical revoke scenario's parameters sized to DESIGN §8's "~100 steps" a trial (about 102
 * with the random strategy): each importer submits 5 jobs and the exporter revokes after 24
 * scheduling points. The catalog's defaults (1 job, 4 points) make a trial of about 40 steps.
 */
export const CANONICAL_100_STEPS: Params = { jobs: 5, delay: 24 };

/** The canonical revoke scenario (1 exporter, 2 importers, 1 engine; `revoke-wait-bookkeep` with
 *  `params` over its defaults): trials/s and mean steps. */
export async function canonicalTrials(kind: 'inline' | 'controlled', seconds: number, params: Params = {}): Promise<{ perSec: number; steps: number }> {
  const { revokeWaitBookkeep } = await import('../scenarios/revoke-wait-bookkeep.js');
  if (kind === 'inline') {
    const r = inlineSlices(new InlineExecutor(revokeWaitBookkeep, { params }), seconds);
    return { perSec: r.trials / r.seconds, steps: r.steps / r.trials };
  }
  const ex = new ControlledExecutor(revokeWaitBookkeep, { strategy: 'random', params });
  await ex.runTrial(0);
  let trials = 0;
  let steps = 0;
  const t1 = now();
  while (now() - t1 < seconds * 1000) steps += (await ex.runTrial(++trials)).steps;
  await ex.close();
  return { perSec: trials / ((now() - t1) / 1000), steps: steps / trials };
}

/** Pages per DMA job in the copy bench: enough data per job to outlast wake-up latencies. */
export function copyPages(block: number): number {
  return block >= 1 << 20 ? 16 : 64;
}

/** Which way an engine's job copies: `write` one buffer into each page of the job in turn (a
 *  write job), `read` each page into one buffer (a job under a READ fence). */
export type CopyDirection = 'write' | 'read';

/**
 * Best in-process copy of `block`-byte blocks in the engine's pattern (`direction`, over `pages`
 * pages; default: the copy bench's write job), over wasm memory.copy, TypedArray#set and
 * copyWithin; bytes/s of the fastest.
 */
export function bestInProcessCopy(block: number, blocks: number, pages = copyPages(block), direction: CopyDirection = 'write'): { bytesPerSec: number; method: string } {
  const m = createDeviceMemory(pages, 1, block);
  const buf = dmaBuffer(m, 0);
  const [to, from] = direction === 'write' ? [(i: number) => pageOffset(m, i % pages), () => buf] : [() => buf, (i: number) => pageOffset(m, i % pages)];
  const rate = (f: (i: number) => void): number => {
    for (let i = 0; i < pages; i++) f(i);
    const t0 = now();
    for (let i = 0; i < blocks; i++) f(i);
    return (blocks * block) / ((now() - t0) / 1000);
  };
  const results: [string, number][] = [
    ['wasm memory.copy', rate((i) => m.copy(to(i), from(i), block))],
    ['TypedArray#set', rate((i) => m.bytes.set(m.bytes.subarray(from(i), from(i) + block), to(i)))],
    ['TypedArray#copyWithin', rate((i) => m.bytes.copyWithin(to(i), from(i), from(i) + block))],
  ];
  const [method, bytesPerSec] = results.reduce((x, y) => (y[1] > x[1] ? y : x));
  return { bytesPerSec, method };
}

/** The best of `reps` bestInProcessCopy measurements (on a noisy machine the highest limit is the
 *  conservative one). */
export function bestOfInProcessCopies(
  reps: number, block: number, blocks: number, pages = copyPages(block), direction: CopyDirection = 'write',
): { bytesPerSec: number; method: string } {
  let best = { bytesPerSec: 0, method: '' };
  for (let i = 0; i < reps; i++) {
    const r = bestInProcessCopy(block, blocks, pages, direction);
    if (r.bytesPerSec > best.bytesPerSec) best = r;
  }
  return best;
}

export interface CopyBenchOptions {
  /** Pages the engine moves per scheduling point; 0: a job's pages, one point per job (as the
   *  scaling bench: with no revoker, the points only cost the engine a resume each). */
  readonly burst: number;
  /** Jobs kept queued, and completions the submitter reaps per wake-up (workloads.ts dmaCopy). */
  readonly depth: number;
  readonly reap: number;
  /** Bytes copied per trial: starting and ending a trial costs about 1 ms, so trials are long. */
  readonly trialBytes: number;
  /** Trials run first and not counted (threads start, the engine's code gets optimised). */
  readonly warmMs: number;
  /** Trials counted until their wall time adds up to this (3 s: 1.5 s windows spread ±4 points). */
  readonly measureMs: number;
}

export const COPY_BENCH: CopyBenchOptions = { burst: 0, depth: 8, reap: 4, trialBytes: 8 * 2 ** 30, warmMs: 1000, measureMs: 3000 };

/**
 * Stress executor: bytes/s one DMA engine copies, `block`-byte pages, over trial wall time of the
 * counted trials. A trial that ends otherwise than cleanly throws.
 */
export async function stressCopyBandwidth(block: number, o: CopyBenchOptions = COPY_BENCH): Promise<number> {
  const { dmaCopy } = await import('./workloads.js');
  const pages = copyPages(block);
  const jobs = Math.max(100, Math.round(o.trialBytes / (pages * block)));
  const params = { jobs, pages, burst: o.burst > 0 ? o.burst : pages, depth: o.depth, reap: o.reap };
  const ex = new StressExecutor(dmaCopy, { durationMs: 60_000, delayChance: 0, pageBytes: block, params });
  const trial = async (seed: number): Promise<number> => {
    const r = await ex.runTrial(seed);
    if (r.end !== 'done' || r.findings.length > 0) throw new Error(`copy bench trial failed: ${r.end} ${r.findings.map((f) => f.title)}`);
    return r.wallMs;
  };
  try {
    let seed = 0;
    for (const t0 = now(); now() - t0 < o.warmMs;) await trial(seed++);
    let ms = 0;
    let n = 0;
    for (; ms < o.measureMs; n++) ms += await trial(seed++);
    return (n * jobs * pages * block) / (ms / 1000);
  } finally {
    await ex.close();
  }
}

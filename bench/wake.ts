/**
 * What waking one sleeping thread costs the waker, outside the model: the main thread wakes a
 * worker asleep in futexWait (the stress executor's sleep) with futexWake, `settleUs` after the
 * worker announced it was going to sleep, timing each call that found it asleep; alone, and with
 * `nappers` more threads each napping in a loop (20 µs asked, 70–100 µs with the default timer
 * slack, as the stress executor's fence pollers do). A short settle wakes a thread whose CPU is
 * still polling for work; a long one, a thread whose CPU went idle (on a VM: halted, so the wake-up
 * is an inter-processor interrupt to a halted vCPU). A stress run's engine pays this for every
 * importer asleep on a fence it signals; its share of the engine's time is the scaling table's
 * "engine waking".
 *
 * `node dist/bench/wake.js [--wakes 20000] [--nappers 0,8] [--settle-us 2,200]` prints one line
 * per napper count and settle time.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { futexWake } from '../src/shm/futex.js';
import { countArg, countListArg } from './args.js';
import { benchMain } from './main.js';
import { W_ASLEEP, W_GEN, W_STOP, W_WORDS } from './wake-worker.js';

export interface WakeCost {
  readonly nappers: number;
  readonly settleUs: number;
  /** Microseconds per wake call that woke the sleeper: mean, median, 90th percentile. */
  readonly meanUs: number;
  readonly p50Us: number;
  readonly p90Us: number;
}

const WORKER = new URL('./wake-worker.js', import.meta.url);

/** Attempts per wake counted before the bench gives up (a wake that finds the sleeper not yet
 *  asleep is not counted). */
const MAX_ATTEMPTS_PER_WAKE = 100;

/** Wake the sleeper `wakes` (≥ 1) times, `settleUs` after it announced itself, with `nappers`
 *  napping threads beside it. Throws if the sleeper stops announcing itself or is rarely found
 *  asleep; every thread has stopped when it returns or throws. */
export async function wakeCost(wakes: number, nappers: number, settleUs: number): Promise<WakeCost> {
  if (!Number.isInteger(wakes) || wakes < 1) throw new Error(`wake bench: wakes: expected a positive integer, got ${wakes}`);
  const h = new Int32Array(new SharedArrayBuffer(W_WORDS * 4));
  const threads = [new Worker(WORKER, { workerData: { sab: h.buffer, role: 'sleeper' } })];
  for (let i = 0; i < nappers; i++) threads.push(new Worker(WORKER, { workerData: { sab: h.buffer, role: 'napper' } }));
  const stopped = threads.map((w) => new Promise((done) => { w.once('exit', done); w.once('error', done); }));
  const us: number[] = [];
  try {
    for (let attempt = 0; us.length < wakes; attempt++) {
      if (attempt === wakes * MAX_ATTEMPTS_PER_WAKE) throw new Error(`wake bench: the sleeper was found asleep ${us.length} times in ${attempt}`);
      if (!awaitAsleep(h, settleUs)) throw new Error('wake bench: the sleeper did not announce itself within 5 s');
      Atomics.store(h, W_ASLEEP, 0);
      Atomics.add(h, W_GEN, 1);
      const t0 = performance.now();
      const woke = futexWake(h, W_GEN, 1);
      const dt = performance.now() - t0;
      if (woke === 1) us.push(dt * 1000);
    }
  } finally {
    Atomics.store(h, W_STOP, 1);
    Atomics.add(h, W_GEN, 1);
    futexWake(h, W_GEN);
    await Promise.all(stopped);
  }
  us.sort((a, b) => a - b);
  const at = (q: number): number => us[Math.min(us.length - 1, Math.floor(q * us.length))]!;
  return { nappers, settleUs, meanUs: us.reduce((a, b) => a + b, 0) / us.length, p50Us: at(0.5), p90Us: at(0.9) };
}

/** Spin until the sleeper announced itself, then `settleUs` more; false after 5 s. */
function awaitAsleep(h: Int32Array, settleUs: number): boolean {
  const deadline = performance.now() + 5000;
  while (Atomics.load(h, W_ASLEEP) !== 1) if (performance.now() > deadline) return false;
  const settle = performance.now() + settleUs / 1000;
  while (performance.now() < settle);
  return true;
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  await benchMain('wake', async () => {
    const { values } = parseArgs({ options: { wakes: { type: 'string' }, nappers: { type: 'string' }, 'settle-us': { type: 'string' } } });
    const wakes = countArg('--wakes', values.wakes, 20_000);
    const nappers = countListArg('--nappers', values.nappers, [0, 8], true);
    const settles = countListArg('--settle-us', values['settle-us'], [2, 200], true);
    for (const n of nappers) {
      for (const settleUs of settles) {
        const c = await wakeCost(wakes, n, settleUs);
        console.log(`${n} napping thread(s), ${settleUs} µs asleep: wake of a sleeper ${c.meanUs.toFixed(1)} µs mean, `
          + `p50 ${c.p50Us.toFixed(1)}, p90 ${c.p90Us.toFixed(1)}`);
      }
    }
  });
}

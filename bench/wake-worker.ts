/**
 * The threads of bench/wake.ts. A `sleeper` announces itself (W_ASLEEP = 1) and sleeps on W_GEN
 * while it holds the generation it last saw; the main thread clears the announcement, bumps the
 * generation and wakes it. A `napper` sleeps 20 µs at a time (70–100 µs with the default timer
 * slack) on a word of its own nobody wakes.
 * Both stop once W_STOP is set (the main thread then bumps W_GEN and wakes the sleeper).
 */
import { workerData } from 'node:worker_threads';
import { futexWait } from '../src/shm/futex.js';

/** Words of the shared buffer: generation (main writes, sleeper sleeps on it), the sleeper's
 *  announcement (sleeper sets, main clears), stop (main sets, both read). */
export const W_GEN = 0;
export const W_ASLEEP = 1;
export const W_STOP = 2;
export const W_WORDS = 3;

const NAP_MS = 0.02;
/** Longest single sleep (ms): a lost wake-up costs at most this, never a hang. */
const SLEEP_MS = 50;

function sleeper(h: Int32Array): void {
  let gen = Atomics.load(h, W_GEN);
  while (Atomics.load(h, W_STOP) === 0) {
    Atomics.store(h, W_ASLEEP, 1);
    futexWait(h, W_GEN, gen, SLEEP_MS);
    gen = Atomics.load(h, W_GEN);
  }
}

function napper(h: Int32Array): void {
  const own = new Int32Array(new SharedArrayBuffer(4));
  while (Atomics.load(h, W_STOP) === 0) futexWait(own, 0, 0, NAP_MS);
}

const data = workerData as { sab?: unknown; role?: unknown } | null;
if (data?.sab instanceof SharedArrayBuffer && (data.role === 'sleeper' || data.role === 'napper')) {
  (data.role === 'sleeper' ? sleeper : napper)(new Int32Array(data.sab));
}

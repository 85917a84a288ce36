/**
 * Raw turn-token handoff between worker threads, the limit the controlled executor is measured
 * against: each thread waits for its seat, clears it, sets the next thread's seat and wakes it —
 * with the same futex helpers and wait policies as exec/controlled-actor.ts.
 */
import { workerData } from 'node:worker_threads';
import { SEAT_SPINS } from '../src/exec/controlled-actor.js';
import { futexWake, sleepWait, spinThenWait } from '../src/shm/futex.js';

interface Data { sab: SharedArrayBuffer; me: number; n: number; rounds: number; spin: boolean }
const { sab, me, n, rounds, spin } = workerData as Data;
const h = new Int32Array(sab);
const READY = n;
const next = (me + 1) % n;

Atomics.add(h, READY, 1);
for (let r = 0; r < rounds; r++) {
  if (spin) while (Atomics.load(h, me) === 0) spinThenWait(h, me, 0, SEAT_SPINS, 20);
  else while (Atomics.load(h, me) === 0) sleepWait(h, me, 0, 20);
  Atomics.store(h, me, 0);
  Atomics.store(h, next, 1);
  futexWake(h, next, 1);
}

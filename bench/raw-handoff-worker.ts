/**
 * Raw turn-token handoff between worker threads, the limit the controlled executor is measured
 * against: each thread waits for its seat, clears it, sets the next thread's seat and wakes it —
 * with the same seat protocol, spin budget and wait policies as exec/controlled-actor.ts.
 */
import { workerData } from 'node:worker_threads';
import { SEAT_SPINS } from '../src/exec/controlled-actor.js';
import { seatAwaitSleeping, seatAwaitSpinning, seatGrant } from '../src/shm/futex.js';

interface Data { sab: SharedArrayBuffer; me: number; n: number; rounds: number; spin: boolean }
const { sab, me, n, rounds, spin } = workerData as Data;
const h = new Int32Array(sab);
const READY = n;
const next = (me + 1) % n;

Atomics.add(h, READY, 1);
for (let r = 0; r < rounds; r++) {
  if (spin) while (!seatAwaitSpinning(h, me, SEAT_SPINS, 20));
  else while (!seatAwaitSleeping(h, me, 20));
  seatGrant(h, next);
}

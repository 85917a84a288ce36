/**
 * Raw turn-token handoff between worker threads, the limit the controlled executor is measured
 * against: each thread waits for its seat, clears it, sets the next thread's seat and wakes it —
 * with the same seat protocol, spin budget, wait policies and seat placement (one cache line per
 * seat) as exec/controlled-actor.ts; when asked (`pin`), thread i runs on the i-th CPU the process
 * may use (affinity.ts pinThisThread), as the controlled executor's `pinCpus` places its actor
 * threads. `warm` rounds run first (the loop gets optimised); the thread then times its next
 * `rounds` rounds and posts the milliseconds they took.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SEAT_SPINS } from '../src/exec/controlled-actor.js';
import { pinThisThread } from '../src/exec/affinity.js';
import { seatAwaitSleeping, seatAwaitSpinning, seatGrant } from '../src/shm/futex.js';

interface Data { sab: SharedArrayBuffer; me: number; n: number; warm: number; rounds: number; spin: boolean; stride: number; pin: boolean }
const { sab, me, n, warm, rounds, spin, stride, pin } = workerData as Data;
const h = new Int32Array(sab);
const seat = (i: number): number => (1 + i) * stride;
const next = seat((me + 1) % n);
const mine = seat(me);

function run(count: number): void {
  for (let r = 0; r < count; r++) {
    if (spin) while (!seatAwaitSpinning(h, mine, SEAT_SPINS, 20));
    else while (!seatAwaitSleeping(h, mine, 20));
    seatGrant(h, next);
  }
}

if (pin) pinThisThread(me);
Atomics.add(h, 0, 1);
run(warm);
const t0 = performance.now();
run(rounds);
parentPort!.postMessage(performance.now() - t0);

/**
 * One thread of the handoff probe (bench/handoff_probe.ts): passes a turn between threads in one
 * of four patterns, `rounds` times, and posts the milliseconds its rounds took.
 *
 * - `raw`: wait for the own seat, clear it, set the next thread's (plain stores; a line per seat);
 * - `rawwork`: the same plus one generator step per turn;
 * - `current`: the controlled executor's memory traffic without its code — own pending op
 *   written, every actor record read, step and turn words written, then the seat granted;
 * - `packet`: all of that state on one cache line that travels with the turn, written just
 *   before the turn word.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CACHE_LINE_WORDS as L } from '../src/shm/layout.js';

export type ProbeVariant = 'raw' | 'rawwork' | 'current' | 'packet';
interface Data { sab: SharedArrayBuffer; me: number; n: number; rounds: number; variant: ProbeVariant }
const { sab, me, n, rounds, variant } = workerData as Data;
const h = new Int32Array(sab);
const next = (me + 1) % n;
// Lines: 0 ready counter; 1..n seats; n + 1 control; n + 2 .. 2n + 1 actor records; 2n + 2 packet.
const SEAT = (i: number): number => (1 + i) * L;
const CTL = (1 + n) * L;
const REC = (i: number): number => (2 + n + i) * L;
const PKT = (2 + 2 * n) * L;

function* ops(): Generator<number, never, unknown> { for (let k = 0; ; k++) yield (k & 0xff) | 0x01000000; }
const gen = ops();
let sink = 0;

function awaitSeat(): void {
  while (Atomics.load(h, SEAT(me)) !== 1) { /* spin */ }
  Atomics.store(h, SEAT(me), 0);
}

function turn(): void {
  if (variant === 'raw') { awaitSeat(); Atomics.store(h, SEAT(next), 1); return; }
  if (variant === 'rawwork') { awaitSeat(); sink += gen.next().value; Atomics.store(h, SEAT(next), 1); return; }
  if (variant === 'current') {
    awaitSeat();
    h[REC(me) + 1] = gen.next().value;
    let mask = 0;
    for (let i = 0; i < n; i++) if (h[REC(i)] === 0) mask |= 1 << i;
    sink += h[REC(next) + 1]! + mask;
    h[CTL + 2] = h[CTL + 2]! + 1;
    h[CTL + 1] = next;
    Atomics.store(h, SEAT(next), 1);
    return;
  }
  while (Atomics.load(h, PKT) !== me) { /* spin */ }
  const op = gen.next().value;
  let mask = 0;
  for (let i = 0; i < n; i++) if ((h[PKT + 3]! & (1 << i)) === 0) mask |= 1 << i;
  sink += h[PKT + 4 + next]! + mask;
  h[PKT + 4 + me] = op;
  h[PKT + 1] = h[PKT + 1]! + 1;
  Atomics.store(h, PKT, next);
}

Atomics.add(h, 0, 1);
while (Atomics.load(h, 0) < n) { /* every thread started */ }
const t0 = performance.now();
for (let r = 0; r < rounds; r++) turn();
parentPort!.postMessage({ ms: performance.now() - t0, sink });

/** Worker entry of locks.ts lockRatesInWorker: posts bestLockRates(rounds, reps) of this thread. */
import { parentPort, workerData } from 'node:worker_threads';
import { bestLockRates } from './locks.js';

const { rounds, reps } = workerData as { rounds: number; reps: number };
parentPort!.postMessage(bestLockRates(rounds, reps));

/**
 * The scaling bench's copy limit (issue 5): the best single-thread in-process copy of one page
 * size in the engine's pattern — one buffer written into each page of a job in turn
 * (bench/measure.ts) — over one job's pages, so it copies over the same working set as an engine
 * of the scaling table (bench/scaling.ts) and the copy probe (bench/copy_probe.ts).
 */
import { STRESS_MAX_PAGES } from '../scenarios/stress-revoke.js';
import { bestOfInProcessCopies } from './measure.js';

/** Bytes a DMA job copies in every scaling cell (clamped to the buffer). */
export const SCALING_JOB_BYTES = 4 << 20;

/** Pages a job of `pageBytes` pages covers in the scaling cells. */
export function scalingJobPages(pageBytes: number): number {
  return Math.max(1, Math.min(STRESS_MAX_PAGES, Math.floor(SCALING_JOB_BYTES / pageBytes)));
}

/** The copy limit of one page size: bytes/s of the fastest method, and which it was. */
export interface CopyLimit { readonly bytesPerSec: number; readonly method: string }

/** Best of `reps` in-process copy measurements of `pageBytes` blocks over one job's pages. */
export function copyLimit(pageBytes: number, reps: number): CopyLimit {
  return bestOfInProcessCopies(reps, pageBytes, Math.max(1000, Math.round((1 << 30) / pageBytes)), scalingJobPages(pageBytes));
}

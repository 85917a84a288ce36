/**
 * The scaling bench's copy limit (issue 5): the best single-thread in-process copy of one page
 * size in the engine's pattern — one buffer written into each page of a job in turn, or for
 * read jobs each page into one buffer (bench/measure.ts) — over one job's pages, so it copies
 * over the same working set as an engine of the scaling table (bench/scaling.ts) and the copy
 * probe (bench/copy_probe.ts).
 */
import type { Params } from '../src/exec/scenario.js';
import { STRESS_MAX_PAGES, STRESS_REVOKE_DEFAULTS, stressRevoke } from '../scenarios/stress-revoke.js';
import { jobWrites, usageParam } from '../scenarios/lib/usage.js';
import { bestOfInProcessCopies, type CopyDirection } from './measure.js';

/** Bytes a DMA job copies in every scaling cell (clamped to the buffer). */
export const SCALING_JOB_BYTES = 4 << 20;

/** Pages a job of `pageBytes` pages covers in the scaling cells. */
export function scalingJobPages(pageBytes: number): number {
  return Math.max(1, Math.min(STRESS_MAX_PAGES, Math.floor(SCALING_JOB_BYTES / pageBytes)));
}

/** The copy limit of one page size: bytes/s of the fastest method, and which it was. */
export interface CopyLimit { readonly bytesPerSec: number; readonly method: string }

/** The way stress-revoke's jobs copy under scenario parameters `params` (its `usage`, default
 *  `write`: scenarios/lib/usage.ts). Throws HarnessError(ERR_BAD_OPTION) on an unknown usage. */
export function jobDirection(params: Params): CopyDirection {
  return jobWrites(usageParam(stressRevoke.name, String(params.usage ?? STRESS_REVOKE_DEFAULTS.usage))) ? 'write' : 'read';
}

/** Best of `reps` in-process copy measurements of `pageBytes` blocks over one job's pages, in
 *  `direction`. */
export function copyLimit(pageBytes: number, reps: number, direction: CopyDirection = 'write'): CopyLimit {
  return bestOfInProcessCopies(reps, pageBytes, Math.max(1000, Math.round((1 << 30) / pageBytes)), scalingJobPages(pageBytes), direction);
}

/**
 * The limit a ratio is judged against: the fastest of `measured` (a non-empty list: the limit
 * measured before and after the cells) and of `probeBests`, the best rates of host probes
 * (copy_probe.ts) made in the same run in the same pattern (write, one job's pages of the same
 * size). DESIGN §8 asks for the best copy of the run, and a best of six alone reads a few points
 * under a probe series' best on a noisy host.
 */
export function bestOfRun(measured: readonly CopyLimit[], probeBests: readonly number[]): CopyLimit {
  const limit = measured.reduce((x, y) => (y.bytesPerSec > x.bytesPerSec ? y : x));
  const best = Math.max(0, ...probeBests);
  return best > limit.bytesPerSec ? { bytesPerSec: best, method: 'host probe' } : limit;
}

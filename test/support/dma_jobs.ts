/** What the DMA job table (layout.ts JB_*) holds after a trial, for tests of job submission. */
import type { Arena } from '../../src/shm/arena.js';
import { C_NEXT_JOB, JB_WRITE } from '../../src/shm/layout.js';

/** The directions (JB_WRITE: 1 write, 0 read) of the job rows the arena's trial used. */
export function jobDirections(a: Arena): Set<number> {
  const used = Math.min(a.ctl(C_NEXT_JOB), a.geometry.jobs);
  return new Set(Array.from({ length: used }, (_, j) => a.i32[a.job(j) + JB_WRITE]!));
}

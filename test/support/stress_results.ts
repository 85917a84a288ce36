/** Results documents for tests, built through the real pipeline from recorded numbers. */
import { PHASE_COUNT, PH_DMA_JOB } from '../../src/kernel/phases.js';
import {
  ST_CPU_MS, ST_DMA_BYTES, ST_LOCK_ACQUIRED, ST_RUNQ_MS, ST_SLICES, ST_WAKES, ST_WAKE_MS, StressStats, createStressStats,
} from '../../src/exec/stress-stats.js';
import { buildStressResults } from '../../src/campaign/stress_results.js';
import type { StressResults } from '../../src/campaign/stress_schema.js';

/** A run of `wallMs` where every phase but pin took about `scale` µs and engine0 moved `bytes`,
 *  waking 400 sleepers in calls that took a tenth of its time. Engine0 was on a CPU 90 % of the
 *  run and waited for one 5 %; vfio and importer0 together 20 % and 2 % (unless `cpuUnreported`
 *  names an actor whose thread could not read its CPU times). */
export function fakeResults(scale = 10, bytes = 1e9, wallMs = 2000, cpuUnreported?: number): StressResults {
  const names = ['vfio', 'importer0', 'engine0'];
  const shared = createStressStats(names.length, 40, 100, 0);
  const stats = new StressStats(shared);
  for (let p = 0; p < PHASE_COUNT; p++) {
    if (p === 5) continue;
    for (let i = 1; i <= 100; i++) stats.record(p === PH_DMA_JOB ? 2 : 0, p, scale * 1000 * (1 + i / 50));
  }
  stats.add(2, ST_DMA_BYTES, bytes);
  for (let s = 0; s < 20; s++) stats.addSeries(2, s * 100 + 50, bytes / 20);
  stats.add(1, ST_LOCK_ACQUIRED, 500);
  stats.add(2, ST_WAKES, 400);
  stats.add(2, ST_WAKE_MS, wallMs / 10);
  for (const [a, cpu, runq] of [[0, 0.05, 0.01], [1, 0.15, 0.01], [2, 0.9, 0.05]] as const) {
    stats.add(a, ST_CPU_MS, cpu * wallMs);
    stats.add(a, ST_RUNQ_MS, runq * wallMs);
    stats.add(a, ST_SLICES, 1000);
  }
  if (cpuUnreported !== undefined) stats.add(cpuUnreported, ST_CPU_MS, NaN);
  return buildStressResults(
    { stats, actorNames: names, trials: 1, wallMs, warmupMs: 600, startedAt: new Date(0).toISOString(), end: 'done', findings: [] },
    { scenario: 'stress-revoke', scenarioRevision: 2, params: { importers: 1, engines: 1 }, pageBytes: 1 << 20, seed: 1, durationMs: wallMs },
  );
}

/** Results documents for tests, built through the real pipeline from recorded numbers. */
import { PHASE_COUNT, PH_DMA_JOB } from '../../src/kernel/phases.js';
import { ST_DMA_BYTES, ST_LOCK_ACQUIRED, ST_WAKES, ST_WAKE_MS, StressStats, createStressStats } from '../../src/exec/stress-stats.js';
import { buildStressResults } from '../../src/campaign/stress_results.js';
import type { StressResults } from '../../src/campaign/stress_schema.js';

/** A run of `wallMs` where every phase but pin took about `scale` µs and engine0 moved `bytes`,
 *  waking 400 sleepers in calls that took a tenth of its time. */
export function fakeResults(scale = 10, bytes = 1e9, wallMs = 2000): StressResults {
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
  return buildStressResults(
    { stats, actorNames: names, trials: 1, wallMs, warmupMs: 600, startedAt: new Date(0).toISOString(), end: 'done', findings: [] },
    { scenario: 'stress-revoke', params: { importers: 1, engines: 1 }, pageBytes: 1 << 20, seed: 1, durationMs: wallMs },
  );
}

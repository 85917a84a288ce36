/**
 * Preempt fences (src/drivers/preempt_fence.ts): a preempt fence whose preemption work takes the
 * reservation lock deadlocks the final revoke, which waits BOOKKEEP with that lock held (found as
 * a wait-for cycle: the work takes the lock outside any fence signalling section, so lockdep has
 * no dma_fence_map edge to report); the twin that preempts from enable_signaling stays clean.
 */
import { describe, expect, it } from 'vitest';
import { InlineExecutor } from '../../src/exec/inline.js';
import { preemptFenceLocked } from '../../scenarios/preempt-fence-locked.js';
import { preemptFence } from '../../scenarios/preempt-fence.js';
import { findingTitles, runTrials } from '../support/both.js';

const DEADLOCK = 'deadlock in dma_fence_wait';

describe('preempt-fence-locked', () => {
  it.each(['random', 'pct:2'])('is reported as a deadlock within 100 inline trials (%s)', (strategy) => {
    const ex = new InlineExecutor(preemptFenceLocked, { strategy });
    let found = -1;
    for (let seed = 0; seed < 100 && found < 0; seed++) {
      const f = ex.runTrial(seed).findings.find((x) => x.kind === 'deadlock');
      if (f === undefined) continue;
      found = seed;
      expect(f.code).toBe('deadlock');
      expect(f.title).toBe(DEADLOCK);
    }
    expect(found).toBeGreaterThanOrEqual(0);
  });

  it('is reported under the controlled executor with the same title', async () => {
    const results = await runTrials('controlled', preemptFenceLocked, 3);
    expect(results.flatMap((r) => r.findings.map((f) => f.title))).toContain(DEADLOCK);
  });
});

describe('preempt-fence (fixed twin)', () => {
  it.each(['random', 'pct:2'])('stays clean over 1,000 inline trials (%s)', (strategy) => {
    const ex = new InlineExecutor(preemptFence, { strategy });
    const bad: string[] = [];
    for (let seed = 0; seed < 1000; seed++) {
      const r = ex.runTrial(seed);
      if (r.end !== 'done' || r.findings.length > 0) bad.push(`seed ${seed}: ${r.end} ${r.findings.map((f) => f.title).join(', ')}`);
    }
    expect(bad).toEqual([]);
  });

  it('stays clean over 100 controlled trials', async () => {
    const results = await runTrials('controlled', preemptFence, 100);
    expect(findingTitles(results)).toEqual([]);
    expect(results.every((r) => r.end === 'done')).toBe(true);
  });
});

/**
 * S19: a fence signalling path that takes the reservation lock a fence waiter holds is reported
 * by the lock-class dependency validator (circular-locking) on first sight; the twin that signals
 * before taking the lock stays clean.
 */
import { describe, expect, it } from 'vitest';
import { InlineExecutor } from '../../src/exec/inline.js';
import { CIRCULAR_HEADER } from '../../src/check/lockdep_report.js';
import { waitInSignalling } from '../../scenarios/wait-in-signalling.js';
import { signalOutsideLock } from '../../scenarios/signal-outside-lock.js';
import { CATALOG } from '../../scenarios/index.js';
import { findingTitles, runTrials } from '../support/both.js';

describe('S19 wait-in-signalling', () => {
  it.each(['random', 'pct:2'])('is reported as circular-locking within 1,000 inline trials (%s)', (strategy) => {
    const ex = new InlineExecutor(waitInSignalling, { strategy });
    let found = -1;
    for (let seed = 0; seed < 1000 && found < 0; seed++) {
      const f = ex.runTrial(seed).findings.find((x) => x.kind === 'circular-locking');
      if (f === undefined) continue;
      found = seed;
      expect(f.code).toBe('LOCKDEP_CIRCULAR');
      expect(f.title).toBe('circular-locking in ww_mutex_lock');
      expect(f.message.split('\n')).toContain(CIRCULAR_HEADER);
      expect(f.message).toContain('-> #1 (dma_fence_map):');
      expect(f.message).toContain('-> #0 (reservation_ww_class_mutex):');
      expect(f.message).toContain('       CPU0                    CPU1');
    }
    expect(found).toBeGreaterThanOrEqual(0);
  });

  it('is reported under the controlled executor (worker threads) with the same title', async () => {
    const results = await runTrials('controlled', waitInSignalling, 3);
    const titles = results.flatMap((r) => r.findings.filter((f) => f.kind === 'circular-locking').map((f) => f.title));
    expect(titles).toEqual(['circular-locking in ww_mutex_lock']);
    expect(results[0]!.findings.find((f) => f.kind === 'circular-locking')?.message).toContain('(reservation_ww_class_mutex) lock#0');
  });

  it('is in the catalog as S19 with its fixed twin', () => {
    const s19 = CATALOG.filter((e) => e.ref === 'S19').map((e) => [e.scenario.name, e.scenario.expect]);
    expect(s19).toEqual([['wait-in-signalling', 'circular-locking'], ['signal-outside-lock', 'clean']]);
  });
});

describe('S19 fixed twin signal-outside-lock', () => {
  it.each(['random', 'pct:2'])('stays clean over 20,000 inline trials (%s)', (strategy) => {
    const ex = new InlineExecutor(signalOutsideLock, { strategy });
    const bad: string[] = [];
    for (let seed = 0; seed < 20_000; seed++) {
      const r = ex.runTrial(seed);
      if (r.end !== 'done' || r.findings.length > 0) bad.push(`seed ${seed}: ${r.end} ${r.findings.map((f) => f.title).join(', ')}`);
    }
    expect(bad).toEqual([]);
  });

  it('stays clean over 500 controlled trials', async () => {
    const results = await runTrials('controlled', signalOutsideLock, 500);
    expect(findingTitles(results)).toEqual([]);
    expect(results.every((r) => r.end === 'done')).toBe(true);
  });
});

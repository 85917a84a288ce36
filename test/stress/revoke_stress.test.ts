import { describe, expect, it } from 'vitest';
import { StressExecutor } from '../../src/exec/stress.js';
import type { AnyScenario } from '../../src/exec/scenario.js';
import { revokeNoWait } from '../../scenarios/revoke-no-wait.js';
import { legacyImporterRevoke } from '../../scenarios/legacy-importer-revoke.js';
import { withExecutor } from '../support/executor.js';

/** Seconds until the stress executor reports `s.expect`, trial after trial, within `budgetS`. */
async function secondsToFind(s: AnyScenario, budgetS: number): Promise<number> {
  const t0 = performance.now();
  return withExecutor(new StressExecutor(s, { durationMs: 2000, delayChance: 0.3, maxDelaySpins: 20_000 }), async (ex) => {
    for (let seed = 1; performance.now() - t0 < budgetS * 1000; seed++) {
      const r = await ex.runTrial(seed);
      if (r.findings.some((f) => f.kind === s.expect)) return (performance.now() - t0) / 1000;
    }
    return -1;
  });
}

describe('stress executor finds revoke races on real threads', () => {
  it.each([['S2', revokeNoWait], ['S5', legacyImporterRevoke]] as const)('finds %s within 60 s', async (_ref, s) => {
    const secs = await secondsToFind(s, 60);
    expect(secs).toBeGreaterThanOrEqual(0);
  });
});

describe('stress executor keeps the fixed revoke twins clean', () => {
  it.each(['revoke-wait-bookkeep', 'legacy-importer-refused'])('%s over 20 free-running trials', async (id) => {
    const mod = (await import(`../../scenarios/${id}.js`)) as Record<string, AnyScenario>;
    const s = Object.values(mod)[0]!;
    await withExecutor(new StressExecutor(s, { durationMs: 2000, delayChance: 0.3, maxDelaySpins: 20_000 }), async (ex) => {
      for (let seed = 1; seed <= 20; seed++) {
        const r = await ex.runTrial(seed);
        expect(r.findings.map((f) => f.title), `seed ${seed}`).toEqual([]);
        expect(r.end).toBe('done');
      }
    });
  });
});

/**
 * A hunt ends at a trial a watchdog stopped (an actor spinning without a scheduling point): it
 * reports the hang in the watchdog with the trial that found it and runs no trial after — under
 * inline (in this thread or `--jobs` worker threads) and controlled, with or without keepGoing.
 * The sleeping twin spends its whole budget clean. A campaign's artifacts for the hang come from
 * a re-run that the watchdog stops again.
 */
import { describe, expect, it } from 'vitest';
import { hunt, type HuntOptions, type HuntReport } from '../../../src/campaign/hunt.js';
import { huntJobs, jobsPool } from '../../../src/campaign/jobs.js';
import { runCampaign } from '../../../src/campaign/campaign.js';
import { inlineHangs } from '../../../src/exec/inline.js';
import { busyWait } from '../../fixtures/exec/busy_wait.js';
import { tempDir } from '../../support/cli.js';

const TRIALS = 600;
const base: HuntOptions = { trials: TRIALS, timeMs: 60_000, seed: 1, strategies: ['random', 'pct:2'], trialTimeoutMs: 200 };

function expectStoppedAtHang(r: HuntReport): void {
  expect(r.findings.map((f) => [f.title, f.code])).toEqual([['hang in watchdog', 'watchdog']]);
  expect(r.trials, 'no trial after the hang').toBe(r.findings[0]!.trial);
  expect(r.ok).toBe(true);
}

describe('a hunt at a hang in the watchdog', () => {
  it.each([
    ['inline', false], ['inline', true], ['controlled', false],
  ] as const)('under %s (keepGoing %s) stops at the stopped trial', async (executor, keepGoing) => {
    expectStoppedAtHang(await hunt(busyWait, { ...base, executor, keepGoing, trialTimeoutMs: executor === 'controlled' ? 1000 : 200 }));
  });

  it('with --jobs starts no batch after the one that hung', async () => {
    const pool = jobsPool(2);
    try {
      const r = await huntJobs(busyWait, { ...base, trials: 5000, keepGoing: true }, pool, 2);
      expect(r.findings.map((f) => f.title)).toEqual(['hang in watchdog']);
      expect(r.trials).toBeLessThan(2 * 256);
    } finally {
      await pool.destroy();
    }
  });

  // Under the default trial timeout: the short one above only makes the spinning hunts stop
  // soon, and a trial of the twin (well under a millisecond of CPU) took over 200 ms of wall
  // time on a loaded machine; the twin turned spinner is still stopped, after the default's 2 s.
  it(`leaves the sleeping twin clean over its whole budget (${TRIALS} trials)`, async () => {
    const r = await hunt(busyWait, { ...base, trialTimeoutMs: undefined, params: { wait: 'sleep' } });
    expect(r.findings).toEqual([]);
    expect(r.trials).toBe(TRIALS);
  });

  // Each hang costs at least the whole timeout, so the campaign's time counts them: a portfolio
  // chosen beforehand (the CLI's probe of a user file) is not probed again, and with no artifacts
  // nothing re-runs the hang. Counted, not timed: on a starved machine one hang may take several
  // watches (the inline watchdog runs a starved trial again), so wall time cannot tell one from two.
  it('pays the watchdog once when the portfolio is known and no artifacts are written', async () => {
    const STOP_MS = 1000;
    const hangs0 = inlineHangs();
    const started = performance.now();
    const [row] = await runCampaign([{ scenario: busyWait, portfolio: ['random', 'pct:2'] }], { ...base, strategies: undefined, trialTimeoutMs: STOP_MS });
    expect(performance.now() - started).toBeGreaterThanOrEqual(STOP_MS);
    expect(row!.report.findings.map((f) => f.title)).toEqual(['hang in watchdog']);
    expect(row!.report.findings[0]!.strategy).toMatch(/^(random|pct:2)$/);
    expect(inlineHangs() - hangs0, 'hang trials run').toBe(1);
  });

  it('writes the hang\'s artifacts from a re-run the watchdog stops again', async () => {
    const out = tempDir();
    const [row] = await runCampaign([{ scenario: busyWait }], { ...base, out });
    const f = row!.report.findings[0]!;
    expect(f.title).toBe('hang in watchdog');
    expect(row!.artifacts.get(f.title)?.replayFile).toBeTruthy();
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { ControlledExecutor } from '../../../src/exec/controlled.js';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { abbaNoCtx } from '../../../scenarios/abba-no-ctx.js';
import { lateStart } from '../../fixtures/stress/late_start.js';
import { withExecutor } from '../../support/executor.js';
import { expectStartupHang } from '../../support/startup_hang.js';

describe('controlled executor', () => {
  const ex = new ControlledExecutor(abbaNoCtx, { strategy: 'random', events: true });
  afterAll(() => ex.close());

  it('reports the ABBA deadlock like inline does for the same seed', async () => {
    const inl = new InlineExecutor(abbaNoCtx, { strategy: 'random', events: true });
    for (let seed = 0; seed < 30; seed++) {
      const want = inl.runTrial(seed);
      const got = await ex.runTrial(seed);
      expect(got.end).toBe(want.end);
      expect(got.findings.map((f) => f.title)).toEqual(want.findings.map((f) => f.title));
      expect(got.events).toEqual(want.events);
    }
  });
});

describe('controlled executor on actor threads that start slowly', () => {
  it('starts the trial timeout once the threads have taken the trial up: a longer start-up is no hang', async () => {
    const r = await withExecutor(new ControlledExecutor(lateStart, { trialTimeoutMs: 300, params: { startMs: 1200 } }), (ex) => ex.runTrial(1));
    expect(r.end).toBe('done');
    expect(r.findings).toEqual([]);
  });

  it('ends a trial whose thread does not take it up within the start-up bound as a hang', async () => {
    await withExecutor(new ControlledExecutor(lateStart, { trialTimeoutMs: 300, startupMs: 500, params: { startMs: 60_000 } }),
      (ex) => expectStartupHang(() => ex.runTrial(1)));
  });
});

describe('findings raised on actor threads', () => {
  it('carry the call-site name of a lock-not-held check back to the main thread', async () => {
    const { assertSite } = await import('../../fixtures/assert_site.js');
    const r = await withExecutor(new ControlledExecutor(assertSite), (ex) => ex.runTrial(1));
    expect(r.findings.map((f) => [f.code, f.title])).toEqual([['RESV_NOT_HELD', 'lock-not-held in my_driver_map_locked']]);
  });
});

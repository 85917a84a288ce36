import { afterAll, describe, expect, it } from 'vitest';
import { ControlledExecutor } from '../../../src/exec/controlled.js';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { abbaNoCtx } from '../../../scenarios/abba-no-ctx.js';

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

describe('findings raised on actor threads', () => {
  it('carry the call-site name of a lock-not-held check back to the main thread', async () => {
    const { assertSite } = await import('../../fixtures/assert_site.js');
    const ex = new ControlledExecutor(assertSite);
    try {
      const r = await ex.runTrial(1);
      expect(r.findings.map((f) => [f.code, f.title])).toEqual([['RESV_NOT_HELD', 'lock-not-held in my_driver_map_locked']]);
    } finally {
      await ex.close();
    }
  });
});

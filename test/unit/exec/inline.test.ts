import { describe, expect, it } from 'vitest';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { abbaNoCtx } from '../../../scenarios/abba-no-ctx.js';

describe('inline executor', () => {
  it.each(['random', 'pct:2'])('reports ABBA without contexts as a deadlock with its cycle (%s, 200 trials)', (strategy) => {
    const ex = new InlineExecutor(abbaNoCtx, { strategy });
    let found = -1;
    for (let seed = 0; seed < 200 && found < 0; seed++) {
      const r = ex.runTrial(seed);
      const f = r.findings.find((x) => x.kind === 'deadlock');
      if (f !== undefined) {
        found = seed;
        expect(f.title).toBe('deadlock in mutex_lock');
        expect(f.waits?.map((w) => w.actor).sort()).toEqual([0, 1]);
        expect(f.waits?.every((w) => w.kind === 'mutex')).toBe(true);
      }
    }
    expect(found).toBeGreaterThanOrEqual(0);
  });
});

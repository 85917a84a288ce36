/**
 * The canonical revoke scenario's GPU importers (scenarios/lib/revoke.ts) fence their jobs with
 * `usage` and do what the fence says: a READ job only reads the buffer, any other usage writes
 * it. S1 (an exporter waiting for KERNEL fences only) is found either way.
 */
import { describe, expect, it } from 'vitest';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { C_NEXT_JOB, JB_WRITE } from '../../../src/shm/layout.js';
import { revokeWaitKernel } from '../../../scenarios/revoke-wait-kernel.js';
import { revokeWaitBookkeep } from '../../../scenarios/revoke-wait-bookkeep.js';

describe('canonical revoke scenario job direction', () => {
  it.each([['read', 0], ['write', 1], ['bookkeep', 1]])('submits jobs that write only when their fences allow it (usage %s: JB_WRITE %i)', (usage, write) => {
    const ex = new InlineExecutor(revokeWaitBookkeep, { params: { usage } });
    const dirs = new Set<number>();
    for (let seed = 0; seed < 20; seed++) {
      expect(ex.runTrial(seed).findings).toEqual([]);
      const a = ex.arena;
      const used = Math.min(a.ctl(C_NEXT_JOB), a.geometry.jobs);
      for (let j = 0; j < used; j++) dirs.add(a.i32[a.job(j) + JB_WRITE]!);
    }
    expect([...dirs]).toEqual([write]);
  });

  it.each(['read', 'write'])('S1 is found under %s jobs within 50 random trials', (usage) => {
    const ex = new InlineExecutor(revokeWaitKernel, { strategy: 'random', params: { usage } });
    const titles = Array.from({ length: 50 }, (_, seed) => ex.runTrial(seed).findings.map((f) => f.title)).flat();
    expect(titles.some((title) => title.startsWith('use-after-revoke'))).toBe(true);
  });
});

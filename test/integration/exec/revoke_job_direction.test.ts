/**
 * The canonical revoke scenario's GPU importers (scenarios/lib/revoke.ts) fence their jobs with
 * `usage` and do what the fence says: a READ job only reads the buffer, any other usage writes
 * it. S1 (an exporter waiting for KERNEL fences only) is found either way.
 */
import { describe, expect, it } from 'vitest';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { revokeWaitKernel } from '../../../scenarios/revoke-wait-kernel.js';
import { revokeWaitBookkeep } from '../../../scenarios/revoke-wait-bookkeep.js';
import { nirvanaUntilUnmap } from '../../../scenarios/nirvana-until-unmap.js';
import { reuseBeforeUnmap } from '../../../scenarios/reuse-before-unmap.js';
import { jobDirections } from '../../support/dma_jobs.js';

describe('canonical revoke scenario job direction', () => {
  it.each([['read', 0], ['write', 1], ['bookkeep', 1]])('submits jobs that write only when their fences allow it (usage %s: JB_WRITE %i)', (usage, write) => {
    const ex = new InlineExecutor(revokeWaitBookkeep, { params: { usage } });
    const dirs = new Set<number>();
    for (let seed = 0; seed < 20; seed++) {
      expect(ex.runTrial(seed).findings).toEqual([]);
      for (const d of jobDirections(ex.arena)) dirs.add(d);
    }
    expect([...dirs]).toEqual([write]);
  });

  it.each(['read', 'write'])('S1 is found under %s jobs within 50 random trials', (usage) => {
    const ex = new InlineExecutor(revokeWaitKernel, { strategy: 'random', params: { usage } });
    const titles = Array.from({ length: 50 }, (_, seed) => ex.runTrial(seed).findings.map((f) => f.title)).flat();
    expect(titles.some((title) => title.startsWith('use-after-revoke'))).toBe(true);
  });
});

describe('the S3 pair keeps write jobs', () => {
  it('runs the twin and the buggy variant with write jobs, so a write through a redirected mapping would be reported', () => {
    for (const s of [nirvanaUntilUnmap, reuseBeforeUnmap]) {
      const ex = new InlineExecutor(s);
      ex.runTrial(0);
      expect([...jobDirections(ex.arena)], s.name).toEqual([1]);
    }
  });
});

describe('canonical revoke scenario parameters', () => {
  it.each(['reed', 'toString'])('refuses usage %s with ERR_BAD_OPTION naming the parameter', (usage) => {
    let got = '';
    try { new InlineExecutor(revokeWaitBookkeep, { params: { usage } }).runTrial(0); } catch (err) { got = `${(err as { code: string }).code} ${(err as Error).message}`; }
    expect(got).toMatch(/^ERR_BAD_OPTION .*param usage:/);
  });
});

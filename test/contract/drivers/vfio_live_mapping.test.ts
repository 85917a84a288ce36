// The S3 and S4 findings say whose mapping was still live: REUSE_BEFORE_UNMAP (the device reset
// reusing memory after a revoke that did not wait for unmaps, titled after
// vfio_pci_try_reset_function) and REMOVE_WITH_MAPPINGS (remove() returning at once) carry, per
// live mapping, the importer that made it, the step of the map and the attachment it went
// through — one finding per mapping, its other pages counted as repeats. A revoke that returns
// with mappings live without waiting for unmaps is REVOKE_LIVE_MAPPINGS at its return, once for
// the buffer, naming the first live mapping and counting them; when the v5 timed wait timed out,
// its kernel WARN (VFIO_UNMAP_TIMEOUT) already reported those mappings and the model's own check
// stays silent (one cause, one finding). Inline and controlled.
import { describe, expect, it } from 'vitest';
import type { Finding, TrialResult } from '../../../src/exec/result.js';
import { EXECUTORS } from '../../support/both.js';
import { at, run } from '../../fixtures/fence/oracle.js';
import { LM, LM_PAGES, liveMapping } from '../../fixtures/vfio/live_mapping.js';

const IMPORTERS = [1, 2];

/** What a finding says about the importer `i` (actor i + 1) of trial `r`, checked against the words it recorded. */
function holder(r: TrialResult, f: Finding) {
  const i = f.mapping!.by - 1;
  const step = f.mapping!.step;
  return { by: f.mapping!.by, attachment: f.mapping!.attachment === r.user[LM.AT + i], inMap: step >= r.user[LM.BEFORE + i]! && step <= r.user[LM.AFTER + i]! };
}

const sorted = (fs: readonly Finding[]) => [...fs].sort((x, y) => x.mapping!.by - y.mapping!.by);

describe.each(EXECUTORS)('VFIO findings name the live mapping (%s)', (kind) => {
  it('REUSE_BEFORE_UNMAP: one finding per importer mapping, with its importer, map step and attachment', async () => {
    for (const r of await run(kind, liveMapping, { path: 'reset' }, kind === 'inline' ? 50 : 10)) {
      expect(r.end, at(r)).toBe('done');
      expect(r.findings.filter((f) => f.code === 'REVOKE_LIVE_MAPPINGS').length, at(r)).toBe(1);
      const fs = sorted(r.findings.filter((f) => f.code !== 'REVOKE_LIVE_MAPPINGS'));
      expect(fs.map((f) => [f.code, f.title, f.actor, f.repeats]), at(r)).toEqual(IMPORTERS.map(() =>
        ['REUSE_BEFORE_UNMAP', 'use-after-free in vfio_pci_try_reset_function', 0, LM_PAGES - 1]));
      expect(fs.map((f) => holder(r, f)), at(r)).toEqual(IMPORTERS.map((by) => ({ by, attachment: true, inMap: true })));
      expect(r.dropped, at(r)).toBeUndefined();
    }
  });

  it('REVOKE_LIVE_MAPPINGS (revoke): once at the revoke\'s return, naming the first live mapping, counting both', async () => {
    for (const r of await run(kind, liveMapping, { path: 'revoke' }, kind === 'inline' ? 50 : 10)) {
      expect(r.end, at(r)).toBe('done');
      expect(r.findings.map((f) => [f.code, f.title]), at(r)).toEqual([['REVOKE_LIVE_MAPPINGS', 'assertion in revoke_return']]);
      const f = r.findings[0]!;
      expect([f.actor, f.mapping!.mappings, holder(r, f).attachment, holder(r, f).inMap], at(r)).toEqual([0, IMPORTERS.length, true, true]);
    }
  });

  it('the timed wait timing out: VFIO_UNMAP_TIMEOUT alone, no REVOKE_LIVE_MAPPINGS for the same mappings', async () => {
    for (const r of await run(kind, liveMapping, { path: 'timeout' }, kind === 'inline' ? 50 : 10)) {
      expect(r.end, at(r)).toBe('done');
      expect(r.findings.map((f) => [f.code, f.title]), at(r)).toEqual([['VFIO_UNMAP_TIMEOUT', 'assertion in vfio_pci_dma_buf_move']]);
    }
  });

  it('REMOVE_WITH_MAPPINGS: one finding per importer mapping, with its importer, map step, attachment and pages', async () => {
    for (const r of await run(kind, liveMapping, { path: 'remove' }, kind === 'inline' ? 50 : 10)) {
      expect(r.end, at(r)).toBe('done');
      const fs = sorted(r.findings);
      expect(fs.map((f) => [f.code, f.title, f.actor, f.mapping!.pages]), at(r)).toEqual(IMPORTERS.map(() =>
        ['REMOVE_WITH_MAPPINGS', 'use-after-remove in device_remove', 0, LM_PAGES]));
      expect(fs.map((f) => holder(r, f)), at(r)).toEqual(IMPORTERS.map((by) => ({ by, attachment: true, inMap: true })));
    }
  });
});

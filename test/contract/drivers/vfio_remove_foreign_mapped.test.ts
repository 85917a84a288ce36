// remove() checks the device's memory, not the device's own mappings: a VFIO buffer another
// device maps — iommufd's fill maps it for the pages' importing device, through their attachment —
// is still live when remove() returns at once (S4): REMOVE_WITH_MAPPINGS on the buffer, naming
// that mapping and its pages. A mapping of the buffer's pages made without an attachment names
// the buffer that owns them too (not the removed device's id). The fixed remove (waits-unmap)
// revokes first: iommufd's revoke callback unmaps the domain, and remove() finds nothing.
import { describe, expect, it } from 'vitest';
import { EXECUTORS, runTrials } from '../../support/both.js';
import { at } from '../../fixtures/fence/oracle.js';
import { RF, RF_PAGES, vfioRemoveForeignMapped } from '../../fixtures/vfio/remove_foreign_mapped.js';

/** One actor: every trial runs the same schedule. */
const TRIALS = 3;

describe.each(EXECUTORS)('remove() with another device mapping the buffer (%s)', (kind) => {
  it.each([false, true])('immediate (raw %s): one REMOVE_WITH_MAPPINGS on the buffer, naming the mapping and its pages', async (raw) => {
    for (const r of await runTrials(kind, vfioRemoveForeignMapped, TRIALS, { params: { remove: 'immediate', raw } })) {
      expect(r.end, at(r)).toBe('done');
      expect(r.findings.map((f) => [f.code, f.title, f.obj, f.mapping?.by, f.mapping!.step >= r.user[RF.MAP_STEP]!, f.mapping?.pages, f.mapping?.attachment === -1]), at(r)).toEqual([
        ['REMOVE_WITH_MAPPINGS', 'use-after-remove in device_remove', r.user[RF.DB], 0, true, RF_PAGES, raw],
      ]);
    }
  });

  it.each([false, true])('waits-unmap (raw %s): clean', async (raw) => {
    for (const r of await runTrials(kind, vfioRemoveForeignMapped, TRIALS, { params: { remove: 'waits-unmap', raw } })) {
      expect([r.end, r.user[RF.MAP]! >= 0, r.findings.map((f) => f.title)], at(r)).toEqual(['done', true, []]);
    }
  });
});

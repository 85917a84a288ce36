// VFIO export when the page table cannot hold the buffer: -ENOMEM with every page taken given back
// (not -ENOMEM stored as a page number); the revoke catalog refuses a `pages` parameter the
// default geometry cannot hold, and runs clean with the most it can. Inline and controlled.
import { describe, expect, it } from 'vitest';
import { ENOMEM } from '../../../src/errno/errno.js';
import { HarnessError } from '../../../src/errno/errors.js';
import { resolveParams, scenarioActors } from '../../../src/exec/scenario.js';
import { revokeWaitBookkeep } from '../../../scenarios/revoke-wait-bookkeep.js';
import { EXECUTORS, findingTitles, runTrials } from '../../support/both.js';
import { EXP, vfioExportPages } from '../../fixtures/vfio/export_pages.js';
import { at, pick, run } from '../../fixtures/fence/oracle.js';

const ALLOCATABLE = 63;

describe.each(EXECUTORS)('vfio_pci_dma_buf_export and the page table (%s)', (kind) => {
  it('fails with -ENOMEM when the pages run out, and gives back the pages it took', async () => {
    for (const r of await run(kind, vfioExportPages, { pages: ALLOCATABLE + 1 }, 3)) {
      expect(r.end, at(r)).toBe('done');
      expect(pick(r, EXP), at(r)).toEqual({ RET: -ENOMEM, OWNED_BEFORE: 0, OWNED_AFTER: 0, BAD: 0 });
    }
  });

  it('exports as many pages as are free, each slot an allocated page', async () => {
    for (const r of await run(kind, vfioExportPages, { pages: ALLOCATABLE }, 3)) {
      expect(r.end, at(r)).toBe('done');
      expect(pick(r, EXP), at(r)).toEqual({ RET: 0, OWNED_BEFORE: 0, OWNED_AFTER: ALLOCATABLE, BAD: 0 });
    }
  });

  it('runs a revoke catalog entry with the most pages the default geometry holds clean', async () => {
    const rs = await runTrials(kind, revokeWaitBookkeep, 5, { params: { pages: ALLOCATABLE }, leakCheck: true });
    expect(findingTitles(rs)).toEqual([]);
    expect(rs.map((r) => r.end)).toEqual(rs.map(() => 'done'));
  });
});

/** The code of the HarnessError `f` throws; 'none' when it returns, 'other' for another error. */
function thrownCode(f: () => unknown): string {
  try { f(); return 'none'; } catch (e) { return e instanceof HarnessError ? e.code : 'other'; }
}

describe('the revoke catalog\'s pages parameter', () => {
  it.each([0, ALLOCATABLE + 1, 2.5])('refuses pages=%s with ERR_BAD_OPTION', (pages) => {
    expect(thrownCode(() => scenarioActors(revokeWaitBookkeep, resolveParams(revokeWaitBookkeep, { pages })))).toBe('ERR_BAD_OPTION');
  });

  it('accepts the most pages the default geometry holds', () => {
    expect(thrownCode(() => scenarioActors(revokeWaitBookkeep, resolveParams(revokeWaitBookkeep, { pages: ALLOCATABLE })))).toBe('none');
  });
});

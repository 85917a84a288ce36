// A VFIO device keeps every dma-buf it exported on vdev->dmabufs (kernel-semantics §4.10,
// vfio_pci_dmabuf.c): the memory disable revokes all of them, each waiting for its importer's
// unmap, and the device close unlinks all; an export made while memory is disabled starts revoked
// (revoked = !__vfio_pci_memory_enabled at export, under memory_lock, so an export racing the
// disable ends revoked in every schedule); vfio_pci_dma_buf_iommufd_map refuses a buffer of more
// than one range (-EOPNOTSUPP), after its revoked check (-ENODEV).
import { describe, expect, it } from 'vitest';
import { ENODEV, EOPNOTSUPP } from '../../../src/errno/errno.js';
import { EXECUTORS, findingTitles, runTrials } from '../../support/both.js';
import { expectClean } from '../../support/mustfind.js';
import { pick } from '../../fixtures/fence/oracle.js';
import {
  DL, vfioDeviceTwoBuffers, vfioExportRacingDisable, vfioExportWhileDisabled, vfioIommufdRanges,
} from '../../fixtures/vfio/device_list.js';

describe.each(EXECUTORS)('a VFIO device\'s dma-buf list (%s)', (kind) => {
  it('the memory disable revokes both buffers of the device, each after its importer unmapped; the close unlinks both', async () => {
    for (const r of await runTrials(kind, vfioDeviceTwoBuffers, 20, { leakCheck: true })) {
      expect(findingTitles([r])).toEqual([]);
      expect(r.user.slice(DL.REVOKED, DL.REVOKED + 2)).toEqual([1, 1]);
      expect(r.user.slice(DL.UNMAPPED_AT_RETURN, DL.UNMAPPED_AT_RETURN + 2)).toEqual([1, 1]);
      expect(r.user.slice(DL.LISTED_AFTER_CLOSE, DL.LISTED_AFTER_CLOSE + 2)).toEqual([0, 0]);
    }
  });

  it('a buffer exported while memory is disabled starts revoked (attach -ENODEV) until memory is enabled', async () => {
    for (const r of await runTrials(kind, vfioExportWhileDisabled, 5, { leakCheck: true })) {
      expect(findingTitles([r])).toEqual([]);
      expect(pick(r, {
        REVOKED_AT_EXPORT: DL.REVOKED_AT_EXPORT, ATTACH: DL.ATTACH,
        REVOKED_AFTER_ENABLE: DL.REVOKED_AFTER_ENABLE, ATTACH_AFTER_ENABLE: DL.ATTACH_AFTER_ENABLE,
      })).toEqual({ REVOKED_AT_EXPORT: 1, ATTACH: -ENODEV, REVOKED_AFTER_ENABLE: 0, ATTACH_AFTER_ENABLE: 1 });
    }
  });

  it('an export racing the memory disable ends revoked in every schedule, whichever came first', async () => {
    const rs = await runTrials(kind, vfioExportRacingDisable, 100, { leakCheck: true });
    for (const r of rs) {
      expect(findingTitles([r])).toEqual([]);
      expect([r.user[DL.REVOKED_AT_EXPORT], r.user[DL.ATTACH]], `seed ${r.seed}`).toEqual([1, -ENODEV]);
    }
    expect(new Set(rs.map((r) => r.user[DL.DISABLED_FIRST]))).toEqual(new Set([0, 1]));
  });

  it.each([
    [1, 2, -ENODEV], [2, -EOPNOTSUPP, -ENODEV],
  ] as const)('iommufd_map of a buffer of %i range(s): %i, and -ENODEV once revoked', async (ranges, live, gone) => {
    for (const r of await runTrials(kind, vfioIommufdRanges, 3, { params: { ranges } })) {
      expect(findingTitles([r])).toEqual([]);
      expect([r.user[DL.IOMMUFD], r.user[DL.IOMMUFD_REVOKED]]).toEqual([live, gone]);
    }
  });
});

describe('the racing export', () => {
  it('stays clean over 20,000 inline and 500 controlled trials', async () => {
    await expectClean(vfioExportRacingDisable);
  }, 120_000);
});

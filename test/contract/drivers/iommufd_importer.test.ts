// iommufd reaches VFIO's private map with symbol_get at run time (kernel-semantics §4.10, §5.2):
// with vfio_pci_core loaded the map goes through it; without it the symbol_get finds nothing and
// iopt_map_dmabuf fails -EOPNOTSUPP, unwinding its pin and attachment (leak checks on). Neither
// needs a namespace import, and iommufd loads without vfio_pci_core. The pages hold a file
// reference of their own from IOMMU_IOAS_MAP_FILE to their release, so the VMM may close its fd
// while the area is mapped: the buffer lives on until iopt_release_pages puts the last reference.
import { describe, expect, it } from 'vitest';
import { EOPNOTSUPP } from '../../../src/errno/errno.js';
import type { AnyScenario } from '../../../src/exec/scenario.js';
import { EXECUTORS, findingTitles, runTrials } from '../../support/both.js';
import { I, iommufdWithVfio, iommufdWithoutVfio } from '../../fixtures/iommufd/symbol_get.js';
import { FD, fdClosedAfterMap } from '../../fixtures/iommufd/fd_close.js';

const CASES: readonly (readonly [string, AnyScenario, number])[] = [
  ['vfio_pci_core loaded: mapped through it', iommufdWithVfio, 0],
  ['no vfio module: -EOPNOTSUPP', iommufdWithoutVfio, -EOPNOTSUPP],
];

describe.each(EXECUTORS)('iommufd private map via symbol_get (%s)', (kind) => {
  it.each(CASES)('%s', async (_name, s, ret) => {
    for (const r of await runTrials(kind, s, 5, { leakCheck: true })) {
      expect(findingTitles([r])).toEqual([]);
      expect([r.end, r.user[I.RET], r.user[I.DONE]]).toEqual(['done', ret, 1]);
    }
  });
});

describe.each(EXECUTORS)('iommufd pages hold their own file reference (%s)', (kind) => {
  it('keep the buffer attached, filled and readable after the VMM closes its fd, and release it at iopt_release_pages', async () => {
    for (const r of await runTrials(kind, fdClosedAfterMap, 5, { leakCheck: true })) {
      expect(findingTitles([r])).toEqual([]);
      const words = [FD.MAP, FD.LIVE_AFTER_CLOSE, FD.FILL, FD.READ, FD.LIVE_AFTER_RELEASE, FD.DONE].map((w) => r.user[w]);
      expect([r.end, ...words]).toEqual(['done', 0, 1, 0, 1, 0, 1]);
    }
  });
});

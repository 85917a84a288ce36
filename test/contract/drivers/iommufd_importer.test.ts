// iommufd reaches VFIO's private map with symbol_get at run time (kernel-semantics §4.10, §5.2):
// with vfio_pci_core loaded the map goes through it; without it the symbol_get finds nothing and
// iopt_map_dmabuf fails -EOPNOTSUPP, unwinding its pin and attachment (leak checks on). Neither
// needs a namespace import, and iommufd loads without vfio_pci_core.
import { describe, expect, it } from 'vitest';
import { EOPNOTSUPP } from '../../../src/errno/errno.js';
import type { AnyScenario } from '../../../src/exec/scenario.js';
import { EXECUTORS, findingTitles, runTrials } from '../../support/both.js';
import { I, iommufdWithVfio, iommufdWithoutVfio } from '../../fixtures/iommufd/symbol_get.js';

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

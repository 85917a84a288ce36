// iommufd fills a domain under pages->mutex, and iommu_map allocates its page tables with
// GFP_KERNEL_ACCOUNT (iommufd_pages.ts mapDomain: might_alloc), so lockdep learns
// iommufd_pages_mutex → fs_reclaim — the order that makes a GFP_KERNEL allocation in a reclaim
// path holding pages->mutex, or taking it in a signalling section, a finding. The catalog's
// iommufd-unwind fills its domain unless the exporter revokes first; five trials of it, inline
// (the graph spans an executor's trials).
import { describe, expect, it } from 'vitest';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { FS_RECLAIM_NAME, lockdepHasEdge, lockdep_class } from '../../../src/kernel/lockdep.js';
import { LCF_MAP } from '../../../src/kernel/lockdep_layout.js';
import { iommufdUnwind } from '../../../scenarios/iommufd-unwind.js';

describe('iommufd filling a domain', () => {
  it('allocates under pages->mutex: iommufd_pages_mutex → fs_reclaim', () => {
    const ex = new InlineExecutor(iommufdUnwind);
    try {
      for (let i = 0; i < 5; i++) expect(ex.runTrial(i).findings).toEqual([]);
      const a = ex.arena;
      expect(lockdepHasEdge(a, lockdep_class(a, 'iommufd_pages_mutex'), lockdep_class(a, FS_RECLAIM_NAME, LCF_MAP))).toBe(true);
    } finally {
      ex.close();
    }
  });
});

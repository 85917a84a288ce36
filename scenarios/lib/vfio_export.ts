/**
 * The VFIO buffer of the revoke scenarios (lib/revoke.ts, stress-revoke.ts): the most pages its
 * `pages` parameter may take (what the arena's page table can hold), and the export, whose
 * failure ends setup with one HarnessError line instead of a buffer without pages.
 */
import { HarnessError } from '../../src/errno/errors.js';
import { VFIO_MAX_PAGES, vfio_pci_dma_buf_export, type VfioDmaBuf } from '../../src/drivers/vfio_dmabuf.js';
import type { VfioKnobs } from '../../src/drivers/vfio_knobs.js';
import type { Task } from '../../src/kernel/index.js';

/**
 * The most pages one VFIO buffer can export in an arena of `geometryPages` pages: page 0 is the
 * nirvana page, and the exporter keeps at most VFIO_MAX_PAGES.
 */
export function vfioPagesLimit(geometryPages: number): number {
  return Math.min(VFIO_MAX_PAGES, geometryPages - 1);
}

/** vfio_pci_dma_buf_export for a scenario's setup: the buffer and its (new) device, or
 *  HarnessError(ERR_ARENA_GEOMETRY) when the export fails (-ENOMEM: other objects of the trial
 *  took the pages). */
export function vfioExport(t: Task, scenario: string, pages: number, knobs: VfioKnobs): VfioDmaBuf {
  const r = vfio_pci_dma_buf_export(t, pages, knobs);
  if (typeof r !== 'number') return r;
  throw new HarnessError('ERR_ARENA_GEOMETRY', `scenario ${scenario}: VFIO export of ${pages} pages failed (${r})`);
}

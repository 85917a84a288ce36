/**
 * VFIO's private interconnect for iommufd (vfio_pci_dma_buf_iommufd_map): hands the physical
 * range of a VFIO dma-buf to iommufd, which maps it into its own IOMMU domain instead of calling
 * dma_buf_map_attachment. Exported in the kernel with EXPORT_SYMBOL_FOR_MODULES(..., "iommufd");
 * iommufd reaches it with symbol_get at run time (iommufd_importer.ts), not by linking it.
 */
import { ENODEV, EOPNOTSUPP } from '../errno/errno.js';
import { attachment_dmabuf } from '../kernel/dma_buf_attach.js';
import { dma_buf_priv, dma_buf_resv, type DmaBufAttachment } from '../kernel/dma_buf.js';
import type { KernelApi } from '../kernel/module/api.js';
import { moduleRef, symbols } from '../kernel/module/this_module.js';
import { DB_OPS } from '../shm/layout.js';
import { priv_load } from '../kernel/priv.js';
import type { Task } from '../kernel/task.js';
import { VFIO_DMABUF_OPS, V_NRANGES, V_REVOKED, vfioPages } from './vfio_dmabuf.js';

const THIS_MODULE = moduleRef<KernelApi>('vfio_pci_core');

/** The export's type, as iommufd's symbol_get of it returns it. */
export type VfioIommufdMap = typeof import('./vfio_iommufd.js').vfio_pci_dma_buf_iommufd_map;

/**
 * A physical range (struct dma_buf_phys_vec): pages paddr .. paddr + len − 1 (the model's physical
 * address is a page's index). iommufd records one and maps from it later; len 0 marks it revoked.
 */
export interface PhysVec { readonly paddr: number; readonly len: number }

/**
 * The single physical range behind VFIO dma-buf attachment `at`. Resv lock required. -EOPNOTSUPP
 * when the buffer is not a VFIO one; -ENODEV when revoked; -EOPNOTSUPP when the export asked for
 * more than one range (priv->nr_ranges != 1, checked after revoked as the kernel does), or —
 * the model's own limit — its pages are not consecutive, so no single range describes them.
 */
export function vfio_pci_dma_buf_iommufd_map(t: Task, at: DmaBufAttachment): PhysVec | number {
  const db = attachment_dmabuf(t, at);
  symbols(t, THIS_MODULE).dma_resv_assert_held(t, dma_buf_resv(t, db), 'vfio_pci_dma_buf_iommufd_map');
  if (t.i32[t.arena.dmabuf(db) + DB_OPS] !== VFIO_DMABUF_OPS) return -EOPNOTSUPP;
  const vp = dma_buf_priv(t, db);
  if (priv_load(t, vp + V_REVOKED) !== 0) return -ENODEV;
  if (priv_load(t, vp + V_NRANGES) !== 1) return -EOPNOTSUPP;
  const pages = vfioPages(t, vp);
  if (pages.some((p, i) => p !== pages[0]! + i)) return -EOPNOTSUPP;
  return { paddr: pages[0]!, len: pages.length };
}

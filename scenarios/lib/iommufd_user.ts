/**
 * A VMM using iommufd to give a passthrough device a VFIO dma-buf (lib/revoke.ts's iommufd
 * importers): IOMMU_IOAS_MAP_FILE of the dma-buf fd (iopt_map_file_pages: a file reference for
 * the pages, attach, pin, record the range), the area filling the IOAS's domains
 * (iopt_area_fill_domains), with `ioas` the first domain's device then detached (its HWPT
 * destroyed: iopt_table_remove_domain), the devices' DMA, each through its domain — `passes`
 * passes over the buffer, one page and domain per scheduling point, as the VMM does not stop them
 * for a revoke it does not know about: once revoke unmapped a domain its device faults,
 * harmlessly — then IOMMU_IOAS_UNMAP (iopt_area_unfill_domains) and the pages' release.
 */
import type { DmaBuf, KGen, Task } from '../../src/kernel/index.js';
import { iommu_domain_dma } from '../../src/kernel/iommu_domain.js';
import {
  iopt_area_fill_domains, iopt_area_unfill_domains, iopt_map_file_pages, iopt_release_pages,
} from '../../src/drivers/iommufd_importer.js';
import { iopt_domains, iopt_set_area, iopt_table_remove_domain } from '../../src/drivers/iommufd_ioas.js';
import type { IommufdKnobs } from '../../src/drivers/iommufd_knobs.js';
import { packOp } from '../../src/shm/layout.js';
import { OP_DMA_DOMAIN } from '../../src/trace/ops.js';

/** What one VMM maps, and how its device uses it. */
export interface IommufdUse {
  readonly db: DmaBuf;
  /** Its iopt_pages (iopt_alloc_dmabuf_pages) and the IOAS's domains (iommu_domain_alloc), one
   *  device attached to each. */
  readonly pages: number;
  readonly domains: readonly number[];
  /** The IOAS holding `domains` (iopt_alloc_ioas) when the VMM detaches the first domain after
   *  the fill; −1: no detach (the IOAS is not modelled). */
  readonly ioas: number;
  readonly npages: number;
  readonly passes: number;
  readonly write: boolean;
}

/** Map, fill, detach (with `ioas`), DMA, unmap and release, as above; a failed map or fill ends
 *  it early. */
export function* iommufd_user(t: Task, u: IommufdUse, o: IommufdKnobs): KGen<void> {
  if ((yield* iopt_map_file_pages(t, u.db, u.pages, o)) !== 0) return;
  if (u.ioas >= 0) iopt_set_area(t, u.ioas, u.pages);
  if ((yield* iopt_area_fill_domains(t, u.pages, u.domains, o)) === 0) {
    if (u.ioas >= 0) yield* iopt_table_remove_domain(t, u.ioas, u.domains[0]!, o);
    yield* deviceDma(t, u, u.ioas >= 0 ? iopt_domains(t, u.ioas) : u.domains);
    yield* iopt_area_unfill_domains(t, u.pages, o);
  }
  if (u.ioas >= 0) iopt_set_area(t, u.ioas, -1);
  yield* iopt_release_pages(t, u.db, u.pages, o);
}

/**
 * The devices' passes, each through its domain (`domains`: those still attached), a scheduling
 * point before each page of each; the point (dma-domain) names the domain (one object for the
 * whole run, whatever the domain holds when reached). No engine job is involved, so to POS it is
 * an object of its own, no job's: it races the points of other devices on that domain only, as
 * no scheduling point of the domain's unmap names the domain.
 */
function* deviceDma(t: Task, u: IommufdUse, domains: readonly number[]): KGen<void> {
  for (let pass = 0; pass < u.passes; pass++) {
    for (let i = 0; i < u.npages; i++) {
      for (const d of domains) {
        yield packOp(OP_DMA_DOMAIN, d);
        iommu_domain_dma(t, d, i, 1, u.write, false);
      }
    }
  }
}

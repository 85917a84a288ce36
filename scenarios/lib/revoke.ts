/**
 * The canonical revoke scenario, parameterised: a VFIO exporter, `importers` dynamic GPU importers
 * each driving a context of one of `engines` DMA engines (importer i: engine i mod engines), and
 * the engines. The exporter revokes after `delay`
 * scheduling points, then does its `after` action (device close, remove(), or un-revoke and a
 * second revoke). Catalog entries pick the exporter's knobs and what a correct hunter must find.
 * GPU importers fence each job with `usage` (default READ) and do what it says: under a READ fence
 * the job only reads the buffer, under any other it writes it. (Until 9044fde every job wrote. The
 * revisions stayed at 1: a job's scheduling points do not depend on its direction, so recorded
 * schedules replay as before, and the catalog finds what it found.)
 *
 * Every actor that uses the buffer holds a file reference of its own and puts it when done (setup
 * takes the importers' references; the exporter's actor holds the export's), so a trial ends with
 * the buffer released (lib/dmabuf_refs.ts). Revision 2: where the buffer is still on the device's
 * list then (remove() without the close, un-revoke), the last put's release takes memory_lock — a
 * scheduling point that revision 1 schedules did not have. Revision 3, iommufd importers only:
 * the importer is a VMM (lib/iommufd_user.ts) that fills its IOMMU domain in a step of its own
 * and has its device read through it, scheduling points revision 2 did not have. Revision 4,
 * iommufd importers only: their pages' private words grew by the tracker of several domains, so
 * the domain a device's scheduling point names is another word — a schedule recorded before stops
 * at its first device access (hunts over the catalog find what they found). Revision 3 of
 * rdma-pinned-revoke (its own, spec.revision): a pinned MR whose map fails (the buffer was revoked
 * first) is undone by ib_umem_dmabuf_release in a lock hold of its own, as the kernel does, where
 * revision 2 unpinned in the registration's hold. Then gpu 3, rdma-pinned-revoke 4 and
 * stress-revoke 4: dma_resv_wait_timeout walks the live fence list with a scheduling point between
 * two slot reads, and the resv record grew a word (two list arrays), which moves the arena words
 * that scheduling points name (iommufd's 4 above covers it: both landed in 0.4.0, which refuses
 * 0.3.0's files). remove-before-unmap has its own. Revision 5, iommufd importers only: the
 * device's DMA points are their own op, dma-domain, naming the domain (they were dma, read as an
 * engine job's), so a schedule recorded before diverges at its first device access.
 */
import { HarnessError } from '../../src/errno/errors.js';
import { defineScenario, type ActorDef, type Scenario } from '../../src/exec/scenario.js';
import { cond_resched, type DmaBuf, type DmaResvUsage, type KGen, type Task } from '../../src/kernel/index.js';
import type { FindingKind } from '../../src/kernel/warn.js';
import { dma_engine_stop } from '../../src/drivers/dma_engine.js';
import { gpu_importer_attach, gpu_importer_run } from '../../src/drivers/gpu_importer.js';
import { preempt_fence_stop, type PreemptKnob } from '../../src/drivers/preempt_fence.js';
import { iopt_alloc_dmabuf_pages } from '../../src/drivers/iommufd_pages.js';
import { iopt_alloc_ioas } from '../../src/drivers/iommufd_ioas.js';
import { IOMMUFD_FIXED, type IommufdKnobs } from '../../src/drivers/iommufd_knobs.js';
import { iommu_domain_alloc } from '../../src/kernel/iommu_domain.js';
import { legacy_importer_run } from '../../src/drivers/legacy_importer.js';
import { rdma_pinned_mr_run } from '../../src/drivers/rdma_importer.js';
import { RDMA_FIXED, type RdmaKnobs } from '../../src/drivers/rdma_knobs.js';
import { device_add } from '../../src/kernel/memory.js';
import type { ModuleDef } from '../../src/kernel/module/define.js';
import { DMA_ENGINE, GPU_IMPORTER, IOMMUFD, LEGACY_IMPORTER, RDMA_IMPORTER, VFIO_PCI_CORE } from '../../src/drivers/modules.js';
import { VFIO_FINAL, type VfioKnobs } from '../../src/drivers/vfio_knobs.js';
import type { VfioDevice } from '../../src/drivers/vfio_device.js';
import { vfio_pci_set_memory_enabled } from '../../src/drivers/vfio_memory.js';
import { vfio_pci_dma_buf_cleanup, vfio_pci_remove } from '../../src/drivers/vfio_revoke.js';
import { createEngines, engineActorOf, engineActors } from './engines.js';
import { dmabufRefsFor, withDmaBufRef } from './dmabuf_refs.js';
import { iommufd_user } from './iommufd_user.js';
import { preemptFences, preemptWorkers } from './revoke_preempt.js';
import { jobWrites, usageParam } from './usage.js';
import { vfioExport } from './vfio_export.js';
import { revokeRanges, revokeRules } from './revoke_params.js';

/** `engines`: the DMA engines (importer i drives a context of engine i mod engines, as in
 *  stress-revoke); `jobPages`: the pages of the mapping each GPU job moves, from the first (0, the
 *  default: the whole buffer). `domains`: the IOMMU domains each iommufd importer's IOAS fills (one device each); 1 for the
 *  other kinds, which reach the buffer through their engine context. `detach` 1: iommufd importer
 *  0 has an IOAS (IOPT_IOAS_WORDS private words) and detaches its first domain after the fill
 *  (iopt_table_remove_domain), while the revoke may run; `detach` 0 (the default) allocates no
 *  IOAS and adds no scheduling point and no private words. */
export type RevokeParams = {
  importers: number; pages: number; jobs: number; usage: string; delay: number;
  speculative: boolean; kernel: string; domains: number; detach: number; engines: number; jobPages: number;
};

export const REVOKE_DEFAULTS: RevokeParams = {
  importers: 2, pages: 2, jobs: 1, usage: 'read', delay: 4, speculative: true, kernel: 'final', domains: 1, detach: 0, engines: 1, jobPages: 0,
};

/** The modules a revoke scenario with importers of `kind` loads, in load order. */
function revokeModules(kind: ImporterKind): ModuleDef[] {
  return [VFIO_PCI_CORE, DMA_ENGINE, { gpu: GPU_IMPORTER, legacy: LEGACY_IMPORTER, rdma: RDMA_IMPORTER, iommufd: IOMMUFD }[kind]];
}


export type AfterRevoke = 'none' | 'cleanup' | 'remove' | 'unrevoke-revoke';

export interface RevokeEnv {
  readonly db: DmaBuf; readonly vp: number; readonly vdev: VfioDevice; readonly engines: readonly number[]; readonly ctxs: readonly number[];
  /** iommufd importers' iopt_pages handles, and the domains of each one's IOAS (`domains` each). */
  readonly pages: readonly number[];
  readonly domains: readonly (readonly number[])[];
  /** Importer 0's IOAS when it detaches (`detach` 1; iopt_alloc_ioas), else −1. */
  readonly ioas: number;
  /** GPU importers' preempt fence words (scenarios with `preempt`; preempt_fence_create), else none. */
  readonly pfs: readonly number[];
}

/** Which importer driver the scenario's importers run. */
export type ImporterKind = 'gpu' | 'legacy' | 'rdma' | 'iommufd';

function* exporter(t: Task, e: RevokeEnv, p: RevokeParams, after: AfterRevoke): KGen<void> {
  for (let i = 0; i < p.delay; i++) yield* cond_resched(t, i);
  if (after === 'remove') { yield* vfio_pci_remove(t, e.vdev); return; }
  yield* vfio_pci_set_memory_enabled(t, e.vdev, false);
  if (after === 'cleanup') yield* vfio_pci_dma_buf_cleanup(t, e.vdev);
  if (after === 'unrevoke-revoke') {
    yield* vfio_pci_set_memory_enabled(t, e.vdev, true);
    for (let i = 0; i < p.delay; i++) yield* cond_resched(t, i);
    yield* vfio_pci_set_memory_enabled(t, e.vdev, false);
  }
}

/** The knobs of the importer drivers that have them. */
interface ImporterKnobs { readonly io: IommufdKnobs; readonly rdma: RdmaKnobs }

function* importer(t: Task, e: RevokeEnv, p: RevokeParams, i: number, kind: ImporterKind, knobs: ImporterKnobs, usage: DmaResvUsage): KGen<void> {
  const engineActor = engineActorOf(p.importers, p.engines, i);
  const ctx = e.ctxs[i]!;
  if (kind === 'legacy') { yield* legacy_importer_run(t, e.db, 1 + i, ctx, engineActor, p.jobs); return; }
  if (kind === 'rdma') { yield* rdma_pinned_mr_run(t, e.db, 1 + i, ctx, engineActor, p.jobs, knobs.rdma); return; }
  if (kind === 'iommufd') {
    dma_engine_stop(t, ctx);
    const ioas = i === 0 ? e.ioas : -1;
    const use = { db: e.db, pages: e.pages[i]!, domains: e.domains[i]!, ioas, npages: p.pages, passes: p.jobs, write: jobWrites(usage) };
    yield* iommufd_user(t, use, knobs.io);
    return;
  }
  const pf = e.pfs[i] ?? -1;
  const ip = yield* gpu_importer_attach(t, e.db, 1 + i, ctx, engineActor);
  if (ip < 0) { if (pf >= 0) preempt_fence_stop(t, pf); return; }
  const preempt = pf < 0 ? {} : { preempt: pf };
  const jobPages = p.jobPages === 0 ? {} : { jobPages: p.jobPages };
  yield* gpu_importer_run(t, ip, { usage, jobs: p.jobs, write: jobWrites(usage), ...jobPages, ...preempt });
}

export interface RevokeScenarioSpec {
  readonly name: string;
  readonly description: string;
  readonly module: string;
  readonly expect: 'clean' | FindingKind;
  readonly knobs: Partial<VfioKnobs>;
  readonly after?: AfterRevoke;
  readonly params?: Partial<RevokeParams>;
  readonly importer?: ImporterKind;
  /** The iommufd importers' knobs (kind 'iommufd'), over IOMMUFD_FIXED. */
  readonly iommufd?: Partial<IommufdKnobs>;
  /** The pinned RDMA importers' knobs (kind 'rdma'), over RDMA_FIXED. */
  readonly rdma?: Partial<RdmaKnobs>;
  /** GPU importers (kind 'gpu'; other kinds are refused) run long-running contexts: a preempt
   *  fence in BOOKKEEP, preempted as this says, with a worker actor each (revoke_preempt.ts);
   *  absent: none. */
  readonly preempt?: PreemptKnob;
  /** The entry's revision when its schedules changed apart from its importer kind's. */
  readonly revision?: number;
}

/** A catalog entry over the canonical revoke scenario. */
export function revokeScenario(spec: RevokeScenarioSpec): Scenario<RevokeParams, RevokeEnv> {
  const knobs: VfioKnobs = { ...VFIO_FINAL, ...spec.knobs };
  const after = spec.after ?? 'cleanup';
  const kind = spec.importer ?? 'gpu';
  const importerKnobs: ImporterKnobs = {
    io: { ...IOMMUFD_FIXED, ...spec.iommufd }, rdma: { ...RDMA_FIXED, ...spec.rdma },
  };
  if (spec.preempt !== undefined && kind !== 'gpu') {
    throw new HarnessError('ERR_SCENARIO', `${spec.name}: preempt applies to gpu importers only (importer is ${kind})`);
  }
  const preempt = spec.preempt !== undefined;
  return defineScenario<RevokeParams, RevokeEnv>({
    name: spec.name, description: spec.description, module: spec.module, expect: spec.expect,
    revision: spec.revision ?? (kind === 'iommufd' ? 5 : 3),
    params: { ...REVOKE_DEFAULTS, ...spec.params }, paramRanges: revokeRanges(kind), paramRules: revokeRules(kind, preempt),
    modules: revokeModules(kind),
    setup: (t, p) => {
      const { db, vp, vdev } = vfioExport(t, spec.name, p.pages, knobs);
      dmabufRefsFor(t, db, p.importers);
      const { engines, ctxs } = createEngines(t, p.importers, p.engines);
      const pages = kind === 'iommufd' ? ctxs.map(() => iopt_alloc_dmabuf_pages(t, device_add(t))) : [];
      const domains = pages.map(() => Array.from({ length: p.domains }, () => iommu_domain_alloc(t)));
      const ioas = p.detach === 1 && domains.length > 0 ? iopt_alloc_ioas(t, domains[0]!) : -1;
      const pfs = preemptFences(t, p, ctxs, db, spec.preempt);
      return { db, vp, vdev, engines, ctxs, pages, domains, ioas, pfs };
    },
    actors: (p) => {
      const usage = usageParam(spec.name, p.usage);
      const list: ActorDef<RevokeEnv>[] = [{ name: 'vfio', run: (t, e) => withDmaBufRef(t, e.db, exporter(t, e, p, after)) }];
      for (let i = 0; i < p.importers; i++) {
        list.push({ name: `${kind}${i}`, run: (t, e) => withDmaBufRef(t, e.db, importer(t, e, p, i, kind, importerKnobs, usage)) });
      }
      const engineName = (j: number): string => (p.engines === 1 ? 'engine' : `engine${j}`);
      return [...list, ...engineActors<RevokeEnv>(p.engines, { speculative: p.speculative }, engineName), ...preemptWorkers<RevokeEnv>(p, spec.preempt)];
    },
  });
}

/**
 * The built-in drivers as kernel modules: name, license, namespace imports and exports, with the
 * source files modpost reads for the symbols each one uses (`source`, then `objects`). Each file
 * names its module in its `THIS_MODULE` and reaches the kernel API, and other modules' exports,
 * only through that module's symbol table. A scenario lists the modules its actors run, exporters
 * (vfio_pci_core, dma_engine) before the modules that use their exports.
 *
 * The exporters call the invalidation by the name their kernel exports (v3: dma_buf_move_notify,
 * final: dma_buf_invalidate_mappings), and ib_uverbs installs the v3-only stub when it exists:
 * those names are `weak` references, so the driver loads on either kernel and calls what resolved.
 */
import { defineModule } from '../kernel/module/define.js';
import {
  dma_engine_bind, dma_engine_context, dma_engine_create, dma_engine_resubmit, dma_engine_stop, dma_engine_submit,
  dma_engine_submit_marker, dma_engine_unbind,
} from './dma_engine.js';
import { vfio_pci_dma_buf_iommufd_map } from './vfio_iommufd.js';

const here = (file: string): string => new URL(file, import.meta.url).href;

/** The invalidation call under both of its names: each kernel version exports one. */
const INVALIDATE_BOTH_NAMES = ['dma_buf_invalidate_mappings', 'dma_buf_move_notify'] as const;

export const VFIO_PCI_CORE = defineModule({
  name: 'vfio_pci_core', license: 'GPL v2', importNs: ['DMA_BUF'], source: here('./vfio_dmabuf.js'),
  objects: [
    here('./vfio_device.js'), here('./vfio_revoke.js'), here('./vfio_memory.js'), here('./vfio_iommufd.js'), here('./vfio_knobs.js'),
  ],
  exports: [{ macro: 'EXPORT_SYMBOL_FOR_MODULES', name: 'vfio_pci_dma_buf_iommufd_map', impl: vfio_pci_dma_buf_iommufd_map, modules: 'iommufd' }],
  weak: INVALIDATE_BOTH_NAMES,
});

/** The DMA engine's client API (EXPORT_SYMBOL_GPL, no namespace): the importers' job rings. */
export const DMA_ENGINE = defineModule({
  name: 'dma_engine', license: 'GPL', source: here('./dma_engine.js'),
  exports: [
    { macro: 'EXPORT_SYMBOL_GPL', name: 'dma_engine_create', impl: dma_engine_create },
    { macro: 'EXPORT_SYMBOL_GPL', name: 'dma_engine_context', impl: dma_engine_context },
    { macro: 'EXPORT_SYMBOL_GPL', name: 'dma_engine_bind', impl: dma_engine_bind },
    { macro: 'EXPORT_SYMBOL_GPL', name: 'dma_engine_unbind', impl: dma_engine_unbind },
    { macro: 'EXPORT_SYMBOL_GPL', name: 'dma_engine_submit', impl: dma_engine_submit },
    { macro: 'EXPORT_SYMBOL_GPL', name: 'dma_engine_resubmit', impl: dma_engine_resubmit },
    { macro: 'EXPORT_SYMBOL_GPL', name: 'dma_engine_stop', impl: dma_engine_stop },
    { macro: 'EXPORT_SYMBOL_GPL', name: 'dma_engine_submit_marker', impl: dma_engine_submit_marker },
  ],
});

export const GPU_IMPORTER = defineModule({
  name: 'amdgpu', license: 'GPL and additional rights', importNs: ['DMA_BUF'], source: here('./gpu_importer.js'),
  objects: [here('./preempt_fence.js')],
});

export const LEGACY_IMPORTER = defineModule({
  name: 'videobuf2_dma_contig', license: 'GPL', importNs: ['DMA_BUF'], source: here('./legacy_importer.js'),
});

export const RDMA_IMPORTER = defineModule({
  name: 'ib_uverbs', license: 'Dual BSD/GPL', importNs: ['DMA_BUF'], source: here('./rdma_importer.js'),
  objects: [here('./rdma_knobs.js')],
  weak: ['dma_buf_unsupported_invalidate_mappings'],
});

export const IOMMUFD = defineModule({
  name: 'iommufd', license: 'GPL', importNs: ['DMA_BUF'], source: here('./iommufd_importer.js'),
  objects: [here('./iommufd_pages.js'), here('./iommufd_ioas.js'), here('./iommufd_tracker.js'), here('./iommufd_knobs.js')],
});

export const GPU_EXPORTER = defineModule({
  name: 'xe', license: 'GPL and additional rights', importNs: ['DMA_BUF'], source: here('./gpu_exporter.js'),
  weak: INVALIDATE_BOTH_NAMES,
});

export const RDMA_ODP = defineModule({
  name: 'mlx5_ib', license: 'Dual BSD/GPL', importNs: ['DMA_BUF'], source: here('./rdma_odp.js'),
});

/** Every built-in module, in an order that loads (exporters first). */
export const BUILTIN_MODULES = [
  VFIO_PCI_CORE, DMA_ENGINE, GPU_IMPORTER, LEGACY_IMPORTER, RDMA_IMPORTER, IOMMUFD, GPU_EXPORTER, RDMA_ODP,
] as const;

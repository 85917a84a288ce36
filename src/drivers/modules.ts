/**
 * The built-in drivers as kernel modules: name, license, namespace imports and exports, with the
 * source file modpost reads for the symbols each one uses.
 */
import { defineModule } from '../kernel/module/define.js';
import { vfio_pci_dma_buf_iommufd_map } from './vfio_iommufd.js';

const here = (file: string): string => new URL(file, import.meta.url).href;

export const VFIO_PCI_CORE = defineModule({
  name: 'vfio_pci_core', license: 'GPL v2', importNs: ['DMA_BUF'], source: here('./vfio_dmabuf.js'),
  exports: [{ macro: 'EXPORT_SYMBOL_FOR_MODULES', name: 'vfio_pci_dma_buf_iommufd_map', impl: vfio_pci_dma_buf_iommufd_map, modules: 'iommufd' }],
});

export const GPU_IMPORTER = defineModule({
  name: 'amdgpu', license: 'GPL and additional rights', importNs: ['DMA_BUF'], source: here('./gpu_importer.js'),
});

export const LEGACY_IMPORTER = defineModule({
  name: 'videobuf2_dma_contig', license: 'GPL', importNs: ['DMA_BUF'], source: here('./legacy_importer.js'),
});

export const RDMA_IMPORTER = defineModule({
  name: 'ib_uverbs', license: 'Dual BSD/GPL', importNs: ['DMA_BUF'], source: here('./rdma_importer.js'),
});

export const IOMMUFD = defineModule({
  name: 'iommufd', license: 'GPL', importNs: ['DMA_BUF'], source: here('./iommufd_importer.js'),
});

export const GPU_EXPORTER = defineModule({
  name: 'xe', license: 'GPL and additional rights', importNs: ['DMA_BUF'], source: here('./gpu_exporter.js'),
});

export const RDMA_ODP = defineModule({
  name: 'mlx5_ib', license: 'Dual BSD/GPL', importNs: ['DMA_BUF'], source: here('./rdma_odp.js'),
});

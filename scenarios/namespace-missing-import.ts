/**
 * S23 (buggy): a module uses dma_buf_export and dma_buf_put (namespace DMA_BUF) without
 * MODULE_IMPORT_NS("DMA_BUF"): the loader refuses it with -EINVAL ("module uses symbol ... from
 * namespace DMA_BUF, but does not import it."). Expected: module-load.
 */
import { defineModule } from '../src/kernel/module/define.js';
import { namespaceScenario } from './lib/nsdemo.js';

export const NSDEMO_NO_IMPORT = defineModule({
  name: 'nsdemo_noimport', license: 'GPL', source: new URL('./lib/nsdemo.js', import.meta.url).href,
});

export const namespaceMissingImport = namespaceScenario('namespace-missing-import', import.meta.url, NSDEMO_NO_IMPORT, 'module-load');

/** S23 fixed twin: the same module with importNs ['DMA_BUF'] loads and runs. Expected: clean. */
import { defineModule } from '../src/kernel/module/define.js';
import { namespaceScenario } from './lib/nsdemo.js';

export const NSDEMO_IMPORTED = defineModule({
  name: 'nsdemo_imported', license: 'GPL', importNs: ['DMA_BUF'], source: new URL('./lib/nsdemo.js', import.meta.url).href,
});

export const namespaceImported = namespaceScenario('namespace-imported', import.meta.url, NSDEMO_IMPORTED, 'clean');

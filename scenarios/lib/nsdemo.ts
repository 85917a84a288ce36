/**
 * A small out-of-tree exporter used by the S23 scenarios: it exports a buffer and drops it. Its
 * module declaration (in the scenario file) decides whether it imports the DMA_BUF namespace.
 */
import { defineScenario } from '../../src/exec/scenario.js';
import type { ModuleDef } from '../../src/kernel/module/define.js';
import { moduleRef } from '../../src/kernel/module/this_module.js';
import { dma_buf_export, dma_buf_put, registerDmaBufOps, type DmaBuf, type KGen, type Task } from '../../src/kernel/index.js';

export const NSDEMO_OPS = registerDmaBufOps('nsdemo_dmabuf_ops', {
  *map_dma_buf(): KGen<number> { return 1; },
  *unmap_dma_buf(): KGen<void> { /* nothing mapped */ },
  *release(): KGen<void> { /* nothing to free */ },
});

/** The S23 scenario for `mod` (a module whose source calls dma_buf_export / dma_buf_put): its
 *  buffer names `mod` as its owner, as DEFINE_DMA_BUF_EXPORT_INFO sets THIS_MODULE. */
export function namespaceScenario(name: string, module: string, mod: ModuleDef, expect: 'clean' | 'module-load') {
  const THIS_MODULE = moduleRef(mod.name);
  return defineScenario({
    name, module, expect, params: {}, modules: [mod],
    setup: () => ({}),
    actors: () => [{
      name: 'nsdemo',
      run: function* (t: Task): KGen<void> {
        const db = dma_buf_export(t, { ops: NSDEMO_OPS, size: 1, priv: 0, owner: THIS_MODULE });
        if (db >= 0) yield* dma_buf_put(t, db as DmaBuf);
      },
    }],
  });
}

/**
 * A user scenario file as a user writes one — TypeScript, its own driver module, the public API —
 * written into a temp dir. It imports the built harness by absolute URL (a user's project would
 * import 'dmabuf-harness'). The scenario is ABBA on two reservation locks without an acquire
 * context, plus a buffer its module exports after a scheduling point taken through the module's
 * own symbol table (`symbols(t, THIS_MODULE)`); expected: deadlock.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT_URL } from './cli.js';

export interface UserScenarioOptions {
  readonly name?: string;
  readonly expect?: string;
  /** Namespaces the module imports (default ['DMA_BUF']). */
  readonly importNs?: readonly string[];
}

/** Write the scenario file into `dir`; returns its path. */
export function writeUserScenario(dir: string, o: UserScenarioOptions = {}): string {
  const lib = `${ROOT_URL.href}dist/src`;
  const text = `import { defineModule, defineScenario, moduleRef, symbols, type KernelApi } from '${lib}/index.js';
import {
  dma_buf_export, dma_buf_put, dma_resv_init, dma_resv_lock, dma_resv_unlock, registerDmaBufOps,
  type DmaBuf, type KGen, type Resv, type Task,
} from '${lib}/kernel/index.js';

const OPS = registerDmaBufOps('user_abba_ops', {
  *map_dma_buf(): KGen<number> { return 1; },
  *unmap_dma_buf(): KGen<void> { /* nothing mapped */ },
  *release(): KGen<void> { /* nothing to free */ },
});

const userAbba = defineModule({ name: 'user_abba', license: 'GPL', importNs: ${JSON.stringify(o.importNs ?? ['DMA_BUF'])}, source: import.meta.url });
const THIS_MODULE = moduleRef<KernelApi>('user_abba');

interface Env { readonly a: Resv; readonly b: Resv }

function* lockBoth(t: Task, first: Resv, second: Resv): KGen<void> {
  yield* dma_resv_lock(t, first, null);
  yield* dma_resv_lock(t, second, null);
  dma_resv_unlock(t, second);
  dma_resv_unlock(t, first);
}

export const userScenario = defineScenario({
  name: ${JSON.stringify(o.name ?? 'user-abba')}, module: import.meta.url, params: {}, expect: ${JSON.stringify(o.expect ?? 'deadlock')},
  modules: [userAbba],
  setup: (t: Task): Env => ({ a: dma_resv_init(t), b: dma_resv_init(t) }),
  actors: () => [
    { name: 'T1', run: (t: Task, e: Env) => lockBoth(t, e.a, e.b) },
    { name: 'T2', run: (t: Task, e: Env) => lockBoth(t, e.b, e.a) },
    { name: 'exporter', run: function* (t: Task): KGen<void> {
      yield* symbols(t, THIS_MODULE).cond_resched(t, 0);
      const db = dma_buf_export(t, { ops: OPS, size: 1, priv: 0 });
      if (db >= 0) yield* dma_buf_put(t, db as DmaBuf);
    } },
  ],
});
`;
  const p = join(dir, 'user-abba.ts');
  writeFileSync(p, text);
  return p;
}

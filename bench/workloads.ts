/** Scenarios the benchmarks drive. */
import { defineScenario } from '../src/exec/scenario.js';
import { cond_resched, type KGen, type Task } from '../src/kernel/index.js';
import { packOp } from '../src/shm/layout.js';
import { OP_YIELD } from '../src/trace/ops.js';

/**
 * `actors` actors, each making `yields` plain scheduling points: measures pure handoff cost. Each
 * point is yielded directly (the minimal actor step: the packed op cond_resched yields, without
 * its generator frame) or, with `modelCall`, through the model's cond_resched — a generator
 * created and delegated to per step, as every blocking model call is.
 */
export const pingPong = defineScenario({
  name: 'bench-ping-pong', module: import.meta.url, expect: 'clean',
  params: { actors: 2, yields: 1000, modelCall: false },
  geometry: { decisions: 1 << 18 },
  setup: () => ({}),
  actors: (p) => Array.from({ length: p.actors }, (_, i) => ({
    name: `a${i}`,
    run: p.modelCall
      ? function* (t: Task): KGen<void> { for (let k = 0; k < p.yields; k++) yield* cond_resched(t, k & 0xff); }
      : function* (): KGen<void> { for (let k = 0; k < p.yields; k++) yield packOp(OP_YIELD, k & 0xff); },
  })),
});

import {
  dma_engine_bind, dma_engine_context, dma_engine_create, dma_engine_resubmit, dma_engine_run, dma_engine_stop, dma_engine_submit,
} from '../src/drivers/dma_engine.js';
import { DMA_ENGINE } from '../src/drivers/modules.js';
import { device_add, dma_fence_context_alloc, dma_fence_init, dma_fence_put, dma_fence_wait, dma_map_sg, phys_alloc, type Fence } from '../src/kernel/index.js';

/**
 * DMA copy bandwidth: a submitter keeps up to `depth` jobs over a mapping of `pages` pages queued,
 * `jobs` in all; one engine copies every page (page size from the executor's `pageBytes`). The
 * queue must outlast the submitter's wake-up latency, or the figure measures submission, not the
 * engine. The submitter reaps completions `reap` at a time (clamped to 1..depth): it sleeps on the
 * newest of the `reap` oldest jobs, then resubmits them all. The engine still signals every fence,
 * but only one signal in `reap` finds the submitter asleep and pays a cross-thread wake-up
 * (interrupt coalescing; the engine runs jobs in submission order, so the others are done).
 */
export const dmaCopy = defineScenario({
  name: 'bench-dma-copy', module: import.meta.url, expect: 'clean',
  params: { pages: 16, jobs: 100, depth: 8, burst: 1, reap: 1 },
  geometry: { pages: 80, jobs: 16, fences: 8192 },
  modules: [DMA_ENGINE],
  setup: (t, p) => {
    const engine = dma_engine_create(t);
    const ctx = dma_engine_context(t, engine);
    const pages = Array.from({ length: p.pages }, () => phys_alloc(t, -1));
    dma_engine_bind(t, ctx, dma_map_sg(t, device_add(t), -1, pages), p.pages);
    return { engine, ctx };
  },
  actors: (p) => [
    { name: 'submitter', run: function* (t: Task, e: { engine: number; ctx: number }): KGen<void> {
      const fctx = dma_fence_context_alloc(t, 1);
      const depth = p.depth;
      const reap = Math.max(1, Math.min(p.reap, depth));
      let seq = 0;
      const jobs: number[] = [];
      const fences: Fence[] = [];
      for (let j = 0; j < depth; j++) {
        fences.push(dma_fence_init(t, fctx, ++seq, { signaler: 1 }));
        jobs.push(dma_engine_submit(t, e.ctx, true, fences[j]!));
      }
      for (let n = depth; n < p.jobs + depth; n += reap) {
        const end = Math.min(n + reap, p.jobs + depth);
        for (let x = end - 1; x >= n; x--) yield* dma_fence_wait(t, fences[x % depth]!, false);
        for (let x = n; x < end; x++) {
          const k = x % depth;
          dma_fence_put(t, fences[k]!);
          if (x >= p.jobs) continue;
          fences[k] = dma_fence_init(t, fctx, ++seq, { signaler: 1 });
          dma_engine_resubmit(t, jobs[k]!, fences[k]!);
        }
      }
      dma_engine_stop(t, e.ctx);
    } },
    { name: 'engine', run: (t: Task, e: { engine: number }) => dma_engine_run(t, e.engine, { speculative: false, burst: p.burst }) },
  ],
});

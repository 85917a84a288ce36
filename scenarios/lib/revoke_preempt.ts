/**
 * Preempt fences in the canonical revoke scenario (revoke.ts, spec `preempt`; GPU importers only):
 * setup makes each importer's preempt fence words, and each importer's worker is an actor of its
 * own after the engines (`preempt_wq<i>`: the driver's workqueue stand-in, preempt_fence_worker).
 * Actor numbering: the exporter 0, importers 1..importers, the engines, then the workers.
 */
import type { ActorDef } from '../../src/exec/scenario.js';
import { dma_buf_resv, type DmaBuf, type Task } from '../../src/kernel/index.js';
import { preempt_fence_create, preempt_fence_worker, type PreemptKnob } from '../../src/drivers/preempt_fence.js';

interface Counts { readonly importers: number; readonly engines: number }

/** The preempt fence words of importer i (context ctxs[i]) over `db`, with `knob` (none without). */
export function preemptFences(t: Task, p: Counts, ctxs: readonly number[], db: DmaBuf, knob: PreemptKnob | undefined): number[] {
  if (knob === undefined) return [];
  const resv = dma_buf_resv(t, db);
  return ctxs.map((ctx, i) => preempt_fence_create(t, ctx, 1 + p.importers + (i % p.engines), 1 + p.importers + p.engines + i, resv, knob));
}

/** The workers' actors (none without a knob): worker i runs the preempt work of importer i. */
export function preemptWorkers<E extends { readonly pfs: readonly number[] }>(p: Counts, knob: PreemptKnob | undefined): ActorDef<E>[] {
  if (knob === undefined) return [];
  return Array.from({ length: p.importers }, (_, i) => ({ name: `preempt_wq${i}`, run: (t: Task, e: E) => preempt_fence_worker(t, e.pfs[i]!) }));
}

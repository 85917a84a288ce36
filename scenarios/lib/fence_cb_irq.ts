/**
 * A driver whose fence callback takes its own spinlock_t, `retire_lock`, on the fence of a DMA
 * engine job: the engine signals the job's fence from its completion interrupt, so the callback
 * runs in hardirq context and the lock is HARDIRQ-safe. After waiting for the job the driver's
 * retire path takes the same lock for its bookkeeping: with plain spin_lock (interrupts on) the
 * lock is also HARDIRQ-unsafe — the next completion interrupt on the CPU holding it spins on it
 * forever — which lockdep reports as "inconsistent lock state" ({IN-HARDIRQ-W} -> {HARDIRQ-ON-W}:
 * the retire path always comes after the interrupt it waited for); with spin_lock_irqsave it
 * is clean. Not a §6 id: the generic lockdep rule, one of the commonest splats of GPU drivers.
 */
import { DMA_ENGINE } from '../../src/drivers/modules.js';
import { dma_engine_bind, dma_engine_context, dma_engine_create, dma_engine_run, dma_engine_stop, dma_engine_submit } from '../../src/drivers/dma_engine.js';
import { defineScenario } from '../../src/exec/scenario.js';
import {
  GFP_KERNEL, SPINLOCK_WORDS, device_add, dma_fence_add_callback, dma_fence_cb_alloc, dma_fence_context_alloc, dma_fence_init,
  dma_fence_put, dma_fence_wait, dma_map_sg, kzalloc_words, phys_alloc, spin_lock, spin_lock_init, spin_lock_irqsave, spin_unlock,
  spin_unlock_irqrestore, type Fence, type FenceCb, type KGen, type Task,
} from '../../src/kernel/index.js';

/** User words: the driver lock's handle, and how many jobs the callback and the retire path saw. */
const W_LOCK = 0;
const W_IRQ_DONE = 1;
const W_RETIRED = 2;

export interface FenceCbIrqEnv { readonly engine: number; readonly ctx: number; readonly job: Fence; readonly cb: FenceCb }

/** The driver's fence callback, run by the engine's completion interrupt: counts the job under the lock. */
function jobDoneIrq(t: Task): void {
  const lock = t.load(W_LOCK);
  spin_lock(t, lock);
  t.add(W_IRQ_DONE);
  spin_unlock(t, lock);
}

/** A DMA engine with one context bound to one page, the driver's lock and its job fence. */
function setup(t: Task): FenceCbIrqEnv {
  const engine = dma_engine_create(t);
  const ctx = dma_engine_context(t, engine);
  dma_engine_bind(t, ctx, dma_map_sg(t, device_add(t), -1, [phys_alloc(t, -1)]), 1);
  const lock = kzalloc_words(t, SPINLOCK_WORDS, GFP_KERNEL, setup);
  spin_lock_init(t, lock, 'retire_lock');
  t.store(W_LOCK, lock);
  return { engine, ctx, job: dma_fence_init(t, dma_fence_context_alloc(t, 1), 1, { signaler: 1 }), cb: dma_fence_cb_alloc(t, 0) };
}

/** The driver: arm the callback, submit the job, wait for it, retire it under the lock. */
function* driver(t: Task, e: FenceCbIrqEnv, irqsave: boolean): KGen<void> {
  dma_fence_add_callback(t, e.job, e.cb, 0);
  dma_engine_submit(t, e.ctx, true, e.job);
  yield* dma_fence_wait(t, e.job, false);
  const lock = t.load(W_LOCK);
  if (irqsave) {
    const flags = spin_lock_irqsave(t, lock);
    t.add(W_RETIRED);
    spin_unlock_irqrestore(t, lock, flags);
  } else {
    spin_lock(t, lock);
    t.add(W_RETIRED);
    spin_unlock(t, lock);
  }
  dma_fence_put(t, e.job);
  dma_engine_stop(t, e.ctx);
}

/** The catalog scenario `name` (defined in `module`): the retire path with spin_lock_irqsave, or not. */
export function fenceCbIrqScenario(name: string, module: string, irqsave: boolean) {
  return defineScenario({
    name, module, params: {}, expect: irqsave ? 'clean' : 'assertion',
    description: irqsave ? 'retire path takes the fence callback\'s lock with spin_lock_irqsave'
      : 'fence callback in the completion IRQ and the retire path take one lock, the latter with irqs on',
    modules: [DMA_ENGINE],
    callbacks: [jobDoneIrq],
    setup,
    actors: () => [
      { name: 'driver', run: (t: Task, e: FenceCbIrqEnv) => driver(t, e, irqsave) },
      { name: 'engine', run: (t: Task, e: FenceCbIrqEnv) => dma_engine_run(t, e.engine, { speculative: false }) },
    ],
  });
}

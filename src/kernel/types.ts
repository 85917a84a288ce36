/**
 * Handle types of model objects: each is a row index in its arena table, branded so a fence
 * cannot be passed where a lock is expected.
 */
export type WwClass = number & { readonly __brand: 'ww_class' };
export type Mutex = number & { readonly __brand: 'mutex' };
export type WwCtx = number & { readonly __brand: 'ww_acquire_ctx' };
export type Fence = number & { readonly __brand: 'dma_fence' };
export type FenceCb = number & { readonly __brand: 'dma_fence_cb' };
export type Resv = number & { readonly __brand: 'dma_resv' };

/**
 * A kernel call that can block or race: a generator whose every `yield` is a scheduling point
 * carrying the pending packed op `(op, object)`; its return value is the C return value.
 */
export type KGen<R> = Generator<number, R, unknown>;

/** Effectively infinite timeout (jiffies). */
export const MAX_SCHEDULE_TIMEOUT = 0x7fffffff;

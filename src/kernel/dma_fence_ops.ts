/**
 * The ops of container fences (the kernel's `const struct dma_fence_ops` of dma_fence_array and
 * dma_fence_chain), the lookup of a fence's ops (a container's, or a driver's own:
 * dma_fence_user_ops.ts) and the callbacks the kernel itself arms on fences. A plain fence has no
 * ops beyond FOPS_ENABLE_SIGNALS; a container's kind bit in F_OPS (FOPS_ARRAY, FOPS_CHAIN) selects
 * its ops here, registered by the container's own file when it is loaded; dma_fence_signal.ts
 * loads both, so every thread that signals or puts a fence has them (a container fence made in
 * one thread may be released in another that never imported its file).
 *
 * Kernel callbacks have fixed ids from KERNEL_CB_BASE on, above every scenario's callback table,
 * so the id stored in a callback node means the same function in every thread.
 *
 * Context: any task; a lookup reads the fence row only.
 */
import { HarnessError } from '../errno/errors.js';
import { FOPS_ARRAY, FOPS_CHAIN, FOPS_USER, F_OPS } from '../shm/layout.js';
import { user_ops, type FenceOpsTable } from './dma_fence_user_ops.js';
import type { FenceCallbackFn, Task } from './task.js';
import type { Fence } from './types.js';

/** The container ops a fence's F_OPS kind bit selects (the same callbacks as a driver's). */
export type ContainerOps = FenceOpsTable;

const CONTAINER_KINDS = FOPS_ARRAY | FOPS_CHAIN;
const OPS_KINDS = CONTAINER_KINDS | FOPS_USER;
const OPS = new Map<number, ContainerOps>();

/** Install the ops of container kind `kind` (FOPS_ARRAY or FOPS_CHAIN). */
export function register_container_ops(kind: number, ops: ContainerOps): void {
  OPS.set(kind, ops);
}

/**
 * The ops of `f` (a current handle): a container's or a driver's (FOPS_USER), undefined for a
 * plain fence — one load and mask, as before driver ops existed. Throws ERR_FENCE_OPS when `f`
 * has kind bits or a driver ops id no ops are registered for (a build defect: skipping the ops
 * would leave the fence never signalled or its references never put).
 */
export function container_ops(t: Task, f: Fence): FenceOpsTable | undefined {
  const word = t.i32[t.arena.fence(f) + F_OPS]!;
  const kind = word & OPS_KINDS;
  if (kind === 0) return undefined;
  if (kind === FOPS_USER) return user_ops(f, word);
  const ops = OPS.get(kind);
  if (ops === undefined) throw new HarnessError('ERR_FENCE_OPS', `fence ${f}: container kind ${kind} has no ops registered`);
  return ops;
}

/** Whether `f` has one of the container kind bits `kind`; a NULL fence (< 0) has none. */
function fence_is_kind(t: Task, f: Fence, kind: number): boolean {
  return f >= 0 && (t.i32[t.arena.fence(f) + F_OPS]! & kind) !== 0;
}

/** dma_fence_is_array: `f` is a dma_fence_array. */
export function dma_fence_is_array(t: Task, f: Fence): boolean {
  return fence_is_kind(t, f, FOPS_ARRAY);
}

/** dma_fence_is_chain: `f` is a dma_fence_chain node. */
export function dma_fence_is_chain(t: Task, f: Fence): boolean {
  return fence_is_kind(t, f, FOPS_CHAIN);
}

/** dma_fence_is_container: `f` is an array or a chain node (to be unwrapped, never nested). */
export function dma_fence_is_container(t: Task, f: Fence): boolean {
  return fence_is_kind(t, f, CONTAINER_KINDS);
}

/** First id of the kernel's own fence callbacks. */
export const KERNEL_CB_BASE = 1 << 20;
/** dma_fence_array_cb_func. */
export const KCB_ARRAY = KERNEL_CB_BASE;
/** dma_fence_chain_cb. */
export const KCB_CHAIN = KERNEL_CB_BASE + 1;
/** dma_buf_poll_cb. */
export const KCB_DMA_BUF_POLL = KERNEL_CB_BASE + 2;
/** dma_fence_default_wait_cb (dma_fence_default_wait_cb.ts). */
export const KCB_DEFAULT_WAIT = KERNEL_CB_BASE + 3;
const KERNEL_CBS = new Map<number, FenceCallbackFn>();

/** Install kernel callback `id` (a KCB_* constant). */
export function register_kernel_callback(id: number, fn: FenceCallbackFn): void {
  KERNEL_CBS.set(id, fn);
}

/** The callback function id `fn` names: a kernel callback, or the scenario's table entry. */
export function fence_callback(t: Task, fn: number): FenceCallbackFn | undefined {
  return fn >= KERNEL_CB_BASE ? KERNEL_CBS.get(fn) : t.callbacks[fn];
}

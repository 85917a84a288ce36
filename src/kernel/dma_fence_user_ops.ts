/**
 * A driver's own fence ops (the kernel's `const struct dma_fence_ops` a driver passes to
 * dma_fence_init: xe's preempt fence, amdgpu's eviction fence): registered by name, like the
 * importer ops, so the id stored in a fence row (F_OPS >>> FOPS_USER_SHIFT, with FOPS_USER) means
 * the same callbacks in every thread that loaded the driver. The core calls them where
 * dma-fence.c does (dma_fence_signal.ts, dma_fence_ref.ts, through dma_fence_ops.ts's lookup):
 *
 * - `enable_signaling`: once per fence (the first dma_fence_enable_sw_signaling, a waiter, or a
 *   callback added), with the fence spinlock held — it must not sleep (it is no generator) and
 *   must not signal through dma_fence_signal (the lock is held: SPIN_RECURSION, a BUG);
 *   returning false reports the fence done or failed, and the core signals it
 *   (dma_fence_signal_locked). Absent: enabling only sets the flag.
 * - `signaled`: may be called from any context, with or without the fence lock; true makes
 *   dma_fence_is_signaled signal the fence. Absent: only the flag tells.
 * - `release`: at the last dma_fence_put; drops what the driver's words hold. Absent: the core
 *   frees the fence (dma_fence_free). A simplification: in the kernel a driver's release owns the
 *   fence's memory and must free it itself (usually dma_fence_free, or kfree_rcu of its container);
 *   the model's core always frees the row once release returns, so a release never frees it.
 * - `set_deadline`: the deadline hint (dma_fence_set_deadline), for an unsignaled fence; any
 *   context, must not sleep. Absent: the hint is ignored.
 *
 * Context: registration at module load (import time), in every thread; lookups read a map.
 */
import { HarnessError } from '../errno/errors.js';
import { FOPS_USER, FOPS_USER_SHIFT } from '../shm/layout.js';
import { ops_name_hash } from './ops_name_hash.js';
import type { Task } from './task.js';
import type { Fence } from './types.js';

/** The callbacks the core calls, complete (a driver's absent ones filled with the core's
 *  default). */
export interface FenceOpsTable {
  /** ops->enable_signaling, called once with the fence lock held: false when the fence is done
   *  already (the caller then signals it). */
  readonly enable_signaling: (t: Task, f: Fence) => boolean;
  /** ops->signaled: whether the fence is done though not yet flagged (any context). */
  readonly signaled: (t: Task, f: Fence) => boolean;
  /** ops->release: drop what the fence holds; the row is freed after it returns. */
  readonly release: (t: Task, f: Fence) => void;
  /** ops->set_deadline (optional, no default): the deadline hint for an unsignaled fence
   *  (dma_fence_deadline.ts); any context, must not sleep. */
  readonly set_deadline?: (t: Task, f: Fence, deadline: number) => void;
}

/** A driver's dma_fence_ops: the names dma_fence_init BUG_ONs without, and the optional
 *  callbacks. */
export interface DmaFenceOps extends Partial<FenceOpsTable> {
  readonly get_driver_name: string;
  readonly get_timeline_name: string;
}

/** A registered ops id, as dma_fence_init's `ops` takes it. */
export type DmaFenceOpsId = number & { readonly __fenceOps: unique symbol };

/** Ids fit F_OPS above the FOPS_* bits, positive. */
const ID_MASK = (1 << (31 - FOPS_USER_SHIFT)) - 1;
const USER_OPS = new Map<number, FenceOpsTable>();
const SOURCES = new Map<number, DmaFenceOps>();
const NAMES = new Map<number, string>();

function idOf(name: string): number {
  return (ops_name_hash(name) & ID_MASK) | 1;
}

/**
 * Register a driver's fence ops under a unique name (e.g. `xe_preempt_fence_ops`); returns the
 * id dma_fence_init takes. Registering the same object again returns the same id. Throws
 * ERR_SCENARIO for ops without a driver or timeline name (missing or empty: dma_fence_init's
 * BUG_ON), for a name registered with other ops, or for two names whose ids collide.
 */
export function dma_fence_ops_register(name: string, ops: DmaFenceOps): DmaFenceOpsId {
  if (!ops.get_driver_name || !ops.get_timeline_name) {
    throw new HarnessError('ERR_SCENARIO', `fence ops ${name}: dma_fence_init BUG_ON(!ops->get_driver_name || !ops->get_timeline_name)`);
  }
  const id = idOf(name);
  const prev = SOURCES.get(id);
  if (prev !== undefined && (prev !== ops || NAMES.get(id) !== name)) {
    throw new HarnessError('ERR_SCENARIO', `fence ops ${name}: id ${id} already registered as ${NAMES.get(id)}`);
  }
  SOURCES.set(id, ops);
  NAMES.set(id, name);
  USER_OPS.set(id, {
    enable_signaling: ops.enable_signaling ?? (() => true),
    signaled: ops.signaled ?? (() => false),
    release: ops.release ?? (() => undefined),
    ...(ops.set_deadline === undefined ? {} : { set_deadline: ops.set_deadline }),
  });
  return id as DmaFenceOpsId;
}

/** The F_OPS word of a fence with driver ops `id`. */
export function user_ops_word(id: DmaFenceOpsId): number {
  return FOPS_USER | (id << FOPS_USER_SHIFT);
}

/** The driver ops an F_OPS word with FOPS_USER names. Throws ERR_FENCE_OPS when none are
 *  registered in this thread (the driver's file was never loaded here: a build defect). */
export function user_ops(f: Fence, word: number): FenceOpsTable {
  const id = word >>> FOPS_USER_SHIFT;
  const ops = USER_OPS.get(id);
  if (ops === undefined) throw new HarnessError('ERR_FENCE_OPS', `fence ${f}: driver ops ${id} not registered in this thread`);
  return ops;
}

/** The name driver ops `id` were registered under (for reports). */
export function dma_fence_ops_name(id: number): string {
  return NAMES.get(id) ?? `fence_ops#${id}`;
}

/** Driver fence ops whose set_deadline records the hints it gets, for the deadline tests. */
import { dma_fence_ops_register, type DmaFenceOpsId, type Fence } from '../fixtures/kernel.js';

/** Registered ops and the [fence, deadline] hints their set_deadline got, in call order
 *  (the test empties `hints` between cases). */
export interface DeadlineRecorder { readonly ops: DmaFenceOpsId; readonly hints: [Fence, number][] }

/** Register ops named `name` (unique per test file) whose set_deadline appends to `hints`. */
export function deadlineRecorder(name: string): DeadlineRecorder {
  const hints: [Fence, number][] = [];
  const ops = dma_fence_ops_register(name, {
    get_driver_name: 'test', get_timeline_name: name,
    set_deadline: (_t, f, deadline) => { hints.push([f, deadline]); },
  });
  return { ops, hints };
}

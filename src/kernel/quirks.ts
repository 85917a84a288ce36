/**
 * Kernel-history switches: a trial may run a core function as it was before a fix (the QUIRK_*
 * bits the scenario's parameters set, exec/prepare.ts). Read-only for the model; main writes the
 * word at trial reset.
 */
import { C_QUIRKS } from '../shm/layout.js';
import type { Task } from './task.js';

/** Whether this trial runs with the historical behaviour `bit` (a QUIRK_* value). Any context. */
export function kernel_quirk(t: Task, bit: number): boolean {
  return (t.i32[t.ctl + C_QUIRKS]! & bit) !== 0;
}

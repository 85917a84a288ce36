/**
 * Lockdep's irq-safety rule (buggy; not a §6 id): a driver's fence callback, run by the DMA
 * engine's completion interrupt, takes the driver's retire_lock, which the retire path takes with
 * plain spin_lock. Expected: assertion, `assertion in spin_lock (inconsistent {IN-HARDIRQ-W} ->
 * {HARDIRQ-ON-W} usage)`, in the first trial (lockdep reports from the lock's usage, not from a
 * deadlock).
 */
import { fenceCbIrqScenario } from './lib/fence_cb_irq.js';

export const fenceCbLockIrqUnsafe = fenceCbIrqScenario('fence-cb-lock-irq-unsafe', import.meta.url, false);

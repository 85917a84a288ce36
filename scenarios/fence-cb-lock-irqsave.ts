/**
 * Lockdep's irq-safety rule, fixed twin: the retire path takes retire_lock with
 * spin_lock_irqsave, so the lock is only ever taken with interrupts off. Expected: clean.
 */
import { fenceCbIrqScenario } from './lib/fence_cb_irq.js';

export const fenceCbLockIrqsave = fenceCbIrqScenario('fence-cb-lock-irqsave', import.meta.url, true);

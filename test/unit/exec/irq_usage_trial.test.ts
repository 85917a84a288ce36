// An inconsistent-lock-state report names the trial whose acquisition set the other usage bit
// (kernel/lockdep_usage.ts: a trial word per usage bit; exec/report.ts): lockdep state lasts the
// arena's boot, so a class used in hardirq in one trial and taken with interrupts on in a later
// one is reported then, naming the earlier trial — which the finding carries for its replays
// (kernel/lockdep_carry.ts).
import { describe, expect, it } from 'vitest';
import { Arena } from '../../../src/shm/arena.js';
import { C_TRIAL, EXEC_INLINE, G_AUX, G_CODE, WAIT_SLEEP } from '../../../src/shm/layout.js';
import { kernelBoot } from '../../../src/kernel/boot.js';
import { Task } from '../../../src/kernel/task.js';
import { warnSpec } from '../../../src/kernel/warn.js';
import { findingMessage } from '../../../src/exec/report.js';
import { spin_lock, spin_unlock } from '../../fixtures/kernel.js';
import { inHardirq, spinlockAlloc } from '../../fixtures/spinlock.js';

const SETTINGS = { actors: 2, mode: EXEC_INLINE, stepLimit: 100, waitPolicy: WAIT_SLEEP, replayLen: 0 } as const;

describe('an inconsistent lock state across trials', () => {
  it('names the earlier trial that set the other usage, and the task', () => {
    const a = Arena.create();
    a.resetTrial(SETTINGS);
    const first = a.ctl(C_TRIAL);
    const u = new Task(a, 0, 'engine');
    kernelBoot(u);
    const lock = spinlockAlloc(u, 'irq_trial_A');
    inHardirq(u, lock);
    a.resetTrial(SETTINGS);
    const t = new Task(a, 1, 'driver');
    const again = spinlockAlloc(t, 'irq_trial_A');
    spin_lock(t, again);
    spin_unlock(t, again);
    const g = a.finding(0);
    const spec = warnSpec(a.i32[g + G_CODE]!)!;
    const lines = findingMessage(a, g, spec, ['engine', 'driver'], 1, spec.fn).split('\n');
    // the record: the other bit's setter (actor + 1: the engine, actor 0) and its trial
    expect([spec.name, a.i32[g + G_AUX + 1], a.i32[g + G_AUX + 2], a.ctl(C_TRIAL) !== first]).toEqual(['LOCK_IRQ_INCONSISTENT_ON', 1, first, true]);
    // the report's line (report.ts formats it; this is the formatter's test)
    expect(lines.some((l) => l.includes(`first used in hardirq by engine in trial ${first} (an earlier trial`))).toBe(true);
  });
});

/**
 * IRQ (lockdep's irq-safety rule, not a §6 id): a fence callback run by the DMA engine's
 * completion interrupt and the driver's retire path take one spinlock, the latter with plain
 * spin_lock — "inconsistent lock state" in the first trial whatever the schedule, on real threads
 * too (the retire path's wait returns only after the interrupt's callback ran: the fence lock); the
 * twin whose retire path uses spin_lock_irqsave stays clean.
 */
import { describe, expect, it } from 'vitest';
import { InlineExecutor } from '../../src/exec/inline.js';
import { StressExecutor } from '../../src/exec/stress.js';
import { withExecutor } from '../support/executor.js';
import { CATALOG } from '../../scenarios/index.js';
import { fenceCbLockIrqUnsafe } from '../../scenarios/fence-cb-lock-irq-unsafe.js';
import { fenceCbLockIrqsave } from '../../scenarios/fence-cb-lock-irqsave.js';

const TITLE = 'assertion in spin_lock (inconsistent {IN-HARDIRQ-W} -> {HARDIRQ-ON-W} usage)';

describe('IRQ fence-cb-lock-irq-unsafe', () => {
  it.each(['random', 'pct:2', 'pos'])('is reported in the first inline trial (%s)', (strategy) => {
    const ex = new InlineExecutor(fenceCbLockIrqUnsafe, { strategy });
    try {
      const r = ex.runTrial(1);
      expect([r.end, r.findings.map((f) => [f.code, f.title])]).toEqual(['done', [['LOCK_IRQ_INCONSISTENT_ON', TITLE]]]);
    } finally {
      ex.close();
    }
  });

  it.each([1, 2, 3, 4, 5])('is reported as {IN-HARDIRQ-W} -> {HARDIRQ-ON-W} in the first stress trial (seed %i)', async (seed) => {
    await withExecutor(new StressExecutor(fenceCbLockIrqUnsafe, { durationMs: 5000, waitPolicy: 'spin' }), async (ex) => {
      const r = await ex.runTrial(seed);
      expect([r.end, r.findings.map((f) => [f.code, f.title])]).toEqual(['done', [['LOCK_IRQ_INCONSISTENT_ON', TITLE]]]);
    });
  });

  it('is in the catalog as IRQ with its fixed twin', () => {
    const pair = CATALOG.filter((e) => e.ref === 'IRQ').map((e) => [e.scenario.name, e.scenario.expect]);
    expect(pair).toEqual([['fence-cb-lock-irq-unsafe', 'assertion'], ['fence-cb-lock-irqsave', 'clean']]);
  });
});

describe('IRQ fixed twin fence-cb-lock-irqsave', () => {
  it.each(['random', 'pct:2'])('stays clean over 2,000 inline trials (%s)', (strategy) => {
    const ex = new InlineExecutor(fenceCbLockIrqsave, { strategy });
    const bad: string[] = [];
    try {
      for (let seed = 0; seed < 2000; seed++) {
        const r = ex.runTrial(seed);
        if (r.end !== 'done' || r.findings.length > 0) bad.push(`seed ${seed}: ${r.end} ${r.findings.map((f) => f.title).join(', ')}`);
      }
    } finally {
      ex.close();
    }
    expect(bad).toEqual([]);
  });
});

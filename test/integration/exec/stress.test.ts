import { describe, expect, it } from 'vitest';
import { StressExecutor } from '../../../src/exec/stress.js';
import { crashBesideSpinner, plantedDeadlock, sleepThenSignal, spinsForever } from '../../fixtures/stress/ww_stress.js';
import { expectCleanStress } from '../../support/stress.js';
import { LOWEST, awakeCount } from '../../fixtures/stress/awake_count.js';
import { ELAPSED_US, usleepStress } from '../../fixtures/stress/usleep.js';
import { lateStart } from '../../fixtures/stress/late_start.js';
import { C_AWAKE } from '../../../src/shm/layout.js';

describe('stress executor (short runs; the 10 s runs are in the stress tier)', () => {
  it.each([
    ['inorder', true], ['inorder', false], ['reorder', true], ['reorder', false],
  ] as const)('runs the W6/W7 %s workload (wait-die %s) with -EDEADLK injection, every actor progressing, clean', async (mode, waitDie) => {
    await expectCleanStress(mode, waitDie, 600);
  });

  it('reports a planted deadlock with its cycle and ends its workers within 2 s', async () => {
    const ex = new StressExecutor(plantedDeadlock, { durationMs: 20_000, stallMs: 300 });
    try {
      const r = await ex.runTrial(3);
      expect(r.end).toBe('deadlock');
      const f = r.findings.find((x) => x.kind === 'deadlock');
      expect(f?.title).toBe('deadlock in mutex_lock');
      expect(f?.waits?.map((w) => w.actor).sort()).toEqual([0, 1]);
      expect(r.teardownMs).toBeLessThan(2000);
      expect(r.wallMs).toBeLessThan(10_000);
    } finally {
      await ex.close();
    }
  });

  it('reports an actor that runs without yielding as a hang and terminates its worker within 2 s', async () => {
    const ex = new StressExecutor(spinsForever, { durationMs: 20_000, stallMs: 300 });
    try {
      const r = await ex.runTrial(4);
      expect(r.end).toBe('aborted');
      expect(r.findings.map((f) => f.title)).toEqual(['hang in watchdog']);
      expect(ex.actorNames[r.findings[0]!.actor]).toBe('spinner');
      expect(r.teardownMs).toBeLessThan(2000);
    } finally {
      await ex.close();
    }
  });

  it('ends a trial an actor crashed while another runs without yielding: the crash reported, the spinner terminated within 2 s', async () => {
    const ex = new StressExecutor(crashBesideSpinner, { durationMs: 20_000, stallMs: 300 });
    try {
      const r = await ex.runTrial(5);
      expect(r.end).toBe('crash');
      expect(r.findings.map((f) => f.kind)).toEqual(['crash']);
      expect(r.findings[0]!.actor).toBe(1);
      expect(r.findings[0]!.message, 'the crasher\'s own error, not the spinner\'s termination').toContain('planted crash');
      expect(r.teardownMs).toBeGreaterThan(0);
      expect(r.teardownMs).toBeLessThan(2000);
      expect(r.wallMs).toBeLessThan(10_000);
    } finally {
      await ex.close();
    }
  });

  it('does not call a stall while a timed sleeper still has time ahead (others blocked untimed)', async () => {
    const ex = new StressExecutor(sleepThenSignal, { durationMs: 20_000, stallMs: 300 });
    try {
      const r = await ex.runTrial(5);
      expect(r.end).toBe('done');
      expect(r.findings).toEqual([]);
      expect(r.wallMs).toBeGreaterThanOrEqual(1400);
    } finally {
      await ex.close();
    }
  });

  it('does not call a stall while an actor\'s thread has not taken it up yet (the other blocked untimed)', async () => {
    const ex = new StressExecutor(lateStart, { durationMs: 20_000, stallMs: 300, params: { startMs: 1200 } });
    try {
      const r = await ex.runTrial(7);
      expect(r.end).toBe('done');
      expect(r.findings).toEqual([]);
    } finally {
      await ex.close();
    }
  });

  it('counts an actor asleep out of the awake actors, and every actor out once the trial ends', async () => {
    const ex = new StressExecutor(awakeCount, { durationMs: 20_000, stallMs: 2000 });
    try {
      const r = await ex.runTrial(6);
      expect(r.end).toBe('done');
      expect(r.user[LOWEST]).toBe(1);
      expect(ex.arena.ctl(C_AWAKE)).toBe(0);
    } finally {
      await ex.close();
    }
  });

  it('sleeps usleep_range\'s microseconds on the wall clock', async () => {
    const ex = new StressExecutor(usleepStress, { durationMs: 20_000, params: { us: 3000 } });
    try {
      const r = await ex.runTrial(7);
      expect(r.end).toBe('done');
      expect(r.user[ELAPSED_US]).toBeGreaterThanOrEqual(3000);
      expect(r.user[ELAPSED_US]).toBeLessThan(1_000_000);
    } finally {
      await ex.close();
    }
  });

  it('does not call a long usleep_range a stall, and the sleeper notices the trial end within a slice', async () => {
    const ex = new StressExecutor(usleepStress, { durationMs: 100, graceMs: 400, stallMs: 200, params: { us: 5_000_000 } });
    try {
      const r = await ex.runTrial(8);
      expect(r.end).toBe('aborted');
      expect(r.findings.map((f) => f.kind)).not.toContain('deadlock');
      expect(r.wallMs).toBeLessThan(2000);
      expect(r.teardownMs).toBeLessThan(200);
    } finally {
      await ex.close();
    }
  });
});

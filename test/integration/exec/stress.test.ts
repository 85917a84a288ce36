import { describe, expect, it } from 'vitest';
import { STRESS_NOTICE_MS, STRESS_TERMINATE_MS, StressExecutor, type StressResult } from '../../../src/exec/stress.js';
import {
  crashBesideSpinner, plantedDeadlock, sleepThenSignal, spinsForever, wwStressStarved,
} from '../../fixtures/stress/ww_stress.js';
import { expectCleanStress } from '../../support/stress.js';
import { PROGRESS_CPU_MS, measureStress, starvedActors } from '../../support/stress_progress.js';
import { LOWEST, awakeCount } from '../../fixtures/stress/awake_count.js';
import { ELAPSED_US, usleepStress } from '../../fixtures/stress/usleep.js';
import { lateStart } from '../../fixtures/stress/late_start.js';
import { computeOnce } from '../../fixtures/stress/compute_once.js';
import { C_AWAKE } from '../../../src/shm/layout.js';
import { withExecutor } from '../../support/executor.js';
import { expectStartupHang } from '../../support/startup_hang.js';
import { withOwnCpuWait } from '../../support/cpu_wait.js';
import { blocksOnce } from '../../fixtures/stress/blocks_once.js';
import { tempDir } from '../../support/cli.js';
import { join } from 'node:path';

/**
 * The teardown's promise: the workers notice the end within STRESS_NOTICE_MS or are terminated
 * within STRESS_TERMINATE_MS more (2 s). Both are waits on this thread's timers, which fire late
 * by however long this thread then waits for a CPU: on a loaded machine the wall time exceeds 2 s
 * with the product keeping its bounds. So the teardown is held to them in counted time, its wall
 * time less this thread's wait for a CPU during the trial (withOwnCpuWait).
 */
async function endsWorkersInBound(trial: () => Promise<StressResult>): Promise<StressResult> {
  const [r, waitedMs] = await withOwnCpuWait(trial);
  expect(r.teardownMs - waitedMs).toBeLessThan(STRESS_NOTICE_MS + STRESS_TERMINATE_MS);
  return r;
}

describe('stress executor (short runs; the 10 s runs are in the stress tier)', () => {
  it.each([
    ['inorder', true], ['inorder', false], ['reorder', true], ['reorder', false],
  ] as const)('runs the W6/W7 %s workload (wait-die %s) with -EDEADLK injection, every actor progressing, clean', async (mode, waitDie) => {
    await expectCleanStress(mode, waitDie, 600);
  });

  it.each([true, false])('finds the actor that never wins (wait-die %s) starved: on a CPU past PROGRESS_CPU_MS, no round', async (waitDie) => {
    const { trials, progress } = await measureStress(wwStressStarved, { mode: 'reorder', waitDie, starved: 2 }, 600, 4, 16);
    expect(trials).toHaveLength(1);
    expect(trials[0]!.end).toBe('done');
    expect(progress[2]!.cpuMs).toBeGreaterThanOrEqual(PROGRESS_CPU_MS);
    expect(starvedActors(progress)).toEqual([2]);
  });

  it('reports a planted deadlock with its cycle and ends its workers within 2 s', async () => {
    const r = await endsWorkersInBound(() => withExecutor(new StressExecutor(plantedDeadlock, { durationMs: 20_000, stallMs: 300 }), (ex) => ex.runTrial(3)));
    expect(r.end).toBe('deadlock');
    const f = r.findings.find((x) => x.kind === 'deadlock');
    expect(f?.title).toBe('deadlock in mutex_lock');
    expect(f?.waits?.map((w) => w.actor).sort()).toEqual([0, 1]);
    expect(r.wallMs).toBeLessThan(10_000);
  });

  it('reports an actor that runs without yielding as a hang and terminates its worker within 2 s', async () => {
    await withExecutor(new StressExecutor(spinsForever, { durationMs: 20_000, stallMs: 300 }), async (ex) => {
      const r = await endsWorkersInBound(() => ex.runTrial(4));
      expect(r.end).toBe('aborted');
      expect(r.findings.map((f) => f.title)).toEqual(['hang in watchdog']);
      expect(ex.actorNames[r.findings[0]!.actor]).toBe('spinner');
    });
  });

  it('ends a trial an actor crashed while another runs without yielding: the crash reported, the spinner terminated within 2 s', async () => {
    const r = await endsWorkersInBound(() => withExecutor(new StressExecutor(crashBesideSpinner, { durationMs: 20_000, stallMs: 300 }), (ex) => ex.runTrial(5)));
    expect(r.end).toBe('crash');
    expect(r.findings.map((f) => f.kind)).toEqual(['crash']);
    expect(r.findings[0]!.actor).toBe(1);
    expect(r.findings[0]!.message, 'the crasher\'s own error, not the spinner\'s termination').toContain('planted crash');
    expect(r.teardownMs).toBeGreaterThan(0);
    expect(r.wallMs).toBeLessThan(10_000);
  });

  it('runs the next trial once a hung trial\'s thread that outlived its termination bound is gone', async () => {
    const marker = join(tempDir('blocks-once-'), 'marker');
    await withExecutor(new StressExecutor(blocksOnce, { durationMs: 20_000, stallMs: 300, params: { marker, sleepS: 4 } }), async (ex) => {
      const hung = await ex.runTrial(1);
      expect(hung.findings.map((f) => f.title)).toEqual(['hang in watchdog']);
      expect(hung.teardownMs, 'the thread outlived the teardown\'s bounds').toBeGreaterThanOrEqual(STRESS_NOTICE_MS + STRESS_TERMINATE_MS);
      const next = await ex.runTrial(2);
      expect([next.end, next.findings]).toEqual(['done', []]);
    });
  });

  it('does not call a stall while a timed sleeper still has time ahead (others blocked untimed)', async () => {
    const r = await withExecutor(new StressExecutor(sleepThenSignal, { durationMs: 20_000, stallMs: 300 }), (ex) => ex.runTrial(5));
    expect(r.end).toBe('done');
    expect(r.findings).toEqual([]);
    expect(r.wallMs).toBeGreaterThanOrEqual(1400);
  });

  it.each([
    ['no stall while an actor\'s thread has not taken it up yet (the other blocked untimed)', { durationMs: 20_000, stallMs: 300 }],
    ['its clocks start once the actor threads have taken the trial up: a start-up longer than the duration and grace is no hang', { durationMs: 50, graceMs: 300, stallMs: 300 }],
  ] as const)('a late-starting actor: %s', async (_label, limits) => {
    const r = await withExecutor(new StressExecutor(lateStart, { ...limits, params: { startMs: 1200 } }), (ex) => ex.runTrial(7));
    expect(r.end).toBe('done');
    expect(r.findings).toEqual([]);
  });

  it('ends a trial whose actor thread does not take it up within the start-up bound as a hang', async () => {
    await withExecutor(new StressExecutor(lateStart, { durationMs: 20_000, stallMs: 300, startupMs: 500, params: { startMs: 60_000 } }), async (ex) => {
      await endsWorkersInBound(() => expectStartupHang(() => ex.runTrial(7)));
    });
  });

  // The reader stands for a loaded machine: the actor's thread shows its whole wall time as
  // waiting for a CPU. Where the OS reports nothing (the reader's undefined), the wall clock rules.
  it.each([
    ['waited for a CPU throughout: no stall', (): number => performance.now() * 1e6, 'done', []],
    ['is not reported: a stall, as on the wall clock', (): undefined => undefined, 'aborted', ['hang in watchdog']],
  ] as const)('does not count the time a computing actor\'s thread %s', async (_label, readWaitNs, end, titles) => {
    const r = await withExecutor(new StressExecutor(computeOnce, { durationMs: 20_000, stallMs: 300, readWaitNs, params: { spinMs: 900 } }), (ex) => ex.runTrial(9));
    expect(r.end).toBe(end);
    expect(r.findings.map((f) => f.title)).toEqual(titles);
  });

  it.each(['msleep', 'wait_event'] as const)('counts an actor asleep (%s) out of the awake actors, and every actor out once the trial ends', async (sleep) => {
    await withExecutor(new StressExecutor(awakeCount, { durationMs: 20_000, stallMs: 2000, params: { sleep } }), async (ex) => {
      const r = await ex.runTrial(6);
      expect(r.end).toBe('done');
      expect(r.user[LOWEST]).toBe(1);
      expect(ex.arena.ctl(C_AWAKE)).toBe(0);
    });
  });

  it('sleeps usleep_range\'s microseconds on the wall clock', async () => {
    const r = await withExecutor(new StressExecutor(usleepStress, { durationMs: 20_000, params: { us: 3000 } }), (ex) => ex.runTrial(7));
    expect(r.end).toBe('done');
    expect(r.user[ELAPSED_US]).toBeGreaterThanOrEqual(3000);
    expect(r.user[ELAPSED_US]).toBeLessThan(1_000_000);
  });

  it('does not call a long usleep_range a stall, and the sleeper notices the trial end within a slice', async () => {
    const r = await withExecutor(new StressExecutor(usleepStress, { durationMs: 100, graceMs: 400, stallMs: 200, params: { us: 60_000_000 } }), (ex) => ex.runTrial(8));
    expect(r.end).toBe('aborted');
    expect(r.findings.map((f) => f.kind)).not.toContain('deadlock');
    // Ended by the grace (counted from when the threads took the trial up), not by the 60 s sleep.
    expect(r.wallMs).toBeLessThan(30_000);
    expect(r.teardownMs).toBeLessThan(200);
  });
});

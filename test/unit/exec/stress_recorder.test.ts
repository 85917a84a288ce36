/** The actor-side recorder: marks become latencies, trace events become lock counters, wake calls
 *  become wake-up counts and time, and each trial adds the thread's CPU times. */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { MARK_BEGIN, MARK_END, PH_DMA_JOB, PH_MAP, PH_REVOKE } from '../../../src/kernel/phases.js';
import { WAITK_FENCE, WAITK_MUTEX, packOp } from '../../../src/shm/layout.js';
import { EV_ACQUIRED, EV_EDEADLK, EV_RELEASED, OP_LOCK_WAIT } from '../../../src/trace/ops.js';
import { createDeviceMemory } from '../../../src/shm/devmem.js';
import { StressRecorder } from '../../../src/exec/stress-recorder.js';
import { futexWake } from '../../../src/shm/futex.js';
import type { ThreadCpu } from '../../../src/exec/thread_cpu.js';
import { W_ASLEEP, W_GEN, W_STOP, W_WORDS } from '../../../bench/wake-worker.js';
import {
  ST_BLOCKED_FENCE_MS, ST_BLOCKED_LOCK_MS, ST_CPU_MS, ST_DMA_BYTES, ST_LOCK_ACQUIRED, ST_LOCK_BACKOFF, ST_LOCK_CONTENDED, ST_RUNQ_MS,
  ST_SLICES, ST_WAKES, ST_WAKE_MS, StressStats, createStressStats,
} from '../../../src/exec/stress-stats.js';

/** The wake bench's sleeper thread: announces itself (W_ASLEEP), then sleeps on W_GEN. */
const SLEEPER = new URL('../../../bench/wake-worker.js', import.meta.url);

function setup(readCpu?: () => ThreadCpu | undefined): { rec: StressRecorder; stats: StressStats } {
  const shared = createStressStats(2, 8, 100, performance.timeOrigin + performance.now());
  const rec = new StressRecorder(readCpu);
  rec.begin(shared, 1);
  return { rec, stats: new StressStats(shared) };
}

describe('StressRecorder', () => {
  it('records a phase from its begin to its end, and ignores an end without a begin', () => {
    const { rec, stats } = setup();
    rec.mark(PH_REVOKE, MARK_BEGIN);
    rec.mark(PH_REVOKE, MARK_END);
    rec.mark(PH_REVOKE, MARK_END);
    rec.mark(PH_MAP, MARK_END);
    expect(stats.histogram(1, PH_REVOKE).count).toBe(1);
    expect(stats.histogram(1, PH_REVOKE).min).toBeGreaterThanOrEqual(0);
    expect(stats.histogram(1, PH_MAP).count).toBe(0);
    expect(stats.histogram(0, PH_REVOKE).count).toBe(0);
  });

  it('counts acquisitions, contention and -EDEADLK from trace events', () => {
    const { rec, stats } = setup();
    for (const op of [EV_ACQUIRED, EV_ACQUIRED, OP_LOCK_WAIT, EV_EDEADLK, EV_RELEASED]) rec.traced(packOp(op, 3));
    expect([ST_LOCK_ACQUIRED, ST_LOCK_CONTENDED, ST_LOCK_BACKOFF].map((c) => stats.counter(1, c))).toEqual([2, 1, 1]);
  });

  it('adds blocked time by wait kind', () => {
    const { rec, stats } = setup();
    rec.blocked(WAITK_MUTEX, 1.5);
    rec.blocked(WAITK_FENCE, 2);
    expect([stats.counter(1, ST_BLOCKED_LOCK_MS), stats.counter(1, ST_BLOCKED_FENCE_MS)]).toEqual([1.5, 2]);
  });

  it('counts device-memory bytes and credits them when a DMA job ends', () => {
    const { rec, stats } = setup();
    const m = rec.devmem(createDeviceMemory(4, 1, 4096));
    expect(rec.devmem(createDeviceMemory(1, 1, 4096))).not.toBe(m);
    rec.mark(PH_DMA_JOB, MARK_BEGIN);
    m.copy(0, 4096, 4096);
    m.copy(4096, 0, 4096);
    rec.mark(PH_DMA_JOB, MARK_END);
    expect(stats.counter(1, ST_DMA_BYTES)).toBe(8192);
    expect(stats.series(1).reduce((a, b) => a + b, 0)).toBe(8192);
  });

  it('counts the sleepers a wake call woke, and times every call', async () => {
    const { rec, stats } = setup();
    const h = new Int32Array(new SharedArrayBuffer(W_WORDS * 4));
    expect(rec.wake(h, W_GEN, 1)).toBe(0);
    expect(stats.counter(1, ST_WAKES)).toBe(0);
    // The sleeper announces itself just before it sleeps; wake until the call finds it asleep.
    const sleeper = new Worker(SLEEPER, { workerData: { sab: h.buffer, role: 'sleeper' } });
    const deadline = performance.now() + 10_000;
    let woke = 0;
    while (woke === 0 && performance.now() < deadline) if (Atomics.load(h, W_ASLEEP) === 1) woke = rec.wake(h, W_GEN, 1);
    Atomics.store(h, W_STOP, 1);
    Atomics.add(h, W_GEN, 1);
    futexWake(h, W_GEN);
    await new Promise((done) => sleeper.once('exit', done));
    expect(woke).toBe(1);
    expect(stats.counter(1, ST_WAKES)).toBe(1);
    expect(stats.counter(1, ST_WAKE_MS)).toBeGreaterThan(0);
  });

  it('does nothing when the trial carries no statistics', () => {
    const { rec, stats } = setup();
    rec.begin(undefined, 1);
    rec.mark(PH_REVOKE, MARK_BEGIN);
    rec.mark(PH_REVOKE, MARK_END);
    rec.traced(packOp(EV_ACQUIRED, 0));
    expect(rec.wake(new Int32Array(new SharedArrayBuffer(4)), 0, 1)).toBe(0);
    expect(stats.histogram(1, PH_REVOKE).count).toBe(0);
    expect(stats.counter(1, ST_LOCK_ACQUIRED)).toBe(0);
    expect([stats.counter(1, ST_WAKES), stats.counter(1, ST_WAKE_MS)]).toEqual([0, 0]);
  });

  it('adds the thread\'s CPU times from the start to the end of each trial', () => {
    const readings: ThreadCpu[] = [
      { runNs: 1e6, waitNs: 0, slices: 1 }, { runNs: 5e6, waitNs: 2e6, slices: 4 },
      { runNs: 9e6, waitNs: 2e6, slices: 6 }, { runNs: 10e6, waitNs: 3.5e6, slices: 7 },
    ];
    const { rec, stats } = setup(() => readings.shift());
    rec.finish();
    rec.begin(stats.shared, 1);
    rec.finish();
    expect([ST_CPU_MS, ST_RUNQ_MS, ST_SLICES].map((c) => stats.counter(1, c))).toEqual([5, 3.5, 4]);
    expect(stats.counter(0, ST_CPU_MS)).toBe(0);
  });

  it('marks the CPU times not reported (NaN) when the OS gives none, for the rest of the run', () => {
    const readings: (ThreadCpu | undefined)[] = [undefined, { runNs: 1e6, waitNs: 0, slices: 1 }, { runNs: 2e6, waitNs: 0, slices: 2 }];
    const { rec, stats } = setup(() => readings.shift());
    rec.finish();
    rec.begin(stats.shared, 1);
    rec.finish();
    expect([ST_CPU_MS, ST_RUNQ_MS, ST_SLICES].map((c) => stats.counter(1, c))).toEqual([NaN, NaN, NaN]);
  });

  it('reads no CPU times when the trial carries no statistics', () => {
    let reads = 0;
    const rec = new StressRecorder(() => { reads++; return undefined; });
    rec.begin(undefined, 0);
    rec.finish();
    expect(reads).toBe(0);
  });
});

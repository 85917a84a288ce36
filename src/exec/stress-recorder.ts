/**
 * The stress actor's timing recorder (actor-thread side): what the Task hooks `mark`, `traced` and
 * `wake`, the stress loop's blocked-time report and the device-memory copy do when a run collects
 * statistics, and the thread's CPU times over each trial (from `begin` to `finish`). One recorder
 * per hosted actor, re-pointed at each trial's statistics buffer (or disabled when the task carries
 * none, at the cost of one flag test per call).
 *
 * Latency = wall time between a phase's MARK_BEGIN and MARK_END in this thread; DMA bytes are
 * counted as device memory copies them and credited to the time series when a DMA job ends.
 */
import type { DeviceMemory } from '../shm/devmem.js';
import { futexWake } from '../shm/futex.js';
import { WAITK_FENCE, WAITK_MUTEX, WAITK_WORD, opOf } from '../shm/layout.js';
import { EV_ACQUIRED, EV_EDEADLK, OP_LOCK_WAIT } from '../trace/ops.js';
import { MARK_BEGIN, PHASE_COUNT, PH_DMA_JOB } from '../kernel/phases.js';
import {
  ST_BLOCKED_EVENT_MS, ST_BLOCKED_FENCE_MS, ST_BLOCKED_LOCK_MS, ST_DMA_BYTES, ST_LOCK_ACQUIRED,
  ST_CPU_MS, ST_LOCK_BACKOFF, ST_LOCK_CONTENDED, ST_RUNQ_MS, ST_SLEEP_MS, ST_SLICES, ST_WAKES, ST_WAKE_MS, StressStats,
  type StressStatsShared,
} from './stress-stats.js';
import { readThreadCpu, type ThreadCpu } from './thread_cpu.js';

const wallMs = (): number => performance.timeOrigin + performance.now();

export class StressRecorder {
  private stats: StressStats | undefined;
  private on = false;
  private actor = 0;
  private readonly begins = new Float64Array(PHASE_COUNT).fill(NaN);
  /** Bytes copied since they were last credited to the series. */
  private pending = 0;
  private wrapped: { raw: DeviceMemory; counting: DeviceMemory } | undefined;
  /** The thread's CPU times when the trial began (undefined: not reported). */
  private cpuAtBegin: ThreadCpu | undefined;
  private readonly readCpu: () => ThreadCpu | undefined;

  /** `readCpu` reads the calling thread's CPU times (tests give a fake). */
  constructor(readCpu: () => ThreadCpu | undefined = readThreadCpu) {
    this.readCpu = readCpu;
  }

  /** Point the recorder at this trial's statistics (none: disabled) for actor `actor`. */
  begin(shared: StressStatsShared | undefined, actor: number): void {
    this.on = shared !== undefined;
    this.actor = actor;
    this.begins.fill(NaN);
    this.pending = 0;
    if (shared === undefined) return;
    if (this.stats?.shared.sab !== shared.sab) this.stats = new StressStats(shared);
    this.cpuAtBegin = this.readCpu();
  }

  /** Task hook: a phase boundary. */
  mark(phase: number, edge: number): void {
    if (!this.on) return;
    const now = performance.now();
    if (edge === MARK_BEGIN) { this.begins[phase] = now; return; }
    const b = this.begins[phase]!;
    if (Number.isNaN(b)) return;
    this.begins[phase] = NaN;
    this.stats!.record(this.actor, phase, Math.round((now - b) * 1e6));
    if (phase === PH_DMA_JOB) this.flushBytes();
  }

  /** Task hook: a trace event was recorded (lock acquisitions, contention, -EDEADLK). */
  traced(packed: number): void {
    if (!this.on) return;
    const op = opOf(packed);
    if (op === EV_ACQUIRED) this.stats!.add(this.actor, ST_LOCK_ACQUIRED, 1);
    else if (op === OP_LOCK_WAIT) this.stats!.add(this.actor, ST_LOCK_CONTENDED, 1);
    else if (op === EV_EDEADLK) this.stats!.add(this.actor, ST_LOCK_BACKOFF, 1);
  }

  /** The stress loop slept `ms` blocked on a wait of kind `kind` (WAITK_*). */
  blocked(kind: number, ms: number): void {
    if (!this.on) return;
    const c = kind === WAITK_MUTEX ? ST_BLOCKED_LOCK_MS : kind === WAITK_FENCE ? ST_BLOCKED_FENCE_MS
      : kind === WAITK_WORD ? ST_BLOCKED_EVENT_MS : ST_SLEEP_MS;
    this.stats!.add(this.actor, c, ms);
  }

  /** Task hook: wake up to `count` sleepers on word `index` of `i32`, counting those woken and
   *  timing the call. Returns how many woke. */
  wake(i32: Int32Array, index: number, count: number): number {
    if (!this.on) return futexWake(i32, index, count);
    const t0 = performance.now();
    const n = futexWake(i32, index, count);
    this.stats!.add(this.actor, ST_WAKE_MS, performance.now() - t0);
    if (n > 0) this.stats!.add(this.actor, ST_WAKES, n);
    return n;
  }

  /** `m` with a copy that counts the bytes it moves (the same object for the same `m`). */
  devmem(m: DeviceMemory): DeviceMemory {
    if (this.wrapped?.raw !== m) {
      const raw = m.copy;
      const counting: DeviceMemory = { ...m, copy: (dst, src, len) => { this.pending += len; raw(dst, src, len); } };
      this.wrapped = { raw: m, counting };
    }
    return this.wrapped.counting;
  }

  /** The actor's trial is over: credit what is still pending, and the thread's CPU times since
   *  `begin` (NaN when either reading is missing). */
  finish(): void {
    if (!this.on) return;
    this.flushBytes();
    const was = this.cpuAtBegin;
    const now = was === undefined ? undefined : this.readCpu();
    const d = (k: keyof ThreadCpu): number => (now === undefined ? NaN : now[k] - was![k]);
    const s = this.stats!;
    s.add(this.actor, ST_CPU_MS, d('runNs') / 1e6);
    s.add(this.actor, ST_RUNQ_MS, d('waitNs') / 1e6);
    s.add(this.actor, ST_SLICES, d('slices'));
  }

  private flushBytes(): void {
    if (this.pending === 0) return;
    this.stats!.add(this.actor, ST_DMA_BYTES, this.pending);
    this.stats!.addSeries(this.actor, wallMs(), this.pending);
    this.pending = 0;
  }
}

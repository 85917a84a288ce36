/** A thread's CPU times from Linux schedstat: the reading thread's own, split into running and
 *  waiting runnable, or another thread's of this process by its id; missing or malformed files
 *  read as not reported. */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { futexWait } from '../../../src/shm/futex.js';
import { spin } from '../../fixtures/spin.js';
import { parseSchedstat, parseThreadSelf, readTaskCpu, readThreadCpu, threadId, type ThreadCpu } from '../../../src/exec/thread_cpu.js';

const MODULE = new URL('../../../src/exec/thread_cpu.js', import.meta.url).href;
const FUTEX = new URL('../../../src/shm/futex.js', import.meta.url).href;

/** Sleep `ms` on a word nobody notifies. */
const nap = (ms: number): void => { futexWait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms); };

/** Whether this OS reports thread CPU times (Linux schedstat): the tests of real readings need it. */
const reported = readThreadCpu() !== undefined;

const delta = (a: ThreadCpu, b: ThreadCpu): { runMs: number; waitMs: number } => ({ runMs: (b.runNs - a.runNs) / 1e6, waitMs: (b.waitNs - a.waitNs) / 1e6 });

describe('parseSchedstat', () => {
  it('reads run time, wait time and timeslices', () => {
    expect(parseSchedstat('187901 2500 17\n')).toEqual({ runNs: 187901, waitNs: 2500, slices: 17 });
  });

  it.each(['', 'x y z', '1 2', '1 2 3 4', '1 -2 3', '1.5 2 3', '0 0 0'])('refuses %j (never ran: no figures)', (text) => {
    expect(parseSchedstat(text)).toBeUndefined();
  });
});

describe('readThreadCpu', () => {
  it('reads as not reported where the file is missing', () => {
    expect(readThreadCpu('/nonexistent/schedstat')).toBeUndefined();
  });

  // The kernel brings a running thread's figure up to date at ticks and when it sleeps: a 1 ms
  // nap before each reading makes the reading exact rather than up to a tick old. Time the
  // hypervisor steals from the VM counts as neither running nor runnable, so on a loaded host a
  // spin may show less than half its wall time: the lower bound gets three attempts, the upper
  // bounds hold on every one.
  it.skipIf(!reported)('counts a spin as time running or runnable, and a sleep as neither', () => {
    const shown: number[] = [];
    for (let attempt = 0; attempt < 3 && Math.max(0, ...shown) <= 0.5; attempt++) {
      nap(1);
      const a = readThreadCpu()!;
      const t0 = performance.now();
      spin(30);
      const spun = performance.now() - t0;
      nap(1);
      const b = readThreadCpu()!;
      nap(30);
      const c = readThreadCpu()!;
      const s = delta(a, b);
      expect(s.runMs).toBeLessThan(spun + 5);
      expect(delta(b, c).runMs).toBeLessThan(5);
      shown.push((s.runMs + s.waitMs) / spun);
    }
    expect(Math.max(...shown), `share of the spin's wall time shown, per attempt: ${shown.join(', ')}`).toBeGreaterThan(0.5);
  });

  // As above: a 1 ms nap before each reading, and three attempts at the lower bound (a loaded
  // host's hypervisor may steal most of one 40 ms spin).
  it.skipIf(!reported)('reads the calling thread: a worker that spins sees its own spin, not the idle main thread', async () => {
    const code = `const { parentPort, workerData } = require('node:worker_threads');
      Promise.all([import(workerData.url), import(workerData.futex)]).then(([{ readThreadCpu }, { futexWait }]) => {
        const nap = () => futexWait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
        let best = 0;
        for (let i = 0; i < 3 && best <= 20; i++) {
          nap(); const a = readThreadCpu(); const end = performance.now() + 40; while (performance.now() < end);
          nap(); const b = readThreadCpu(); best = Math.max(best, (b.runNs + b.waitNs - a.runNs - a.waitNs) / 1e6);
        }
        parentPort.postMessage(best);
      });`;
    const w = new Worker(code, { eval: true, workerData: { url: MODULE, futex: FUTEX } });
    const ms = await new Promise<number>((done, fail) => { w.once('message', done); w.once('error', fail); });
    await w.terminate();
    expect(ms).toBeGreaterThan(20);
  });
});

describe('parseThreadSelf', () => {
  it('reads the thread id of a /proc/thread-self link', () => {
    expect(parseThreadSelf('4021/task/4033')).toBe(4033);
  });

  it.each(['', '4021', '4021/task/', 'task/4033', '4021/task/0', '4021/task/x', '4021/task/99999999999999999999'])('refuses %j (no thread id: 0)', (link) => {
    expect(parseThreadSelf(link)).toBe(0);
  });
});

describe('readTaskCpu', () => {
  it('reads as not reported for a thread this process does not have', () => {
    expect(readTaskCpu(0x7ffffff0)).toBeUndefined();
  });

  // The worker spins until its own reading shows it ran GROW_MS more on a CPU (at most 10 s of
  // wall time): a loaded host may keep it off the CPU for most of any wall-time spin. Its
  // readings come after this thread's first one and the kernel's figure only grows, so this
  // thread's reading after the spin shows at least what the worker saw.
  it.skipIf(!reported)('reads a worker\'s times by the id the worker tells, growing with the worker\'s spin', async () => {
    const GROW_MS = 30;
    const code = `const { parentPort, workerData } = require('node:worker_threads');
      Promise.all([import(workerData.url), import(workerData.futex)]).then(([cpu, futex]) => {
        const { readThreadCpu, threadId } = cpu;
        const nap = () => futex.futexWait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
        const ranMs = (a) => (readThreadCpu().runNs - a.runNs) / 1e6;
        parentPort.postMessage(threadId());
        parentPort.on('message', (want) => {
          nap(); const a = readThreadCpu(); const cap = performance.now() + 10_000;
          while (ranMs(a) < want && performance.now() < cap);
          nap(); parentPort.postMessage(ranMs(a));
        });
      });`;
    const w = new Worker(code, { eval: true, workerData: { url: MODULE, futex: FUTEX } });
    const next = (): Promise<number> => new Promise<number>((done, fail) => { w.once('message', done); w.once('error', fail); });
    const tid = await next();
    expect(tid).toBeGreaterThan(0);
    expect(tid).not.toBe(threadId());
    nap(1);
    const a = readTaskCpu(tid)!;
    w.postMessage(GROW_MS);
    const seen = await next();
    nap(1);
    const b = readTaskCpu(tid)!;
    await w.terminate();
    expect(seen, 'the worker\'s own run time grew by').toBeGreaterThanOrEqual(GROW_MS);
    expect(delta(a, b).runMs).toBeGreaterThanOrEqual(seen);
  });
});

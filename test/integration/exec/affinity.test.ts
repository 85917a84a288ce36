import { readFileSync, readdirSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { canPin, parseCpuList } from '../../../src/exec/affinity.js';
import { ControlledExecutor } from '../../../src/exec/controlled.js';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { abbaNoCtx } from '../../../scenarios/abba-no-ctx.js';
import { withExecutor } from '../../support/executor.js';

/** Tests run from dist/: the worker imports the compiled module. */
const AFFINITY = new URL('../../../src/exec/affinity.js', import.meta.url).href;

/** The CPUs thread `tid` of this process may run on, as /proc lists them ("1", "0-1"). */
function allowedCpus(tid: string): string {
  return /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync(`/proc/self/task/${tid}/status`, 'utf8'))?.[1] ?? '';
}

/** In a fresh worker thread: call `fn` of affinity.ts with `arg`, then report the result and the
 *  CPUs the worker may run on. */
async function pinInWorker(fn: 'pinThisThread' | 'pinInTurn', arg: unknown): Promise<{ ok: boolean; cpus: string }> {
  const src = `const { workerData: d, parentPort } = require('node:worker_threads');
    import(d.mod).then((aff) => {
      const ok = aff[d.fn](d.arg);
      const cpus = /Cpus_allowed_list:\\s*(\\S+)/.exec(require('node:fs').readFileSync('/proc/thread-self/status', 'utf8'))[1];
      parentPort.postMessage({ ok, cpus });
    });`;
  const w = new Worker(src, { eval: true, workerData: { mod: AFFINITY, fn, arg } });
  try {
    return await new Promise((resolve, reject) => { w.once('message', resolve); w.once('error', reject); });
  } finally {
    await w.terminate();
  }
}

const pinnable = canPin();
const everyCpu = allowedCpus(String(process.pid));
/** The i-th CPU this process may use, modulo their count: where pinThisThread(i) pins. */
const allowed = parseCpuList(everyCpu);
const nth = (i: number): string => String(allowed[i % allowed.length]);

describe('pinThisThread', () => {
  it('pins only the calling thread, to the i-th allowed CPU modulo their count, or returns false where it cannot', async () => {
    const r = await pinInWorker('pinThisThread', allowed.length + 1);
    expect(r.ok).toBe(pinnable);
    expect(r.cpus).toBe(pinnable ? nth(1) : everyCpu);
    expect(allowedCpus(String(process.pid))).toBe(everyCpu);
  });
});

describe('pinInTurn', () => {
  it('gives the threads sharing one counter consecutive CPUs, one turn per thread', async () => {
    const seq = new SharedArrayBuffer(4);
    const first = await pinInWorker('pinInTurn', seq);
    const second = await pinInWorker('pinInTurn', seq);
    expect([first.ok, second.ok]).toEqual([pinnable, pinnable]);
    if (pinnable) expect([first.cpus, second.cpus]).toEqual([nth(0), nth(1)]);
    expect(Atomics.load(new Int32Array(seq), 0)).toBe(2);
  });
});

describe('controlled executor with pinCpus', () => {
  it('runs each actor thread on a CPU of its own and reports what inline reports', async () => {
    const inl = new InlineExecutor(abbaNoCtx, { strategy: 'random', events: true });
    await withExecutor(new ControlledExecutor(abbaNoCtx, { strategy: 'random', events: true, pinCpus: true }), async (ex) => {
      for (let seed = 0; seed < 10; seed++) expect((await ex.runTrial(seed)).events).toEqual(inl.runTrial(seed).events);
      const pinned = readdirSync('/proc/self/task').map(allowedCpus).filter((l) => l !== everyCpu).sort();
      const want = pinnable && allowed.length > 1 ? ex.actorNames.map((_, i) => nth(i)).sort() : [];
      expect(pinned).toEqual(want);
    });
  });
});

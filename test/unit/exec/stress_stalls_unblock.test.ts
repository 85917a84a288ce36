/**
 * A stall's "none can run" read against a peer that really runs on another thread
 * (exec/stress_stalls.ts othersCanRun, kernel/wait.ts unblock). The peer, a real thread, sleeps
 * and wakes without end on a word whose condition always holds: whenever its record is whole it
 * can run, and in between it is leaving or entering its sleep, running too. So a reader that ever
 * answers "none can run" read a record half made or half cleared — as a stall did once under a
 * load of 16, the runner's thread held between unblock's stores, and it ended 'none-can-run'
 * where 'budget' was due.
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { Arena } from '../../../src/shm/arena.js';
import { EXEC_STRESS, WAITK_WORD, WAIT_SLEEP } from '../../../src/shm/layout.js';
import { othersCanRun } from '../../../src/exec/stress_stalls.js';

const url = (p: string): string => new URL(p, import.meta.url).href;
const URLS = {
  arena: url('../../../src/shm/arena.js'), task: url('../../../src/kernel/task.js'),
  wait: url('../../../src/kernel/wait.js'),
};

/** User words: the sleeper's cycles so far, the stop request, and the word it sleeps on (1: its
 *  condition, "not 0", always holds). */
const WORDS = { cycles: 0, stop: 1, word: 2 };

/** How many of the sleeper's cycles the reader must overlap, and its wall-clock bound (ms), from
 *  the sleeper's first cycle (its thread's start, slow on a loaded host, is bounded by
 *  START_MS). The old code was read as asleep 2,000–30,000 times in such a run on the 2-vCPU VM
 *  (4 runs in 5 with the reader's check but unblock's old order). */
const OVERLAP_CYCLES = 200_000;
const BOUND_MS = 10_000;
const START_MS = 60_000;

/** Actor 1: block on `word` (waiting for it to leave 0), unblock, count the cycle; until `stop`. */
const SLEEPER = `
const { workerData: w } = require('node:worker_threads');
(async () => {
  const { Arena } = await import(w.urls.arena);
  const { Task } = await import(w.urls.task);
  const { block, unblock } = await import(w.urls.wait);
  const a = Arena.attach(w.sab);
  const t = new Task(a, 1, 'sleeper');
  const u = a.layout.user;
  while (Atomics.load(a.i32, u + w.stop) === 0) {
    block(t, w.kind, u + w.word, 0, 0, 0);
    unblock(t);
    Atomics.add(a.i32, u + w.cycles, 1);
  }
})();
`;

/** Read othersCanRun for actor 0 while the sleeper made OVERLAP_CYCLES cycles (or BOUND_MS
 *  passed): how many reads answered "none can run", and the cycles they overlapped. */
async function readWhileSleeping(): Promise<{ asleep: number; cycles: number }> {
  const a = Arena.create();
  a.resetTrial({ actors: 2, mode: EXEC_STRESS, stepLimit: 100, waitPolicy: WAIT_SLEEP, replayLen: 0 });
  const u = a.layout.user;
  const cycles = (): number => Atomics.load(a.i32, u + WORDS.cycles);
  a.i32[u + WORDS.word] = 1;
  const workerData = { sab: a.sab, urls: URLS, kind: WAITK_WORD, ...WORDS };
  const w = new Worker(SLEEPER, { eval: true, workerData });
  try {
    const started = performance.now();
    while (cycles() === 0 && performance.now() - started < START_MS) {
      await new Promise((r) => setTimeout(r, 5));
    }
    const [t0, from] = [performance.now(), cycles()];
    let asleep = 0;
    while (cycles() - from < OVERLAP_CYCLES && performance.now() - t0 < BOUND_MS) {
      for (let i = 0; i < 1000; i++) if (!othersCanRun(a, 0)) asleep++;
    }
    return { asleep, cycles: cycles() - from };
  } finally {
    Atomics.store(a.i32, u + WORDS.stop, 1);
    await w.terminate();
  }
}

describe('othersCanRun against a peer thread sleeping and waking', () => {
  const timeout = START_MS + BOUND_MS + 5000;
  it('never reads it as asleep while it leaves or enters a sleep whose condition holds', { timeout }, async () => {
    const r = await readWhileSleeping();
    expect(r.cycles, 'the reads overlapped the sleeper\'s cycles').toBeGreaterThan(0);
    expect(r.asleep, 'reads of "none can run"').toBe(0);
  });
});

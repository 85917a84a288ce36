/**
 * A validator record whose claimer was stopped between its claim and its publish
 * (kernel/lockdep_claim.ts): the region outlives trials and threads, so the next trial meets the
 * claim. The claimer here is a real thread that makes the model's claim — and, for an edge, may
 * publish the record but not its matrix bit — and is then terminated, as a stopped trial's
 * threads are. In a later trial the record is taken over at once: a class lookup of the key
 * answers within a second with one class for it, priming completes, and a dependency whose
 * record was left half-made is recorded (or completed) when next taken, so the cycle it closes
 * is reported with a real first-seen record.
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { lockdepEdgeCount, lockdepLayout, lockdep_class } from '../../../src/kernel/lockdep.js';
import { lockdepClassOfRef } from '../../../src/kernel/lockdep_class.js';
import { LC_FLAGS, LD_INIT, LD_NCLASSES } from '../../../src/kernel/lockdep_layout.js';
import { Arena } from '../../../src/shm/arena.js';
import { keyOnFreeSlot } from '../../fixtures/lockdep/free_slot.js';
import { EXEC_INLINE } from '../../../src/shm/layout.js';
import { mutex_init, type Task } from '../../fixtures/kernel.js';
import { nested, scripted } from '../../fixtures/lockdep/scripted.js';

const url = (p: string): string => new URL(p, import.meta.url).href;
const URLS = {
  arena: url('../../../src/shm/arena.js'), lockdep: url('../../../src/kernel/lockdep.js'),
  claim: url('../../../src/kernel/lockdep_claim.js'), graph: url('../../../src/kernel/lockdep_graph.js'),
  layout: url('../../../src/kernel/lockdep_layout.js'),
};

/**
 * A claimer: makes the model's claim of one record of the arena — a word (`idx`), or edge
 * (`from`, `to`)'s record, published too when `record`, or with its serial drawn and not yet
 * stored when `reserve` (recordEdge stopped between its Atomics.add and its store) — posts
 * 'claimed' and never publishes.
 */
const CLAIMER = `
const { parentPort, workerData: w } = require('node:worker_threads');
(async () => {
  const { Arena } = await import(w.urls.arena);
  const { claimWord } = await import(w.urls.claim);
  const { recordEdge } = await import(w.urls.graph);
  const { lockdepLayout, E_SERIAL, LD_SERIAL } = await import(w.urls.layout);
  const a = Arena.attach(w.sab);
  const ld = lockdepLayout(a);
  const idx = w.idx ?? ld.edge(w.from, w.to) + E_SERIAL;
  if (claimWord(a.i32, ld, idx) !== 0) throw new Error('not claimed');
  if (w.record) recordEdge(a.i32, ld, w.from, w.to, 0, a.i32[ld.trial], 0, 1, 2);
  if (w.reserve) Atomics.add(a.i32, ld.hdr(LD_SERIAL), 1);
  parentPort.postMessage('claimed');
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
})();
`;

/** A reader: once its modules are loaded posts 'ready', then asks for the class of numeric key
 *  `key` (priming the arena) and posts it. */
const READER = `
const { parentPort, workerData: w } = require('node:worker_threads');
(async () => {
  const { Arena } = await import(w.urls.arena);
  const { lockdep_class } = await import(w.urls.lockdep);
  parentPort.postMessage('ready');
  parentPort.postMessage(lockdep_class(Arena.attach(w.sab), w.key));
})();
`;

/** Run `claimer` with `data` until it has claimed, then terminate it (its claim stays). */
async function claimAndKill(sab: SharedArrayBuffer, data: Record<string, unknown>): Promise<void> {
  const w = new Worker(CLAIMER, { eval: true, workerData: { sab, urls: URLS, ...data } });
  await new Promise((resolve, reject) => { w.once('message', resolve); w.once('error', reject); });
  await w.terminate();
}

/** The class a reader thread gets for `key`, or 'no answer' when it has none within `ms` of
 *  being ready (its start and module loading, slow on a loaded host, do not count). */
async function lookUp(sab: SharedArrayBuffer, key: number, ms: number): Promise<number | 'no answer'> {
  const w = new Worker(READER, { eval: true, workerData: { sab, urls: URLS, key } });
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<number | 'no answer'>((resolve, reject) => {
      w.on('message', (m: number | 'ready') => {
        if (m === 'ready') timer = setTimeout(() => resolve('no answer'), ms);
        else resolve(m);
      });
      w.once('error', reject);
    });
  } finally {
    clearTimeout(timer);
    await w.terminate();
  }
}

/** Start the next trial in `a`, as an executor does. */
function nextTrial(a: Arena): void {
  a.resetTrial({ actors: 1, mode: EXEC_INLINE, stepLimit: 1000, waitPolicy: 0, replayLen: 0 });
}

describe('a lock-class slot whose claimer was killed before publishing it', () => {
  it('is taken over in the next trial: the key\'s lookup answers at once, with one class for the key', async () => {
    const a = Arena.create();
    nextTrial(a);
    const primed = lockdepEdgeCount(a);
    const ld = lockdepLayout(a);
    const [key, slot] = keyOnFreeSlot(a);
    const classes = Atomics.load(a.i32, ld.hdr(LD_NCLASSES));
    await claimAndKill(a.sab, { idx: ld.cls(slot) + LC_FLAGS });
    nextTrial(a);
    expect(await lookUp(a.sab, key, 5000)).toBe(slot);
    expect(lockdep_class(a, key)).toBe(slot);
    expect([Atomics.load(a.i32, ld.hdr(LD_NCLASSES)), lockdepEdgeCount(a)]).toEqual([classes + 1, primed]);
    a.release();
  });
});

describe('the boot priming, its claimer killed before it primed', () => {
  it('is done by the first user in the next trial', async () => {
    const a = Arena.create();
    nextTrial(a);
    await claimAndKill(a.sab, { idx: lockdepLayout(a).hdr(LD_INIT) });
    nextTrial(a);
    expect(await lookUp(a.sab, 4242, 5000)).toBeGreaterThan(0);
    const fresh = Arena.create();
    expect(lockdepEdgeCount(a)).toBe(lockdepEdgeCount(fresh));
    fresh.release();
    a.release();
  });
});

const claim = scripted('lockdep-claim', (t: Task) => ({ a: mutex_init(t, 'claim_a'), b: mutex_init(t, 'claim_b') }));

describe('a dependency whose record\'s writer was killed', () => {
  it.each([
    { left: 'claimed, not written', record: false, reserve: false, firstSeen: 2 },
    { left: 'claimed, its serial drawn and not stored', record: false, reserve: true, firstSeen: 2 },
    { left: 'published without its matrix bit', record: true, reserve: false, firstSeen: 1 },
  ])('($left) is recorded when next taken, counted once, and the cycle it closes reports that record', async ({ record, reserve, firstSeen }) => {
    const ex = new InlineExecutor(claim.scenario);
    claim.program = function* () { /* classes only */ };
    expect(ex.runTrial(0).findings).toEqual([]);
    const [ca, cb] = [lockdep_class(ex.arena, 'claim_a'), lockdep_class(ex.arena, 'claim_b')];
    const edges = lockdepEdgeCount(ex.arena);
    await claimAndKill(ex.arena.sab, { from: ca, to: cb, record, reserve });
    claim.program = (t, e) => nested(t, e.a, e.b);
    expect(ex.runTrial(1).findings).toEqual([]);
    expect(lockdepEdgeCount(ex.arena)).toBe(edges + 1);
    claim.program = (t, e) => nested(t, e.b, e.a);
    const r = ex.runTrial(2);
    expect(r.findings.map((f) => [f.code, f.title])).toEqual([['LOCKDEP_CIRCULAR', 'circular-locking in mutex_lock']]);
    const deps = r.findings[0]!.lockdep!;
    expect(deps.map((d) => [lockdepClassOfRef(ex.arena, d.from), lockdepClassOfRef(ex.arena, d.to), d.actor, d.trial])).toEqual([
      [ca, cb, 0, firstSeen],
    ]);
    ex.close();
  });
});

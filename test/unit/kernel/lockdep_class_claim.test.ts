/**
 * A class slot claimed by a live thread (one of the current trial) and not yet published
 * (kernel/lockdep_class.ts classSlot): another thread asking for the same key waits for it,
 * however long the claimer is preempted, and gets that class — it never passes the slot by to
 * claim a second class for the key.
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { lockdepEdgeCount, lockdepLayout } from '../../../src/kernel/lockdep.js';
import { CLAIMED, claimWord } from '../../../src/kernel/lockdep_claim.js';
import { LCF_READY, LC_BASE, LC_FLAGS, LC_KEY, LC_NAME, LD_NCLASSES } from '../../../src/kernel/lockdep_layout.js';
import { Arena } from '../../../src/shm/arena.js';
import { keyOnFreeSlot } from '../../fixtures/lockdep/free_slot.js';

/** A worker that asks `arena` for the class of numeric key `key` and posts the class id. */
const READER = `
const { parentPort, workerData: w } = require('node:worker_threads');
(async () => {
  const { Arena } = await import(w.arenaUrl);
  const { lockdep_class } = await import(w.classUrl);
  parentPort.postMessage(lockdep_class(Arena.attach(w.sab), w.key));
})();
`;

describe('a lock-class slot claimed and not yet published', () => {
  it('makes a reader of its key wait and take it, not claim a second class', async () => {
    const a = Arena.create();
    lockdepEdgeCount(a);
    const ld = lockdepLayout(a);
    const h = a.i32;
    const [key, slot] = keyOnFreeSlot(a);
    const flags = ld.cls(slot) + LC_FLAGS;
    expect(claimWord(h, ld, flags)).toBe(CLAIMED);
    const classes = Atomics.load(h, ld.hdr(LD_NCLASSES));
    const worker = new Worker(READER, {
      eval: true,
      workerData: {
        sab: a.sab, key,
        arenaUrl: new URL('../../../src/shm/arena.js', import.meta.url).href,
        classUrl: new URL('../../../src/kernel/lockdep.js', import.meta.url).href,
      },
    });
    const got = new Promise<number>((resolve, reject) => { worker.once('message', resolve); worker.once('error', reject); });
    let answered = false;
    void got.then(() => { answered = true; }, () => { answered = true; });
    // Handshake: the reader is asleep on the slot's flags when a notify finds a waiter; a reader
    // that passed the slot by answers without ever sleeping there.
    while (!answered && Atomics.notify(h, flags, 1) === 0) await new Promise((r) => setImmediate(r));
    if (!answered) {
      h[ld.cls(slot) + LC_KEY] = key;
      h[ld.cls(slot) + LC_NAME] = 0;
      h[ld.cls(slot) + LC_BASE] = 0;
      Atomics.store(h, flags, LCF_READY);
      Atomics.notify(h, flags);
    }
    expect(await got).toBe(slot);
    expect(Atomics.load(h, ld.hdr(LD_NCLASSES))).toBe(classes);
    await worker.terminate();
  });
});

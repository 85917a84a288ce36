/**
 * A queued mutex waiter's trylock as another thread reads it (kernel/mutex_lock_common.ts
 * waiterTrylock; exec/sleep_read.ts): between winning the lock word and leaving the queue the
 * waiter's record still names its wait, on a mutex now held — by itself. A stress peer's stall
 * (othersCanRun) and the watchdog (readSleep) must not read it as asleep there: the OS may hold
 * its thread at that point for milliseconds. The moment is caught in one thread by wrapping
 * Atomics.compareExchange: the reads are made right after the waiter's winning CAS returns.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { M_OWNER } from '../../../src/shm/layout.js';
import { othersCanRun } from '../../../src/exec/stress_stalls.js';
import { readSleep } from '../../../src/exec/sleep_read.js';
import { mutex_init, mutex_lock, mutex_unlock, type Task } from '../../fixtures/kernel.js';
import { twoTasks } from '../../support/two_tasks.js';

/** Run `g` to its first sleep in the wait loop (its lock attempt, then the queueing). */
function toSleep(g: Generator<unknown, unknown, unknown>): void {
  g.next();
  g.next();
}

/** Whether `t` reads as asleep, to its peer's stall and to the watchdog. */
function readAsleep(t: Task, peer: Task): { stall: boolean; watchdog: boolean } {
  return { stall: !othersCanRun(t.arena, peer.id), watchdog: readSleep(t.arena, t.id, () => true) === true };
}

afterEach(() => { vi.restoreAllMocks(); });

describe('a queued mutex waiter read from another thread', () => {
  it('is not read as asleep once its trylock has won the lock, before it leaves the queue', () => {
    const [u, t] = twoTasks();
    const a = t.arena;
    const m = mutex_init(u, 'waiter_read');
    const holder = mutex_lock(u, m);
    while (holder.next().done !== true) { /* uncontended */ }
    const g = mutex_lock(t, m);
    toSleep(g);
    expect(readAsleep(t, u), 'asleep on the mutex U holds').toEqual({ stall: true, watchdog: true });
    mutex_unlock(u, m);
    const seen: { stall: boolean; watchdog: boolean }[] = [];
    const cas = Atomics.compareExchange.bind(Atomics);
    vi.spyOn(Atomics, 'compareExchange').mockImplementation(((arr: Int32Array, i: number, from: number, to: number) => {
      const was = cas(arr, i, from, to);
      if (arr === a.i32 && i === a.mutex(m) + M_OWNER && was === 0 && to === t.id + 1) seen.push(readAsleep(t, u));
      return was;
    }) as typeof Atomics.compareExchange);
    expect(g.next().done).toBe(true);
    expect(seen).toEqual([{ stall: false, watchdog: false }]);
  });

  it('still reads as asleep between its failed trylocks on a mutex it holds itself (AA)', () => {
    const [u, t] = twoTasks();
    const m = mutex_init(u, 'waiter_read_aa');
    const first = mutex_lock(t, m);
    while (first.next().done !== true) { /* uncontended */ }
    const again = mutex_lock(t, m);
    toSleep(again);
    for (let pass = 0; pass < 3; pass++) {
      expect(readAsleep(t, u), `after ${pass} more passes`).toEqual({ stall: true, watchdog: true });
      expect(again.next().done).toBe(false);
    }
  });
});

// Every call that really sleeps returns with interrupts on (kernel/hardirq.ts finish_task_switch
// after each yield while blocked): dma_fence_wait, usleep_range, sleep_on_word (wait_event) and a
// contended mutex_lock — msleep's case is sleep_turns_irqs_on.test.ts. So "L used in hardirq;
// local_irq_save; <sleep>; spin_lock(L)" takes L with interrupts on: the inconsistent lock state.
// A call that returns without sleeping — the mutex fast path, a fence already signaled,
// sleep_on_word's condition true at its first check — leaves them off: no report. A mutex slept
// in is held by lockdep across the sleep (mutex_acquire_nest comes first), so its class is marked
// HARDIRQ-unsafe at the wake. The sleeper is woken by a second task at its yield once it is
// blocked (a handshake, no real time).
import { describe, expect, it } from 'vitest';
import {
  GFP_KERNEL, dma_fence_context_alloc, dma_fence_init, dma_fence_signal, dma_fence_wait, kzalloc_words, local_irq_restore,
  local_irq_save, mutex_init, mutex_lock, mutex_unlock, spin_lock, spin_unlock, usleep_range, type KGen, type Task,
} from '../../fixtures/kernel.js';
import { inHardirq, spinlockAlloc } from '../../fixtures/spinlock.js';
import { drive } from '../../support/drive.js';
import { taskFindingTitles } from '../../support/fence_task.js';
import { twoTasks } from '../../support/two_tasks.js';
import { privIndex } from '../../../src/kernel/priv.js';
import { sleep_on_word } from '../../../src/kernel/wait.js';
import { lockdepLayout } from '../../../src/kernel/lockdep.js';
import { LU_ENABLED_HARDIRQ, lockdepUsage } from '../../../src/kernel/lockdep_usage.js';
import { ACTOR_BLOCKED, A_STATE, M_KEY } from '../../../src/shm/layout.js';

const INCONSISTENT =
  'LOCK_IRQ_INCONSISTENT_ON: assertion in spin_lock (inconsistent {IN-HARDIRQ-W} -> {HARDIRQ-ON-W} usage)';

/** What a case gives its two tasks: T's sleep (`sleep`) and U's action that ends it (`wake`),
 *  called at every yield of T's while T is blocked. */
interface SleepCase { sleep: (t: Task) => KGen<unknown>; wake: () => void }

/**
 * One run of T: a spinlock of class `key` used in hardirq, then with interrupts disabled the
 * sleep `make` builds over tasks U and T, then that lock taken; the findings as `code: title`.
 */
function sleepThenLock(key: string, make: (u: Task, t: Task) => SleepCase): string[] {
  const [u, t] = twoTasks();
  const l = spinlockAlloc(u, key);
  inHardirq(t, l);
  const c = make(u, t);
  const flags = local_irq_save(t);
  const g = c.sleep(t);
  for (let step = 0; ; step++) {
    expect(step).toBeLessThan(1000);
    if (g.next().done === true) break;
    if (t.i32[t.base + A_STATE] === ACTOR_BLOCKED) c.wake();
  }
  spin_lock(t, l);
  spin_unlock(t, l);
  local_irq_restore(t, flags);
  return taskFindingTitles(t);
}

/** A fence of U's, signaled by U before T waits (`early`) or once T sleeps on it. */
function fenceCase(early: boolean) {
  return (u: Task): SleepCase => {
    const f = dma_fence_init(u, dma_fence_context_alloc(u, 1), 1);
    const signal = (): void => dma_fence_signal(u, f);
    if (early) signal();
    return { sleep: (t) => dma_fence_wait(t, f, false), wake: signal };
  };
}

/** A mutex U holds until T sleeps on it (`contended`), or free. */
function mutexCase(contended: boolean) {
  return (u: Task): SleepCase => {
    const m = mutex_init(u, 'sleep_sites_mutex');
    let held = contended;
    if (held) drive(mutex_lock(u, m));
    const release = (): void => { if (held) mutex_unlock(u, m); held = false; };
    return {
      sleep: function* (t) { yield* mutex_lock(t, m); mutex_unlock(t, m); }, wake: release,
    };
  };
}

/** A word U changes from 0 before T's wait_event (`early`) or once T sleeps on it. */
function wordCase(early: boolean) {
  return (u: Task): SleepCase => {
    const w = privIndex(u, kzalloc_words(u, 1, GFP_KERNEL, wordCase));
    const change = (): void => { Atomics.store(u.i32, w, 1); };
    if (early) change();
    return { sleep: (t) => sleep_on_word(t, w, 0), wake: change };
  };
}

const codes = (found: string[]): string[] => found.map((f) => f.slice(0, f.indexOf(':')));

describe('a sleep with interrupts disabled returns with them on', () => {
  it('dma_fence_wait on a fence signaled meanwhile', () => {
    const found = sleepThenLock('sleep_sites_F', fenceCase(false));
    expect([codes(found)[0], found[1]]).toEqual(['SLEEP_IN_ATOMIC', INCONSISTENT]);
  });

  it('usleep_range', () => {
    const usleep = (): SleepCase => ({ sleep: (t) => usleep_range(t, 10, 20), wake: () => {} });
    expect(sleepThenLock('sleep_sites_U', usleep)).toEqual([INCONSISTENT]);
  });

  it('sleep_on_word (wait_event) until the word changes', () => {
    expect(sleepThenLock('sleep_sites_W', wordCase(false))).toEqual([INCONSISTENT]);
  });

  it('mutex_lock of a mutex another task holds', () => {
    const found = sleepThenLock('sleep_sites_M', mutexCase(true));
    expect([codes(found)[0], found[1]]).toEqual(['SLEEP_IN_ATOMIC', INCONSISTENT]);
  });
});

describe('(twins) a call that does not sleep leaves interrupts disabled', () => {
  it('dma_fence_wait on a fence already signaled', () => {
    expect(codes(sleepThenLock('sleep_sites_F', fenceCase(true)))).toEqual(['SLEEP_IN_ATOMIC']);
  });

  it('sleep_on_word whose word changed before its first check', () => {
    expect(sleepThenLock('sleep_sites_W', wordCase(true))).toEqual([]);
  });

  it('mutex_lock of a free mutex (the fast path)', () => {
    expect(codes(sleepThenLock('sleep_sites_M', mutexCase(false)))).toEqual(['SLEEP_IN_ATOMIC']);
  });
});

describe('a mutex slept in with interrupts disabled', () => {
  /** T takes mutex `key` with interrupts off, U holding it first (`contended`, taken and released
   *  with interrupts off too: no mark of U's); whether its class is HARDIRQ-unsafe right after
   *  (T's interrupts not restored yet). */
  function markedAtWake(key: string, contended: boolean): boolean {
    const [u, t] = twoTasks();
    const m = mutex_init(u, key);
    const uFlags = local_irq_save(u);
    if (contended) drive(mutex_lock(u, m));
    const flags = local_irq_save(t);
    const g = mutex_lock(t, m);
    for (let step = 0; g.next().done !== true; step++) {
      expect(step).toBeLessThan(1000);
      if (contended && t.i32[t.base + A_STATE] === ACTOR_BLOCKED) { mutex_unlock(u, m); contended = false; }
    }
    local_irq_restore(u, uFlags);
    const cls = t.i32[t.arena.mutex(m) + M_KEY]!;
    const marked = (lockdepUsage(t.i32, lockdepLayout(t.arena), cls) & LU_ENABLED_HARDIRQ) !== 0;
    mutex_unlock(t, m);
    local_irq_restore(t, flags);
    return marked;
  }

  it('is marked HARDIRQ-unsafe at the wake, with the locks held', () => {
    expect(markedAtWake('sleep_sites_wake_M', true)).toBe(true);
  });

  it('(twin) taken on the fast path it is not: interrupts stay off', () => {
    expect(markedAtWake('sleep_sites_fast_M', false)).toBe(false);
  });
});

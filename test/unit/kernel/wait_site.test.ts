/**
 * A hang is titled after the call its task is blocked in as the hung-task report's stack shows it
 * (wait_site.ts): the lock call the caller made, interruptible or not — ww_mutex_lock for
 * dma_resv_lock, a static inline with no frame of its own — not the mutex_lock every lock call
 * sleeps in. A deadlock keeps its wait primitive's title. A task blocked in a lock call nobody
 * will release (its holder finished holding it) is the hang. A task that wakes names no blocked
 * call any more.
 */
import { describe, expect, it } from 'vitest';
import { defineScenario } from '../../../src/exec/scenario.js';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { Arena } from '../../../src/shm/arena.js';
import { A_WAIT_SITE, EXEC_STRESS, WAITK_MUTEX, WAIT_SLEEP } from '../../../src/shm/layout.js';
import { block, unblock } from '../../../src/kernel/wait.js';
import { WS_DMA_RESV_WAIT_TIMEOUT, WS_PRIMITIVE, waitSiteName, waitSiteOf } from '../../../src/kernel/wait_site.js';
import { until } from '../../fixtures/handshake.js';
import { withExecutorSync } from '../../support/executor.js';
import {
  RESERVATION_WW_CLASS, dma_resv_init, dma_resv_lock, dma_resv_lock_interruptible, mutex_init, mutex_lock, mutex_lock_interruptible,
  mutex_lock_nested, ww_acquire_init, ww_mutex_init, ww_mutex_lock, ww_mutex_lock_slow,
  Task, type KGen, type Mutex, type Resv,
} from '../../fixtures/kernel.js';
import { ww_mutex_lock_slow_interruptible } from '../../../src/kernel/ww_mutex.js';

interface Env { readonly m: Mutex; readonly ww: Mutex; readonly resv: Resv }
type Call = (t: Task, e: Env) => KGen<unknown>;

/** `holder` takes a lock with `take` and finishes holding it; then `waiter` blocks in `call` on it. */
function blockedIn(take: Call, call: Call) {
  return defineScenario({
    name: 'blocked-in-lock', module: import.meta.url, expect: 'hang', params: {}, geometry: { userWords: 1 },
    setup: (t: Task): Env => ({ m: mutex_init(t), ww: ww_mutex_init(t, RESERVATION_WW_CLASS), resv: dma_resv_init(t) }),
    actors: () => [
      { name: 'holder', run: function* (t: Task, e: Env): KGen<void> { yield* take(t, e); t.store(0, 1); } },
      { name: 'waiter', run: function* (t: Task, e: Env): KGen<void> { yield* until(t, () => t.load(0) === 1); yield* call(t, e); } },
    ],
  });
}

/** The titles of the hang and deadlock findings of trial 0. */
function blockedTitles(take: Call, call: Call): string[] {
  return withExecutorSync(new InlineExecutor(blockedIn(take, call), { leakCheck: false }), (ex) =>
    ex.runTrial(0).findings.filter((f) => f.kind === 'hang' || f.kind === 'deadlock').map((f) => f.title));
}

const takeMutex: Call = (t, e) => mutex_lock(t, e.m);
const takeWw: Call = (t, e) => ww_mutex_lock(t, e.ww, null);
const takeResv: Call = (t, e) => dma_resv_lock(t, e.resv, null);

describe('a hang in a lock call', () => {
  it.each([
    ['mutex_lock', takeMutex, takeMutex],
    ['mutex_lock_interruptible', takeMutex, (t, e) => mutex_lock_interruptible(t, e.m)],
    ['mutex_lock_nested', takeMutex, (t, e) => mutex_lock_nested(t, e.m, 1)],
    ['ww_mutex_lock', takeResv, takeResv],
    ['ww_mutex_lock_interruptible', takeResv, (t, e) => dma_resv_lock_interruptible(t, e.resv, null)],
    ['ww_mutex_lock_slow', takeWw, (t, e) => ww_mutex_lock_slow(t, e.ww, ww_acquire_init(t, RESERVATION_WW_CLASS))],
    ['ww_mutex_lock_slow_interruptible', takeWw, (t, e) => ww_mutex_lock_slow_interruptible(t, e.ww, ww_acquire_init(t, RESERVATION_WW_CLASS))],
  ] as [string, Call, Call][])('is titled after the call the caller made: hang in %s', (fn, take, call) => {
    expect(blockedTitles(take, call)).toEqual([`hang in ${fn}`]);
  });

  it('leaves a deadlock titled after the wait primitive: a task locking a reservation object it holds', () => {
    const twice: Call = function* (t, e) { yield* dma_resv_lock(t, e.resv, null); yield* dma_resv_lock(t, e.resv, null); };
    expect(blockedTitles(function* () { /* takes nothing */ }, twice)).toEqual(['deadlock in mutex_lock']);
  });
});

describe('a wait record\'s site', () => {
  it('names the blocked call while the task sleeps, and nothing once it wakes', () => {
    const a = Arena.create();
    a.resetTrial({ actors: 1, mode: EXEC_STRESS, stepLimit: 100, waitPolicy: WAIT_SLEEP, replayLen: 0 });
    const t = new Task(a, 0, 'sleeper');
    block(t, WAITK_MUTEX, 1, 0, 0, 0, waitSiteOf('ww_mutex_lock_interruptible'));
    expect(waitSiteName(a.i32[t.base + A_WAIT_SITE]!)).toBe('ww_mutex_lock_interruptible');
    unblock(t);
    expect(a.i32[t.base + A_WAIT_SITE]).toBe(WS_PRIMITIVE);
    block(t, WAITK_MUTEX, 1, 0, 0, 0, WS_DMA_RESV_WAIT_TIMEOUT);
    unblock(t);
    block(t, WAITK_MUTEX, 1, 0, 0, 0);
    expect(waitSiteName(a.i32[t.base + A_WAIT_SITE]!)).toBeUndefined();
  });
});

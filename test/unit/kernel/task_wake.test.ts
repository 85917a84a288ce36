/**
 * The model wakes sleeping threads only through Task.wake, so the stress executor can count and
 * time every wake-up (stress-recorder.ts). Each site wakes only when a sleeper may be there: a
 * fence signal when one announced itself on the fence, an unlock when the lock has waiters under
 * stress, complete / wake_up / a signal to a blocked actor under stress.
 */
import { describe, expect, it } from 'vitest';
import { Arena } from '../../../src/shm/arena.js';
import {
  ACTOR_BLOCKED, A_STATE, A_WAIT_KIND, A_WAIT_OBJ, EXEC_INLINE, EXEC_STRESS, FENCEF_WAITERS, F_FLAGS, M_OWNER, M_WAITERS, WAITK_WORD,
} from '../../../src/shm/layout.js';
import { kernelBoot } from '../../../src/kernel/boot.js';
import { complete, init_completion, wake_up_word } from '../../../src/kernel/kref.js';
import { GFP_KERNEL } from '../../../src/kernel/gfp.js';
import { kzalloc_words, privIndex } from '../../../src/kernel/priv.js';
import { Task } from '../../../src/kernel/task.js';
import {
  dma_fence_context_alloc, dma_fence_init, dma_fence_signal, mutex_init, mutex_trylock, mutex_unlock, send_signal,
} from '../../../src/kernel/index.js';
import { drive } from '../../support/drive.js';

/** A booted task (actor 0 of 2) whose wake-ups are recorded (the words woken) instead of made. */
function boot(mode: number): { t: Task; woken: number[] } {
  const a = Arena.create();
  a.resetTrial({ actors: 2, mode, stepLimit: 100, waitPolicy: 0, replayLen: 0 });
  const woken: number[] = [];
  const t = new Task(a, 0, 'waker', { wake: (_t, index) => { woken.push(index); } });
  kernelBoot(t);
  return { t, woken };
}


/** Each site: set it up with or without a sleeper that may be there, act, and name the word a
 *  wake-up must target. */
const SITES: Record<string, (t: Task, sleeper: boolean) => number> = {
  'dma_fence_signal': (t, sleeper) => {
    const f = dma_fence_init(t, dma_fence_context_alloc(t, 1), 1);
    const flags = t.arena.fence(f) + F_FLAGS;
    if (sleeper) Atomics.or(t.i32, flags, FENCEF_WAITERS);
    dma_fence_signal(t, f);
    return flags;
  },
  'mutex_unlock': (t, sleeper) => {
    const m = mutex_init(t);
    expect(drive(mutex_trylock(t, m))).toBe(1);
    const mb = t.arena.mutex(m);
    if (sleeper) Atomics.store(t.i32, mb + M_WAITERS, 1);
    mutex_unlock(t, m);
    return mb + M_OWNER;
  },
  'complete': (t) => {
    const c = kzalloc_words(t, 1, GFP_KERNEL, 'test_alloc');
    init_completion(t, c);
    complete(t, c);
    return privIndex(t, c);
  },
  'wake_up': (t) => {
    wake_up_word(t, t.arena.layout.user);
    return t.arena.layout.user;
  },
  'send_signal to a blocked actor': (t) => {
    const b = t.arena.actor(1);
    const word = t.arena.layout.user + 1;
    t.i32[b + A_WAIT_KIND] = WAITK_WORD;
    t.i32[b + A_WAIT_OBJ] = word;
    Atomics.store(t.i32, b + A_STATE, ACTOR_BLOCKED);
    send_signal(t, 1);
    return word;
  },
};

describe('Task.wake', () => {
  it.each([
    { site: 'dma_fence_signal', executor: 'stress', sleeper: true, wakes: 'once' },
    { site: 'dma_fence_signal', executor: 'stress', sleeper: false, wakes: 'never' },
    { site: 'mutex_unlock', executor: 'stress', sleeper: true, wakes: 'once' },
    { site: 'mutex_unlock', executor: 'stress', sleeper: false, wakes: 'never' },
    { site: 'mutex_unlock', executor: 'inline', sleeper: true, wakes: 'never' },
    { site: 'complete', executor: 'stress', sleeper: true, wakes: 'once' },
    { site: 'complete', executor: 'inline', sleeper: true, wakes: 'never' },
    { site: 'wake_up', executor: 'stress', sleeper: true, wakes: 'once' },
    { site: 'wake_up', executor: 'inline', sleeper: true, wakes: 'never' },
    { site: 'send_signal to a blocked actor', executor: 'stress', sleeper: true, wakes: 'once' },
    { site: 'send_signal to a blocked actor', executor: 'inline', sleeper: true, wakes: 'never' },
  ])('$site under $executor, sleeper possible: $sleeper, wakes its word $wakes', ({ site, executor, sleeper, wakes }) => {
    const { t, woken } = boot(executor === 'stress' ? EXEC_STRESS : EXEC_INLINE);
    const word = SITES[site]!(t, sleeper);
    expect(woken).toEqual(wakes === 'once' ? [word] : []);
  });
});

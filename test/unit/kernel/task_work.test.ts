/**
 * task_work as the deferred fput uses it (kernel/task_work.ts): work a task queues runs at its
 * next scheduling point at which it holds no lock (sleeping or spin), is preemptible, is in no
 * fence-signalling section and is not asleep — never under a lock it held when it queued the
 * work —, or at its exit, whatever the task holds then (interrupts left off are on by then); the
 * work's scheduling points are the task's, and the task's own code resumes at the operation it
 * was about to run. Work queued by work runs in the same pass; Task.begin drops what an ended
 * trial left.
 */
import { describe, expect, it } from 'vitest';
import { Arena } from '../../../src/shm/arena.js';
import { ACTOR_BLOCKED, ACTOR_READY, A_STATE, EXEC_INLINE, M_WAIT_LOCK, opOf, packOp } from '../../../src/shm/layout.js';
import { OP_YIELD } from '../../../src/trace/ops.js';
import { kernelBoot } from '../../../src/kernel/boot.js';
import { mutex_init, mutex_lock, mutex_unlock } from '../../../src/kernel/ww_mutex.js';
import { dma_fence_begin_signalling, dma_fence_end_signalling } from '../../../src/kernel/dma_fence_signal.js';
import { dma_buf_export, dma_buf_put, type DmaBuf } from '../../../src/kernel/dma_buf.js';
import { registerDmaBufOps, type DmaBufOps } from '../../../src/kernel/dma_buf_ops.js';
import { hardirq_enter, hardirq_exit, local_irq_restore, local_irq_save } from '../../../src/kernel/hardirq.js';
import { irqs_disabled } from '../../fixtures/kernel.js';
import { spin_lock_irqsave } from '../../../src/kernel/spinlock_lockdep.js';
import { spin_lock, spin_unlock } from '../../../src/kernel/spinlock.js';
import { Task } from '../../../src/kernel/task.js';
import { task_step, task_work_add } from '../../../src/kernel/task_work.js';
import { finishActor } from '../../../src/exec/resume.js';
import { findingCodes } from '../../support/fence_task.js';
import { spinlockAlloc } from '../../fixtures/spinlock.js';
import type { KGen, Mutex } from '../../../src/kernel/types.js';

const op = (n: number): number => packOp(OP_YIELD, n);

function boot(): Task {
  const a = Arena.create();
  a.resetTrial({ actors: 1, mode: EXEC_INLINE, stepLimit: 100, waitPolicy: 0, replayLen: 0 });
  const t = new Task(a, 0, 'putter');
  kernelBoot(t);
  return t;
}

/** A work that logs its start and end around two scheduling points of its own (ops 100, 101). */
function work(log: string[], name: string) {
  return function* (t: Task): KGen<void> {
    log.push(`${name} start, held ${t.held()}`);
    yield op(100);
    yield op(101);
    log.push(`${name} end`);
  };
}

/** Step `gen` through task_step to its end, logging the values handed to the executor (`op N`
 *  for op(N), `lock` for the others), then 'done'. */
function steps(t: Task, gen: KGen<unknown>, log: string[]): string[] {
  for (;;) {
    const r = task_step(t, gen);
    if (r.done === true) { log.push('done'); return log; }
    log.push(opOf(r.value) === OP_YIELD ? `op ${r.value & 0xffffff}` : 'lock');
  }
}

/** The lock the exporter below takes in its release (made in the test's arena) and its log. */
const sleeping = { lock: 0 as Mutex, log: [] as string[] };
/** An exporter whose release sleeps (takes a mutex, as VFIO's takes memory_lock), logging. */
const SLEEPING_RELEASE: DmaBufOps = {
  *map_dma_buf(): KGen<number> { return 1; },
  *unmap_dma_buf(): KGen<void> { /* nothing mapped */ },
  *release(t: Task): KGen<void> {
    sleeping.log.push('release');
    yield* mutex_lock(t, sleeping.lock);
    mutex_unlock(t, sleeping.lock);
    sleeping.log.push('released');
  },
};

describe('task work (TWA_RESUME)', () => {
  it('does not run inside a fence-signalling section (lockdep holds dma_fence_map there)', () => {
    const t = boot();
    const log: string[] = [];
    function* body(): KGen<void> {
      const cookie = dma_fence_begin_signalling(t);
      task_work_add(t, work(log, 'w'));
      yield op(1);
      dma_fence_end_signalling(t, cookie);
      log.push('ended');
      yield op(2);
    }
    expect(steps(t, body(), log)).toEqual(['op 1', 'ended', 'w start, held 0', 'op 100', 'op 101', 'w end', 'op 2', 'done']);
  });

  it.each([
    ['holding a spinlock', (t: Task): (() => void) => {
      const word = t.arena.mutex(mutex_init(t)) + M_WAIT_LOCK;
      spin_lock(t, word, 0);
      return () => spin_unlock(t, word);
    }],
    ['with interrupts disabled', (t: Task): (() => void) => {
      const flags = local_irq_save(t);
      return () => local_irq_restore(t, flags);
    }],
    ['in hardirq context', (t: Task): (() => void) => {
      hardirq_enter(t);
      return () => hardirq_exit(t);
    }],
  ] as const)('does not run at a scheduling point reached %s (no return to user mode there), but at the next one preemptible', (_how, enter) => {
    const t = boot();
    const log: string[] = [];
    function* body(): KGen<void> {
      const leave = enter(t);
      task_work_add(t, work(log, 'w'));
      yield op(1);
      leave();
      log.push('left');
      yield op(2);
    }
    expect(steps(t, body(), log)).toEqual(['op 1', 'left', 'w start, held 0', 'op 100', 'op 101', 'w end', 'op 2', 'done']);
  });

  it('takes a last dma_buf_put under a spinlock: the release waits for the next preemptible scheduling point (fput never releases in atomic context)', () => {
    const t = boot();
    const log: string[] = [];
    const ops = registerDmaBufOps('task_work_test_exporter', {
      *map_dma_buf(): KGen<number> { return 1; },
      *unmap_dma_buf(): KGen<void> { /* nothing mapped */ },
      *release(): KGen<void> { log.push('release'); },
    });
    const db = dma_buf_export(t, { ops, size: 1, priv: 0 }) as DmaBuf;
    const word = t.arena.mutex(mutex_init(t)) + M_WAIT_LOCK;
    function* body(): KGen<void> {
      spin_lock(t, word, 0);
      yield* dma_buf_put(t, db);
      log.push('put');
      yield op(1);
      spin_unlock(t, word);
      log.push('unlocked');
      yield op(2);
    }
    expect(steps(t, body(), log)).toEqual(['put', 'op 1', 'unlocked', 'release', 'op 2', 'done']);
  });

  it.each([
    ['holding a spinlock: the exit resets no preempt count, so __fput\'s might_sleep and its sleep are SLEEP_IN_ATOMIC (and its mutex lockdep\'s invalid wait context), before the exit\'s LOCK_HELD_AT_EXIT',
      (t: Task): void => spin_lock(t, t.arena.mutex(mutex_init(t)) + M_WAIT_LOCK, 0), ['SLEEP_IN_ATOMIC', 'SLEEP_IN_ATOMIC', 'INVALID_WAIT_CONTEXT', 'LOCK_HELD_AT_EXIT']],
    ['with interrupts disabled: EXITED_IRQS_DISABLED, and interrupts go on before the work runs (every exit path enables them), so its sleep is no SLEEP_IN_ATOMIC',
      (t: Task): void => { local_irq_save(t); }, ['EXITED_IRQS_DISABLED']],
    ['holding a spinlock taken irqsave: EXITED_IRQS_DISABLED first, then the spinlock still makes __fput and the sleep SLEEP_IN_ATOMIC',
      (t: Task): void => { spin_lock_irqsave(t, spinlockAlloc(t, 'tw_exit_irqsave')); }, ['EXITED_IRQS_DISABLED', 'SLEEP_IN_ATOMIC', 'SLEEP_IN_ATOMIC', 'INVALID_WAIT_CONTEXT', 'LOCK_HELD_AT_EXIT']],
  ] as const)('runs a release queued %s (do_exit runs exit_task_work)', (_how, enter, want) => {
    const t = boot();
    const log: string[] = [];
    const ops = registerDmaBufOps('task_work_exit_test_exporter', SLEEPING_RELEASE);
    const db = dma_buf_export(t, { ops, size: 1, priv: 0 }) as DmaBuf;
    sleeping.lock = mutex_init(t, 'tw_release_lock');
    sleeping.log = log;
    function* body(): KGen<void> {
      enter(t);
      yield* dma_buf_put(t, db);
      log.push('put');
      yield op(1);
    }
    expect(steps(t, body(), log)).toEqual(['put', 'op 1', 'release', 'lock', 'released', 'done']);
    finishActor(t);
    expect([irqs_disabled(t), findingCodes(t)]).toEqual([false, want]);
  });

  it('does not run while the task is asleep, but at its next scheduling point awake', () => {
    const t = boot();
    const log: string[] = [];
    function* body(): KGen<void> {
      task_work_add(t, work(log, 'w'));
      t.i32[t.base + A_STATE] = ACTOR_BLOCKED;
      yield op(1);
      t.i32[t.base + A_STATE] = ACTOR_READY;
      yield op(2);
    }
    expect(steps(t, body(), log)).toEqual(['op 1', 'w start, held 0', 'op 100', 'op 101', 'w end', 'op 2', 'done']);
  });

  it.each([
    ['at the first scheduling point holding no lock, before the operation the task was about to run', true,
      ['lock', 'op 1', 'unlocked', 'w start, held 0', 'op 100', 'op 101', 'w end', 'op 2', 'after op 2', 'done']],
    ['at exit (exit_task_work) when the task never got back to user mode, before it is done', false,
      ['lock', 'op 1', 'unlocked', 'w start, held 0', 'op 100', 'op 101', 'w end', 'done']],
  ] as const)('queued under a lock, runs %s', (_when, more, want) => {
    const t = boot();
    const m = mutex_init(t, 'tw_test_lock');
    const log: string[] = [];
    function* body(): KGen<void> {
      yield* mutex_lock(t, m);
      task_work_add(t, work(log, 'w'));
      yield op(1);
      mutex_unlock(t, m);
      log.push('unlocked');
      if (!more) return;
      yield op(2);
      log.push('after op 2');
    }
    expect(steps(t, body(), log)).toEqual(want);
  });

  it('runs the works queued before the run newest first, then work queued by a work', () => {
    const t = boot();
    const log: string[] = [];
    function* first(task: Task): KGen<void> {
      task_work_add(task, work(log, 'second'));
      log.push('first');
      yield op(50);
    }
    function* body(): KGen<void> {
      task_work_add(t, first);
      task_work_add(t, work(log, 'w'));
      yield op(1);
    }
    expect(steps(t, body(), log)).toEqual([
      'w start, held 0', 'op 100', 'op 101', 'w end', 'first', 'op 50',
      'second start, held 0', 'op 100', 'op 101', 'second end', 'op 1', 'done',
    ]);
  });

  it('is dropped, with the run in progress, when the task begins a new trial', () => {
    const t = boot();
    const log: string[] = [];
    function* body(): KGen<void> {
      task_work_add(t, work(log, 'never'));
      task_work_add(t, work(log, 'w'));
      yield op(1);
    }
    expect(task_step(t, body()).value).toBe(op(100));
    t.begin(1);
    function* next(): KGen<void> { yield op(7); }
    expect(steps(t, next(), [])).toEqual(['op 7', 'done']);
    expect(log).toEqual(['w start, held 0']);
  });
});

// A dma-buf's last fput in hardirq context (fs/file_table.c fput: in_interrupt() → delayed_fput,
// run by a kworker; kernel/task_work.ts: the interrupted task's task work stands in for it): the
// poll callback of a fence an interrupt handler signals drops the last file reference, and the
// release runs after the handler, in process context, at the task's next scheduling point — as a
// last put from process context under the fence lock does (task work, TWA_RESUME) — and before
// the trial's leak check, through both executors. __fput's might_sleep makes a release run in
// atomic context a finding of its own (SLEEP_IN_ATOMIC titled after __fput).
import { describe, expect, it } from 'vitest';
import { packOp } from '../../../src/shm/layout.js';
import { OP_YIELD } from '../../../src/trace/ops.js';
import { in_hardirq, preemptible } from '../../../src/kernel/preempt.js';
import { task_step } from '../../../src/kernel/task_work.js';
import { finishActor } from '../../../src/exec/resume.js';
import {
  DMA_RESV_USAGE_WRITE, EPOLLIN, dma_buf_file_active, dma_buf_poll, dma_buf_put, dma_fence_signal, hardirq_enter,
  hardirq_exit, registerDmaBufOps, spin_lock, spin_unlock, type DmaBuf, type Fence, type KGen, type Task,
} from '../../fixtures/kernel.js';
import { spinlockAlloc } from '../../fixtures/spinlock.js';
import { fencedBuf } from '../../fixtures/dmabuf/fenced_buf.js';
import { IRQ_FPUT, irqLastFput } from '../../fixtures/dmabuf/irq_last_fput.js';
import { EXECUTORS, findingTitles, runTrials } from '../../support/both.js';
import { drive, fenceTask, findingCodes, taskFindingTitles } from '../../support/fence_task.js';

const log: string[] = [];
const OPS = registerDmaBufOps('fput_in_hardirq_exporter', {
  *map_dma_buf(): KGen<number> { return 1; },
  *unmap_dma_buf(): KGen<void> { /* nothing mapped */ },
  *release(t: Task): KGen<void> { log.push(`release: hardirq ${in_hardirq(t)}, preemptible ${preemptible(t)}`); },
});

/** A buffer whose only file reference is held by dma_buf_poll's callback, armed on fence f. */
function polledOnly(t: Task): { db: DmaBuf; f: Fence } {
  const { db, f } = fencedBuf(t, OPS, DMA_RESV_USAGE_WRITE);
  expect(drive(dma_buf_poll(t, db, EPOLLIN))).toBe(0);
  drive(dma_buf_put(t, db));
  return { db, f };
}

/** Step `gen` through task_step to its end, logging `op N` for each op(N) yielded, then 'done'. */
function steps(t: Task, gen: KGen<unknown>): string[] {
  for (let r = task_step(t, gen); r.done !== true; r = task_step(t, gen)) log.push(`op ${r.value & 0xffffff}`);
  log.push('done');
  return log;
}

const op = (n: number): number => packOp(OP_YIELD, n);

/** Where the fence is signalled: entered before the signal, left after it. */
const SIGNAL_CONTEXTS: readonly [string, (t: Task) => () => void][] = [
  ['in an interrupt handler (delayed_fput)', (t) => { hardirq_enter(t); return () => hardirq_exit(t); }],
  ['in process context under a spinlock (task work)', (t) => {
    const l = spinlockAlloc(t, 'fput_in_hardirq_L');
    spin_lock(t, l);
    return () => spin_unlock(t, l);
  }],
];

describe('a last fput from a fence callback', () => {
  it.each(SIGNAL_CONTEXTS)('signalled %s: released after the section, at the next scheduling point, preemptible', (_, enter) => {
    log.length = 0;
    const t = fenceTask();
    const { db, f } = polledOnly(t);
    function* body(): KGen<void> {
      const leave = enter(t);
      dma_fence_signal(t, f);
      log.push(`signalled: file active ${dma_buf_file_active(t, db)}`);
      leave();
      log.push('left');
      yield op(1);
      yield op(2);
    }
    expect(steps(t, body())).toEqual([
      'signalled: file active false', 'left', 'release: hardirq false, preemptible true', 'op 1', 'op 2', 'done',
    ]);
    expect(findingCodes(t)).toEqual([]);
  });

  it('run at an exit still holding a spinlock: __fput\'s might_sleep is SLEEP_IN_ATOMIC titled after __fput', () => {
    log.length = 0;
    const t = fenceTask();
    const { f } = polledOnly(t);
    function* body(): KGen<void> {
      hardirq_enter(t);
      dma_fence_signal(t, f);
      hardirq_exit(t);
      spin_lock(t, spinlockAlloc(t, 'fput_exit_L'));
      yield op(1);
    }
    expect(steps(t, body())).toEqual(['op 1', 'release: hardirq false, preemptible false', 'done']);
    finishActor(t);
    expect(taskFindingTitles(t)[0]).toBe('SLEEP_IN_ATOMIC: assertion in __fput (sleeping function called from invalid context)');
  });
});

describe.each(EXECUTORS)('a buffer whose last reference an interrupt handler drops (%s)', (kind) => {
  it('is released in process context by the interrupted task, before the leak check: no finding, no leak', async () => {
    const results = await runTrials(kind, irqLastFput, 10, { leakCheck: true });
    expect(findingTitles(results)).toEqual([]);
    const words = results.map((r) => [r.end, r.user[IRQ_FPUT.RELEASED], r.user[IRQ_FPUT.RELEASED_BY]]);
    expect(words).toEqual(results.map(() => ['done', 1, 2]));
  });
});

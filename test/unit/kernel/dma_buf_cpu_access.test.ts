// dma_buf_begin_cpu_access / dma_buf_end_cpu_access and DMA_BUF_IOCTL_SYNC (kernel-semantics
// §4.6, §1.8's callers table, §4.3): the exporter's op first, then (begin only) the
// interruptible wait for usage_rw(write) fences; the ioctl's flag checks and direction mapping;
// might_lock of the resv lock, so a caller holding it is lockdep's recursive locking. The waits
// are observed through a pending signal: an unsignaled fence the call must wait for makes it
// return -ERESTARTSYS without sleeping, one it must not wait for lets it return 0.
import { describe, expect, it } from 'vitest';
import {
  EINVAL_RET, DMA_BIDIRECTIONAL, DMA_BUF_SYNC_END, DMA_BUF_SYNC_READ, DMA_BUF_SYNC_RW, DMA_BUF_SYNC_START, DMA_BUF_SYNC_WRITE,
  DMA_FROM_DEVICE, DMA_RESV_USAGE_READ, DMA_RESV_USAGE_WRITE, DMA_TO_DEVICE, ERESTARTSYS_RET, dma_buf_begin_cpu_access,
  dma_buf_end_cpu_access, dma_buf_export, dma_buf_ioctl_sync, dma_buf_put, dma_buf_resv, dma_fence_context_alloc,
  dma_fence_init, dma_resv_add_fence, dma_resv_lock, dma_resv_reserve_fences, dma_resv_unlock, registerDmaBufOps,
  send_signal, type DmaBuf, type DmaDataDirection, type KGen, type Task,
} from '../../fixtures/kernel.js';
import { codes, runOnce } from '../../fixtures/lockdep/run_once.js';
import { scripted } from '../../fixtures/lockdep/scripted.js';
import { drive, fenceTask, findingCodes } from '../../support/fence_task.js';

const EBUSY_RET = -16;

/** What the exporter ops saw, and what begin_cpu_access returns next. */
const seen: { calls: string[]; beginRet: number } = { calls: [], beginRet: 0 };

const BASE = {
  *map_dma_buf(): KGen<number> { return 1; },
  *unmap_dma_buf(): KGen<void> { /* nothing mapped */ },
  *release(): KGen<void> { /* nothing held */ },
};
const PLAIN = registerDmaBufOps('cpu_access_test_plain_ops', BASE);
const CPU = registerDmaBufOps('cpu_access_test_cpu_ops', {
  ...BASE,
  *begin_cpu_access(_t: Task, _db: number, dir: DmaDataDirection): KGen<number> { seen.calls.push(`begin ${dir}`); return seen.beginRet; },
  *end_cpu_access(_t: Task, _db: number, dir: DmaDataDirection): KGen<number> { seen.calls.push(`end ${dir}`); return 7; },
});

/** A dma-buf of `ops` whose resv holds one unsignaled fence of `usage`. */
function fenced(t: Task, ops: number, usage: number): DmaBuf {
  seen.calls = [];
  seen.beginRet = 0;
  const db = dma_buf_export(t, { ops, size: 1, priv: 1 }) as DmaBuf;
  const r = dma_buf_resv(t, db);
  drive(dma_resv_lock(t, r, null));
  expect(dma_resv_reserve_fences(t, r, 1)).toBe(0);
  dma_resv_add_fence(t, r, dma_fence_init(t, dma_fence_context_alloc(t, 1), 1), usage as 1);
  dma_resv_unlock(t, r);
  return db;
}

/** A task with a signal pending: an interruptible wait that would sleep returns -ERESTARTSYS. */
function signalled(): Task {
  const t = fenceTask();
  send_signal(t, 0);
  return t;
}

describe('dma_buf_begin_cpu_access waits for usage_rw(write) fences, interruptibly', () => {
  it.each([
    ['DMA_FROM_DEVICE (a reader) passes a READ fence', DMA_FROM_DEVICE, DMA_RESV_USAGE_READ, 0],
    ['DMA_FROM_DEVICE (a reader) waits for a WRITE fence', DMA_FROM_DEVICE, DMA_RESV_USAGE_WRITE, ERESTARTSYS_RET],
    ['DMA_TO_DEVICE (a writer) waits for a READ fence', DMA_TO_DEVICE, DMA_RESV_USAGE_READ, ERESTARTSYS_RET],
    ['DMA_BIDIRECTIONAL (a writer) waits for a READ fence', DMA_BIDIRECTIONAL, DMA_RESV_USAGE_READ, ERESTARTSYS_RET],
  ])('%s', (_, dir, usage, ret) => {
    const t = signalled();
    expect(drive(dma_buf_begin_cpu_access(t, fenced(t, PLAIN, usage), dir))).toBe(ret);
    expect(findingCodes(t)).toEqual([]);
  });

  it('calls the exporter op first and waits only when it returned 0', () => {
    const t = signalled();
    const db = fenced(t, CPU, DMA_RESV_USAGE_WRITE);
    seen.beginRet = EBUSY_RET;
    expect(drive(dma_buf_begin_cpu_access(t, db, DMA_TO_DEVICE))).toBe(EBUSY_RET);
    seen.beginRet = 0;
    expect(drive(dma_buf_begin_cpu_access(t, db, DMA_TO_DEVICE))).toBe(ERESTARTSYS_RET);
    expect(seen.calls).toEqual([`begin ${DMA_TO_DEVICE}`, `begin ${DMA_TO_DEVICE}`]);
  });
});

describe('dma_buf_end_cpu_access', () => {
  it('returns the exporter op\'s return and waits for nothing; 0 without an op', () => {
    const t = signalled();
    expect(drive(dma_buf_end_cpu_access(t, fenced(t, CPU, DMA_RESV_USAGE_WRITE), DMA_FROM_DEVICE))).toBe(7);
    expect(seen.calls).toEqual([`end ${DMA_FROM_DEVICE}`]);
    expect(drive(dma_buf_end_cpu_access(t, fenced(t, PLAIN, DMA_RESV_USAGE_WRITE), DMA_TO_DEVICE))).toBe(0);
  });
});

describe('DMA_BUF_IOCTL_SYNC', () => {
  it('refuses flags outside the valid mask and flags with neither READ nor WRITE with -EINVAL, calling nothing', () => {
    const t = fenceTask();
    const db = fenced(t, CPU, DMA_RESV_USAGE_READ);
    for (const flags of [8, DMA_BUF_SYNC_RW | 16, DMA_BUF_SYNC_START, DMA_BUF_SYNC_END]) {
      expect(drive(dma_buf_ioctl_sync(t, db, flags))).toBe(EINVAL_RET);
    }
    expect(seen.calls).toEqual([]);
  });

  it('refuses a bit of the __u64 flags above bit 31 with -EINVAL, calling nothing (the check is on all 64 bits)', () => {
    const t = fenceTask();
    const db = fenced(t, CPU, DMA_RESV_USAGE_READ);
    seen.calls = [];
    for (const high of [2 ** 32, 2 ** 40, 2 ** 52, -(2 ** 32)]) {
      expect(drive(dma_buf_ioctl_sync(t, db, high + DMA_BUF_SYNC_READ))).toBe(EINVAL_RET);
      expect(drive(dma_buf_ioctl_sync(t, db, high + (DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE)))).toBe(EINVAL_RET);
    }
    expect(seen.calls).toEqual([]);
  });

  it('refuses flags that are no integer with -EINVAL, calling nothing (a fraction is no __u64, not a valid low part)', () => {
    const t = fenceTask();
    const db = fenced(t, CPU, DMA_RESV_USAGE_READ);
    seen.calls = [];
    for (const flags of [DMA_BUF_SYNC_READ + 0.5, DMA_BUF_SYNC_RW + 0.25, (DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE) + 0.5, NaN, Infinity]) {
      expect(drive(dma_buf_ioctl_sync(t, db, flags))).toBe(EINVAL_RET);
    }
    expect(seen.calls).toEqual([]);
  });

  it('maps READ, WRITE, RW to FROM_DEVICE, TO_DEVICE, BIDIRECTIONAL; END ends, START begins', () => {
    const t = fenceTask();
    const db = fenced(t, CPU, DMA_RESV_USAGE_READ);
    seen.calls = [];
    for (const rw of [DMA_BUF_SYNC_READ, DMA_BUF_SYNC_WRITE, DMA_BUF_SYNC_RW]) {
      expect(drive(dma_buf_ioctl_sync(t, db, DMA_BUF_SYNC_END | rw))).toBe(7);
    }
    expect(drive(dma_buf_ioctl_sync(t, db, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ))).toBe(0);
    expect(seen.calls).toEqual([`end ${DMA_FROM_DEVICE}`, `end ${DMA_TO_DEVICE}`, `end ${DMA_BIDIRECTIONAL}`, `begin ${DMA_FROM_DEVICE}`]);
  });
});

describe('CPU access on a bad dma-buf', () => {
  it('is -EINVAL after reporting a released one (DMABUF_USE_AFTER_FREE)', () => {
    const t = fenceTask();
    const db = fenced(t, CPU, DMA_RESV_USAGE_READ);
    drive(dma_buf_put(t, db));
    expect(drive(dma_buf_begin_cpu_access(t, db, DMA_FROM_DEVICE))).toBe(EINVAL_RET);
    expect(findingCodes(t)).toEqual(['DMABUF_USE_AFTER_FREE']);
    expect(seen.calls).toEqual([]);
  });
});

interface Env { readonly db: DmaBuf }
const cpu = scripted('dma-buf-cpu-access', (t: Task): Env => ({ db: dma_buf_export(t, { ops: PLAIN, size: 1, priv: 1 }) as DmaBuf }));

/** One trial of `body`, then the setup's dma-buf put (no leak finding). */
function trial(body: (t: Task, e: Env) => KGen<void>): ReturnType<typeof runOnce> {
  return runOnce(cpu, function* (t, e) { yield* body(t, e); yield* dma_buf_put(t, e.db); });
}

describe('CPU access findings, titled', () => {
  it('begin on a NULL dma-buf WARNs DMABUF_CPU_ACCESS_NULL, -EINVAL', () => {
    const rets: number[] = [];
    const { r } = trial(function* (t) { rets.push(yield* dma_buf_begin_cpu_access(t, -1 as DmaBuf, DMA_TO_DEVICE)); });
    expect(rets).toEqual([EINVAL_RET]);
    expect(codes(r)).toEqual([['DMABUF_CPU_ACCESS_NULL', 'assertion in dma_buf_begin_cpu_access']]);
  });

  it('end on a NULL dma-buf WARNs DMABUF_CPU_ACCESS_NULL, then oopses on the NULL dereference', () => {
    const rets: number[] = [];
    const { r } = trial(function* (t) { rets.push(yield* dma_buf_end_cpu_access(t, -1 as DmaBuf, DMA_TO_DEVICE)); });
    expect(r.end).toBe('bug');
    expect(rets).toEqual([]);
    expect(codes(r)).toEqual([
      ['DMABUF_CPU_ACCESS_NULL', 'assertion in dma_buf_end_cpu_access'],
      ['DMABUF_END_CPU_ACCESS_NULL_DEREF', 'crash in dma_buf_end_cpu_access'],
    ]);
  });

  it.each([
    ['dma_buf_begin_cpu_access', dma_buf_begin_cpu_access],
    ['dma_buf_end_cpu_access', dma_buf_end_cpu_access],
  ])('%s with the resv lock held is possible recursive locking (might_lock)', (_, call) => {
    const { r } = trial(function* (t, e) {
      const resv = dma_buf_resv(t, e.db);
      yield* dma_resv_lock(t, resv, null);
      expect(yield* call(t, e.db, DMA_FROM_DEVICE)).toBe(0);
      dma_resv_unlock(t, resv);
    });
    expect(r.end).toBe('done');
    expect(codes(r)).toEqual([['LOCK_RECURSIVE', 'assertion in might_lock (possible recursive locking detected)']]);
  });

  it('without the resv lock held is no finding', () => {
    const { r } = trial(function* (t, e) {
      expect(yield* dma_buf_begin_cpu_access(t, e.db, DMA_BIDIRECTIONAL)).toBe(0);
      expect(yield* dma_buf_end_cpu_access(t, e.db, DMA_BIDIRECTIONAL)).toBe(0);
    });
    expect(codes(r)).toEqual([]);
  });
});

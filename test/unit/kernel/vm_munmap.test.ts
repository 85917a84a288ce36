// The vma's file reference (dma_buf_mmap's vma_set_file) and vm_munmap: a user that mmaps a
// dma-buf, closes its fd and keeps touching the mapping keeps the buffer alive — the exporter's
// release runs at munmap's fput, not before; a touch through an unmapped vma is SIGSEGV (-EFAULT)
// with no finding, and a revoke after the munmap has no PTE of it to zap. A failed mmap leaves no
// vma (mmap_region frees it). A vma is its owner's and is mmapped once (ERR_SCENARIO otherwise:
// another actor's mmap, touch or munmap; a second mmap). A vma left mapped: test/unit/check/leaks_vma.test.ts. Fixtures: test/fixtures/vfio/mmap_munmap.ts (VFIO's mmap and
// fault handler) and a minimal exporter below.
import { describe, expect, it } from 'vitest';
import { EFAULT, EINVAL, ENODEV } from '../../../src/errno/errno.js';
import { findLeaks } from '../../../src/check/leaks.js';
import {
  VM_SHARED, cpu_access, unmap_mapping_range, vm_area_alloc, vma_dmabuf, vma_flags, vma_mmap_failed, vma_revoke_returned, vma_unmapped,
  vmf_insert_pfn, type Vma,
} from '../../../src/kernel/cpu_mapping.js';
import { dma_buf_export, dma_buf_file_active, dma_buf_put, type DmaBuf } from '../../../src/kernel/dma_buf.js';
import { registerDmaBufOps } from '../../../src/kernel/dma_buf_ops.js';
import { dma_buf_mmap } from '../../../src/kernel/dma_buf_vmap.js';
import { phys_alloc } from '../../../src/kernel/memory.js';
import type { Task } from '../../../src/kernel/task.js';
import type { KGen } from '../../../src/kernel/types.js';
import { vm_munmap } from '../../../src/kernel/vm_munmap.js';
import { DB_FILEREFS, PTE_PAGE, VM_PTES, VM_REVOKED_BY } from '../../../src/shm/layout.js';
import { EXECUTORS, runTrials } from '../../support/both.js';
import { drive, fenceTask, taskFindingTitles } from '../../support/fence_task.js';
import { twoTasks } from '../../support/two_tasks.js';
import { MR, MU, mmapCloseFd, mmapFailed, revokeAfterMunmapNoZap, revokeAfterMunmapZap } from '../../fixtures/vfio/mmap_munmap.js';

/** A touch's return as the fixtures store it (+ 1000). */
const OK = 1000;
const YES = 1;
const NO = 2;

describe.each(EXECUTORS)('a dma-buf mmapped, its fd closed (%s)', (kind) => {
  it('stays alive through the vma: the touch goes through, the release runs at munmap\'s fput, the leak check is clean', async () => {
    for (const r of await runTrials(kind, mmapCloseFd, 5, { leakCheck: true })) {
      expect(r.end).toBe('done');
      expect(r.findings).toEqual([]);
      expect([r.user[MR.MMAP], r.user[MR.FIRST]]).toEqual([OK, OK]);
      expect([r.user[MU.ACTIVE_BEFORE], r.user[MU.LISTED_BEFORE]]).toEqual([YES, YES]);
      expect([r.user[MU.ACTIVE_AFTER], r.user[MU.LISTED_AFTER]]).toEqual([NO, NO]);
    }
  });

  it('a touch through the vma after munmap is SIGSEGV (-EFAULT), no finding', async () => {
    for (const r of await runTrials(kind, mmapCloseFd, 5, { leakCheck: true })) {
      expect(r.user[MR.LAST]).toBe(OK - EFAULT);
      expect(r.findings).toEqual([]);
    }
  });
});

describe.each(EXECUTORS)('a revoke after the user\'s munmap (%s)', (kind) => {
  it.each([
    ['with the zap', revokeAfterMunmapZap],
    ['without the zap', revokeAfterMunmapNoZap],
  ] as const)('%s: nothing of the vma is left to zap or reach; the touch after it is -EFAULT, no finding', async (_name, scenario) => {
    for (const r of await runTrials(kind, scenario, 10, { leakCheck: true })) {
      expect(r.findings).toEqual([]);
      expect([r.user[MR.FIRST], r.user[MR.LAST]]).toEqual([OK, OK - EFAULT]);
    }
  });
});

describe.each(EXECUTORS)('a failed mmap in a trial (%s)', (kind) => {
  it('leaves no vma: the touch through the handle is -EFAULT, the close releases the buffer, no finding and no leak', async () => {
    for (const r of await runTrials(kind, mmapFailed, 5, { leakCheck: true })) {
      expect(r.end).toBe('done');
      expect(r.findings).toEqual([]);
      expect([r.user[MR.MMAP], r.user[MR.FIRST]]).toEqual([OK - EINVAL, OK - EFAULT]);
      expect([r.user[MU.ACTIVE_AFTER], r.user[MU.LISTED_AFTER]]).toEqual([NO, NO]);
    }
  });
});

/** Exporter releases seen by the unit tests below (the buffer's id, in order). */
const released: number[] = [];
/** A minimal exporter with an mmap that refuses a private mapping, and a release that records. */
const OPS = registerDmaBufOps('vm_munmap_test_exporter', {
  *map_dma_buf(): KGen<number> { return 1; },
  *unmap_dma_buf(): KGen<void> { /* nothing mapped */ },
  *release(_t: Task, db: number): KGen<void> { released.push(db); },
  *mmap(t: Task, _db: number, vma: Vma): KGen<number> { return (vma_flags(t, vma) & VM_SHARED) === 0 ? -EINVAL : 0; },
});

/** An exporter whose mmap maps page 0 itself (as a driver's remap_pfn_range would) and then
 *  refuses: the partial mapping mmap_region's unwind undoes. */
const PREFAULT = registerDmaBufOps('vm_munmap_test_prefault_exporter', {
  *map_dma_buf(): KGen<number> { return 1; },
  *unmap_dma_buf(): KGen<void> { /* nothing mapped */ },
  *release(): KGen<void> { /* nothing to free */ },
  *mmap(t: Task, db: number, vma: Vma): KGen<number> {
    vmf_insert_pfn(t, vma, 0, phys_alloc(t, db));
    return -ENODEV;
  },
});

/** A buffer of two pages (one file reference: the caller's fd) and a vma of `t` mapping it, the
 *  PTE of its page 0 present (as a fault handler leaves it). */
function mapped(t: Task): { db: DmaBuf; vma: Vma } {
  const db = dma_buf_export(t, { ops: OPS, size: 2, priv: 0 }) as DmaBuf;
  const vma = vm_area_alloc(t, 2) as Vma;
  expect(drive(dma_buf_mmap(t, db, vma, 0))).toBe(0);
  vmf_insert_pfn(t, vma, 0, phys_alloc(t, db));
  return { db, vma };
}

const refs = (t: Task, db: DmaBuf): number => t.i32[t.arena.dmabuf(db) + DB_FILEREFS]!;

describe('dma_buf_mmap and vm_munmap', () => {
  it('the mmap takes one file reference for the vma, munmap drops it', () => {
    const t = fenceTask();
    const { db, vma } = mapped(t);
    expect(refs(t, db)).toBe(2);
    expect(drive(vm_munmap(t, vma))).toBe(0);
    expect(refs(t, db)).toBe(1);
    expect(taskFindingTitles(t)).toEqual([]);
  });

  it('a refused mmap leaves no reference (the mmap caller\'s unwind fputs the vma\'s file)', () => {
    const t = fenceTask();
    const db = dma_buf_export(t, { ops: OPS, size: 2, priv: 0 }) as DmaBuf;
    expect(drive(dma_buf_mmap(t, db, vm_area_alloc(t, 2, 0) as Vma, 0))).toBe(-EINVAL);
    expect(refs(t, db)).toBe(1);
  });

  it('the fd closed first, the exporter\'s release runs exactly at munmap\'s fput', () => {
    const t = fenceTask();
    const { db, vma } = mapped(t);
    released.length = 0;
    drive(dma_buf_put(t, db));
    expect([released, dma_buf_file_active(t, db)]).toEqual([[], true]);
    expect(drive(cpu_access(t, vma, 0, false))).toBe(0);
    drive(vm_munmap(t, vma));
    expect([released, dma_buf_file_active(t, db)]).toEqual([[db], false]);
    expect(taskFindingTitles(t)).toEqual([]);
  });

  it('munmap first, the exporter\'s release runs exactly at the close that follows', () => {
    const t = fenceTask();
    const { db, vma } = mapped(t);
    released.length = 0;
    drive(vm_munmap(t, vma));
    expect([released, dma_buf_file_active(t, db)]).toEqual([[], true]);
    drive(dma_buf_put(t, db));
    expect([released, dma_buf_file_active(t, db)]).toEqual([[db], false]);
  });

  it('after munmap the PTEs are gone, a touch is -EFAULT, and the buffer\'s zap and revoke stamps skip the vma', () => {
    const t = fenceTask();
    const { db, vma } = mapped(t);
    drive(vm_munmap(t, vma));
    expect(t.i32[t.arena.vma(vma) + VM_PTES + PTE_PAGE]).toBe(0);
    expect(drive(cpu_access(t, vma, 0, false))).toBe(-EFAULT);
    expect(unmap_mapping_range(t, db)).toBe(0);
    vma_revoke_returned(t, db);
    expect(t.i32[t.arena.vma(vma) + VM_REVOKED_BY]).toBe(0);
    expect(taskFindingTitles(t)).toEqual([]);
  });

  it('munmap of an unmapped vma, of one never mapped, of a row never taken, or of another actor\'s is the scenario\'s mistake (ERR_SCENARIO)', () => {
    const [u, t] = twoTasks();
    const { vma } = mapped(u);
    const scenarioError = expect.objectContaining({ code: 'ERR_SCENARIO' }) as Error;
    expect(() => drive(vm_munmap(t, vma))).toThrow(scenarioError);
    expect(vma_unmapped(u, vma)).toBe(false);
    drive(vm_munmap(u, vma));
    expect(vma_unmapped(u, vma)).toBe(true);
    expect(() => drive(vm_munmap(u, vma))).toThrow(scenarioError);
    const never = vm_area_alloc(u, 1) as Vma;
    expect(vma_unmapped(u, never)).toBe(false);
    expect(() => drive(vm_munmap(u, never))).toThrow(scenarioError);
    expect(() => drive(vm_munmap(u, (never + 1) as Vma))).toThrow(scenarioError);
  });

  it.each([
    ['one that would map (pgoff 0)', 0],
    ['one that fails (pgoff 1: past the buffer)', 1],
  ] as const)('an mmap through another actor\'s vma — %s — is the scenario\'s mistake (ERR_SCENARIO) and writes nothing: the vma stays its owner\'s to map', (_what, pgoff) => {
    const [u, t] = twoTasks();
    const db = dma_buf_export(u, { ops: OPS, size: 2, priv: 0 }) as DmaBuf;
    const vma = vm_area_alloc(u, 2) as Vma;
    expect(() => drive(dma_buf_mmap(t, db, vma, pgoff))).toThrow(expect.objectContaining({ code: 'ERR_SCENARIO' }) as Error);
    expect([vma_dmabuf(u, vma), vma_mmap_failed(u, vma), refs(u, db)]).toEqual([-1, false, 1]);
    expect(drive(dma_buf_mmap(u, db, vma, 0))).toBe(0);
    expect([vma_dmabuf(u, vma), refs(u, db)]).toEqual([db, 2]);
  });

  it.each([
    ['mapped', (_t: Task, _vma: Vma): void => { /* left mapped */ }, 2],
    ['mapped, then unmapped', (t: Task, vma: Vma): void => { drive(vm_munmap(t, vma)); }, 1],
  ] as const)('an mmap through a vma %s before is the scenario\'s mistake (ERR_SCENARIO), changing nothing: a vma is mmapped once', (_how, after, wantRefs) => {
    const t = fenceTask();
    const { db, vma } = mapped(t);
    after(t, vma);
    const row = vma_dmabuf(t, vma);
    expect(() => drive(dma_buf_mmap(t, db, vma, 0))).toThrow(expect.objectContaining({ code: 'ERR_SCENARIO' }) as Error);
    expect([vma_dmabuf(t, vma), vma_mmap_failed(t, vma), refs(t, db)]).toEqual([row, false, wantRefs]);
  });

  it('a CPU access through another actor\'s vma is the scenario\'s mistake (ERR_SCENARIO): a vma is its process\'s own', () => {
    const [u, t] = twoTasks();
    const { vma } = mapped(u);
    expect(() => drive(cpu_access(t, vma, 0, false))).toThrow(expect.objectContaining({ code: 'ERR_SCENARIO' }) as Error);
    expect(drive(cpu_access(u, vma, 0, false))).toBe(0);
  });
});

describe('a failed mmap', () => {
  it('leaves no vma (mmap_region\'s unwind): the exporter\'s partial mapping zapped, the reference put, a touch -EFAULT, no leak after the close', () => {
    const t = fenceTask();
    const db = dma_buf_export(t, { ops: PREFAULT, size: 2, priv: 0 }) as DmaBuf;
    const vma = vm_area_alloc(t, 2) as Vma;
    expect(drive(dma_buf_mmap(t, db, vma, 0))).toBe(-ENODEV);
    expect([t.i32[t.arena.vma(vma) + VM_PTES + PTE_PAGE], refs(t, db), vma_dmabuf(t, vma), vma_mmap_failed(t, vma)]).toEqual([0, 1, -1, true]);
    expect(drive(cpu_access(t, vma, 0, false))).toBe(-EFAULT);
    expect(unmap_mapping_range(t, db)).toBe(0);
    drive(dma_buf_put(t, db));
    expect(dma_buf_file_active(t, db)).toBe(false);
    expect(findLeaks(t.arena, 1)).toEqual([]);
    expect(taskFindingTitles(t)).toEqual([]);
  });

  it.each([
    ['the exporter refused (-EINVAL: a private mapping)', 0, 0, -EINVAL],
    ['the core refused (-EINVAL: past the buffer)', VM_SHARED, 1, -EINVAL],
  ] as const)('whichever refused — %s —, its handle names no vma: munmap or another mmap through it is the scenario\'s mistake (ERR_SCENARIO)', (_who, flags, pgoff, err) => {
    const t = fenceTask();
    const db = dma_buf_export(t, { ops: OPS, size: 2, priv: 0 }) as DmaBuf;
    const vma = vm_area_alloc(t, 2, flags) as Vma;
    expect(drive(dma_buf_mmap(t, db, vma, pgoff))).toBe(err);
    expect(vma_mmap_failed(t, vma)).toBe(true);
    const scenarioError = expect.objectContaining({ code: 'ERR_SCENARIO' }) as Error;
    expect(() => drive(vm_munmap(t, vma))).toThrow(scenarioError);
    expect(() => drive(dma_buf_mmap(t, db, vma, 0))).toThrow(scenarioError);
    expect(refs(t, db)).toBe(1);
  });
});

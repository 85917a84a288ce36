// revoke_return stamps the buffer's user vmas revoked and revoke_cleared clears the stamp, so any
// exporter that mmaps a buffer gets the CPU judgement where it marks its revoke's return: a touch
// through a PTE left in place is then use-after-revoke in cpu_access, and not again once cleared.
import { describe, expect, it } from 'vitest';
import { cpu_access, vm_area_alloc, vma_revoke_returned, vma_set_dmabuf, vmf_insert_pfn, type Vma } from '../../../src/kernel/cpu_mapping.js';
import type { DmaBuf } from '../../../src/kernel/dma_buf.js';
import { phys_alloc } from '../../../src/kernel/memory.js';
import { revoke_cleared, revoke_return } from '../../../src/kernel/revoke.js';
import type { Task } from '../../../src/kernel/task.js';
import { drive, fenceTask, taskFindingTitles } from '../../support/fence_task.js';

const DB = 0 as DmaBuf;

/** A one-page vma of DB with its PTE present (as an exporter's fault handler leaves it). */
function mappedVma(t: Task): Vma {
  const vma = vm_area_alloc(t, 1) as Vma;
  vma_set_dmabuf(t, vma, DB, 0);
  vmf_insert_pfn(t, vma, 0, phys_alloc(t, DB));
  return vma;
}

describe('revoke_return and revoke_cleared judge CPU access through the buffer\'s vmas', () => {
  it('a touch through a stale PTE after revoke_return is use-after-revoke in cpu_access', () => {
    const t = fenceTask();
    const vma = mappedVma(t);
    expect(drive(cpu_access(t, vma, 0, false))).toBe(0);
    expect(taskFindingTitles(t)).toEqual([]);
    revoke_return(t, DB);
    expect(drive(cpu_access(t, vma, 0, true))).toBe(0);
    expect(taskFindingTitles(t)).toEqual(['CPU_USE_AFTER_REVOKE: use-after-revoke in cpu_access']);
  });

  it('revoke_cleared clears the vmas\' stamp: the touch is legitimate again', () => {
    const t = fenceTask();
    const vma = mappedVma(t);
    vma_revoke_returned(t, DB);
    revoke_cleared(t, DB);
    expect(drive(cpu_access(t, vma, 0, false))).toBe(0);
    expect(taskFindingTitles(t)).toEqual([]);
  });
});

// A user vma still mapping a dma-buf at trial end is the leak (LEAK_VMA, 'leak in vm_munmap', on
// the vma): it holds a file reference, and the buffer it keeps is not a leak of its own — only
// references no vma holds are LEAK_DMABUF. An actor's exit does not unmap, as it does not close
// its fds. Fixture: test/fixtures/vfio/mmap_munmap.ts (vfio-mmap-close-fd, by `end`).
import { describe, expect, it } from 'vitest';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { EXECUTORS, runTrials } from '../../support/both.js';
import { mmapCloseFd } from '../../fixtures/vfio/mmap_munmap.js';

describe.each(EXECUTORS)('a vma left mapped at trial end (%s)', (kind) => {
  it('is the leak: leak in vm_munmap, on the vma, and the buffer it keeps is not one of its own', async () => {
    for (const r of await runTrials(kind, mmapCloseFd, 3, { leakCheck: true, params: { end: 'keep-mapped' } })) {
      expect(r.end).toBe('done');
      expect(r.findings.map((f) => [f.code, f.title, f.obj])).toEqual([['LEAK_VMA', 'leak in vm_munmap', 0]]);
    }
  });

  it('with the fd not closed either, each is its own leak: the vma (leak in vm_munmap) and the fd\'s reference (leak in dma_buf_put)', async () => {
    for (const r of await runTrials(kind, mmapCloseFd, 3, { leakCheck: true, params: { end: 'keep-mapped-and-fd' } })) {
      expect(r.findings.map((f) => [f.code, f.title, f.obj])).toEqual([['LEAK_VMA', 'leak in vm_munmap', 0], ['LEAK_DMABUF', 'leak in dma_buf_put', 0]]);
    }
  });
});

describe('a vma left mapped', () => {
  it('is found by the first inline trial', () => {
    const r = new InlineExecutor(mmapCloseFd, { params: { end: 'keep-mapped' } }).runTrial(0);
    expect(r.findings.map((f) => f.code)).toEqual(['LEAK_VMA']);
  });
});

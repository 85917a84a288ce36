// Every buggy catalog scenario is reported under the check that names its bug — code and title,
// not only the kind — within a 500-trial hunt of the default portfolio (keep going: every
// distinct finding of the budget). A check renamed, retitled or replaced by a neighbour of the
// same kind fails here; replay files and users' scripts key on these titles.
import { describe, expect, it } from 'vitest';
import { hunt } from '../../src/campaign/hunt.js';
import { CATALOG } from '../../scenarios/index.js';

/** Scenario → the [code, title] pairs its hunt must report (others may come with them). */
const EXPECTED: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  'revoke-wait-kernel': [['DMA_USE_AFTER_REVOKE', 'use-after-revoke in dma_engine_access']],
  'revoke-no-wait': [['DMA_USE_AFTER_REVOKE', 'use-after-revoke in dma_engine_access']],
  'reuse-before-unmap': [['REUSE_BEFORE_UNMAP', 'use-after-free in vfio_pci_try_reset_function']],
  'remove-before-unmap': [
    ['REMOVE_WITH_MAPPINGS', 'use-after-remove in device_remove'], ['DMA_USE_AFTER_REMOVE', 'use-after-remove in dma_unmap_sg'],
  ],
  'legacy-importer-revoke': [['DMA_USE_AFTER_REVOKE', 'use-after-revoke in dma_engine_access']],
  'rdma-pinned-revoke': [['DMA_USE_AFTER_REVOKE', 'use-after-revoke in dma_engine_access']],
  'double-drain': [['KREF_PUT_UNDERFLOW', 'refcount-underflow in kref_put']],
  'unrevoke-before-rearm': [['KREF_GET_ZERO', 'refcount-underflow in kref_get'], ['KREF_PUT_UNDERFLOW', 'refcount-underflow in kref_put']],
  'fence-seqno-regression': [['RESV_FENCE_ORDER', 'fence-order in dma_resv_add_fence']],
  'add-without-reserve': [['RESV_ADD_NO_SLOT', 'fence-slot in dma_resv_add_fence']],
  'invalidate-without-lock': [['RESV_NOT_HELD', 'lock-not-held in dma_buf_invalidate_mappings']],
  'iommufd-unwind-leak': [['DMABUF_DETACH_PINNED', 'leak in dma_buf_detach (attachment still pinned)'], ['LEAK_PIN', 'leak in dma_buf_unpin']],
  'namespace-missing-import': [['MODULE_LOAD', 'module-load in load_module']],
  'abba-no-ctx': [['deadlock', 'deadlock in mutex_lock']],
  'recursive-resv-lock': [['deadlock', 'deadlock in mutex_lock']],
  'wait-in-signalling': [['LOCKDEP_CIRCULAR', 'circular-locking in ww_mutex_lock']],
  'preempt-fence-locked': [['deadlock', 'deadlock in dma_fence_wait']],
  'mmap-revoke-no-zap': [['CPU_USE_AFTER_REVOKE', 'use-after-revoke in cpu_access']],
  'mmap-revoke-fault-unlocked': [['CPU_USE_AFTER_REVOKE', 'use-after-revoke in cpu_access']],
  'fence-cb-lock-irq-unsafe': [['LOCK_IRQ_INCONSISTENT_ON', 'assertion in spin_lock (inconsistent {IN-HARDIRQ-W} -> {HARDIRQ-ON-W} usage)']],
  'poll-without-file-ref': [['DMABUF_RELEASE_POLL_ACTIVE', 'assertion in dma_buf_release (dmabuf->cb_in.active || dmabuf->cb_out.active)']],
};

const BUGGY = CATALOG.map((e) => e.scenario).filter((s) => s.expect !== 'clean');

describe('the catalog\'s bugs', () => {
  it('are all listed here', () => {
    expect(BUGGY.map((s) => s.name).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(BUGGY.map((s) => [s.name, s] as const))('reports %s under its checks\' codes and titles', async (name, s) => {
    const r = await hunt(s, { trials: 500, timeMs: 30_000, seed: 1, keepGoing: true });
    const found = r.findings.map((f) => [f.code, f.title]);
    for (const pair of EXPECTED[name]!) expect(found).toContainEqual(pair);
  });
});

import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../../../src/errno/errors.js';
import * as kernel from '../../../../src/kernel/index.js';
import {
  EXPORT_SYMBOL, EXPORT_SYMBOL_FOR_MODULES, EXPORT_SYMBOL_GPL, EXPORT_SYMBOL_NS,
  EXPORT_SYMBOL_NS_GPL, KERNEL_SYMBOLS, SymbolTable, VMLINUX, isGplCompatible,
} from '../../../../src/kernel/module/symbols.js';

const f = () => 0;

describe('licenses (license_is_gpl_compatible)', () => {
  it('accepts exactly the kernel list', () => {
    for (const l of ['GPL', 'GPL v2', 'GPL and additional rights', 'Dual BSD/GPL', 'Dual MIT/GPL', 'Dual MPL/GPL']) {
      expect([l, isGplCompatible(l)]).toEqual([l, true]);
    }
    for (const l of ['Proprietary', 'MIT', 'BSD', 'GPL v3', 'gpl', 'Dual MIT/GPL ', '']) {
      expect([l, isGplCompatible(l)]).toEqual([l, false]);
    }
  });
});

describe('export macros (include/linux/export.h)', () => {
  it('M8: the default namespace applies to EXPORT_SYMBOL[_GPL]; _NS and FOR_MODULES ignore it', () => {
    const t = new SymbolTable();
    expect(EXPORT_SYMBOL(t, 'usbcommon', 'a', f, 'USB_COMMON')).toMatchObject({ ns: 'USB_COMMON', gplOnly: false });
    expect(EXPORT_SYMBOL_GPL(t, 'usbcommon', 'b', f, 'USB_COMMON')).toMatchObject({ ns: 'USB_COMMON', gplOnly: true });
    expect(EXPORT_SYMBOL_NS(t, 'usbcommon', 'c', f, 'X')).toMatchObject({ ns: 'X', gplOnly: false });
    expect(EXPORT_SYMBOL_NS_GPL(t, 'usbcommon', 'd', f, 'X')).toMatchObject({ ns: 'X', gplOnly: true });
    expect(EXPORT_SYMBOL_FOR_MODULES(t, 'usbcommon', 'e', f, 'kvm,kvm-*'))
      .toMatchObject({ ns: 'module:kvm,kvm-*', gplOnly: true, owner: 'usbcommon' });
    expect(EXPORT_SYMBOL(t, 'usbcommon', 'g', f)).toMatchObject({ ns: '' });
    expect(t.names()).toEqual(['a', 'b', 'c', 'd', 'e', 'g']);
  });

  it('a second export of a name is an error ("exported twice")', () => {
    const t = new SymbolTable();
    EXPORT_SYMBOL(t, VMLINUX, 'dup', f);
    expect(() => EXPORT_SYMBOL_GPL(t, 'mymod', 'dup', f))
      .toThrow(new HarnessError('ERR_SCENARIO', "mymod: 'dup' exported twice. Previous export was in vmlinux"));
  });

  it('a clone is independent of its origin', () => {
    const c = KERNEL_SYMBOLS.clone();
    EXPORT_SYMBOL(c, 'm', 'only_in_clone', f);
    expect(KERNEL_SYMBOLS.lookup('only_in_clone')).toBeUndefined();
  });
});

describe('KERNEL_SYMBOLS', () => {
  it('exports the kernel API from src/kernel with no namespace, owned by vmlinux', () => {
    const names = KERNEL_SYMBOLS.names();
    for (const n of ['ww_mutex_lock', 'ww_mutex_unlock', 'mutex_lock', 'dma_fence_signal', 'dma_fence_wait_timeout',
      'dma_resv_lock', 'dma_resv_add_fence', 'dma_resv_wait_timeout', 'msleep', 'cond_resched', 'send_signal']) {
      expect(names).toContain(n);
    }
    const core = names.filter((n) => !n.startsWith('dma_buf'));
    for (const n of core) {
      const s = KERNEL_SYMBOLS.lookup(n)!;
      expect([n, s.ns, s.owner]).toEqual([n, '', VMLINUX]);
      const api = (kernel as Record<string, unknown>)[n];
      if (n !== 'dma_resv_usage_rw') expect([n, s.impl]).toEqual([n, api]);
    }
  });

  it('is GPL-only exactly where dma-resv.c, dma-fence-unwrap.c, mutex.c, lockdep.c, page_alloc.c and irq_work.c use EXPORT_SYMBOL_GPL', () => {
    const gpl = KERNEL_SYMBOLS.names().filter((n) => !n.startsWith('dma_buf') && KERNEL_SYMBOLS.lookup(n)!.gplOnly);
    expect(gpl.sort()).toEqual([
      'dma_fence_dedup_array', 'dma_fence_unwrap_first', 'dma_fence_unwrap_for_each', 'dma_fence_unwrap_merge',
      'dma_fence_unwrap_next', 'dma_resv_for_each_fence', 'dma_resv_get_fences', 'dma_resv_get_singleton',
      'dma_resv_set_deadline', 'dma_resv_test_signaled', 'dma_resv_wait_timeout', 'fs_reclaim_acquire', 'fs_reclaim_release', 'irq_work_queue', 'lock_map_acquire',
      'lock_map_release', 'might_alloc', 'might_lock', 'mutex_lock_nested',
    ]);
  });

  it('exports the spinlock API and might_sleep as spinlock.c and sched/core.c do (EXPORT_SYMBOL)', () => {
    for (const n of ['spin_lock_init', 'spin_lock', 'spin_unlock', 'spin_lock_nest_lock', 'might_sleep']) {
      expect([n, KERNEL_SYMBOLS.lookup(n)?.gplOnly]).toEqual([n, false]);
    }
  });

  it('exports the fence containers as dma-fence-array.c and dma-fence-chain.c do (EXPORT_SYMBOL)', () => {
    for (const n of ['dma_fence_array_create', 'dma_fence_array_first', 'dma_fence_array_next', 'dma_fence_match_context',
      'dma_fence_chain_init', 'dma_fence_chain_walk', 'dma_fence_chain_find_seqno', 'dma_fence_allocate_private_stub']) {
      expect([n, KERNEL_SYMBOLS.lookup(n)?.gplOnly]).toEqual([n, false]);
    }
  });
});

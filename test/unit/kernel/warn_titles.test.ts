// REUSE_BEFORE_UNMAP is titled after the exporter function that let the memory go (the call site
// it names to phys_replace: VFIO's reset, vfio_pci_try_reset_function), or after
// phys_replace, no longer after phys_free (PAGE_BAD_FREE's function): the two findings stay apart
// in reports and de-duplication, and a replay file that recorded the former title (under an
// earlier title revision) still reproduces the finding; a live finding's title is matched exactly.
import { describe, expect, it } from 'vitest';
import { sameFinding } from '../../../src/campaign/reproduce.js';
import { TITLES_REVISION, formerTitle } from '../../../src/kernel/former_titles.js';
import { warnSpecNamed, warnTitle } from '../../../src/kernel/warn.js';

const title = (name: string): string => warnTitle(warnSpecNamed(name)!);
const reuseOf = () => ({ title: title('REUSE_BEFORE_UNMAP'), code: 'REUSE_BEFORE_UNMAP' });

describe('warning titles', () => {
  it('titles REUSE_BEFORE_UNMAP after phys_replace or the call site, apart from PAGE_BAD_FREE', () => {
    const spec = warnSpecNamed('REUSE_BEFORE_UNMAP')!;
    expect([title('REUSE_BEFORE_UNMAP'), warnTitle(spec, 'vfio_pci_try_reset_function'), title('PAGE_BAD_FREE')])
      .toEqual(['use-after-free in phys_replace', 'use-after-free in vfio_pci_try_reset_function', 'use-after-free in phys_free']);
  });

  it('reproduces a REUSE_BEFORE_UNMAP recorded under its former title, and only that check', () => {
    const reuse = { title: title('REUSE_BEFORE_UNMAP'), code: 'REUSE_BEFORE_UNMAP' };
    const badFree = { title: title('PAGE_BAD_FREE'), code: 'PAGE_BAD_FREE' };
    expect(formerTitle('REUSE_BEFORE_UNMAP', 'use-after-free in phys_free')).toBe(true);
    expect(sameFinding(reuse, 'use-after-free in phys_free', 'REUSE_BEFORE_UNMAP', true)).toBe(true);
    expect(sameFinding(reuse, 'use-after-free in phys_free', undefined, true)).toBe(true);
    expect(sameFinding(badFree, 'use-after-free in phys_free', 'REUSE_BEFORE_UNMAP', true)).toBe(false);
    expect(sameFinding(badFree, title('REUSE_BEFORE_UNMAP'), undefined, true)).toBe(false);
  });

  it('reproduces a trylock\'s ww finding recorded under its check\'s ww_mutex_lock title', () => {
    const tryDone = { title: warnTitle(warnSpecNamed('WW_LOCK_AFTER_DONE')!, 'ww_mutex_trylock'), code: 'WW_LOCK_AFTER_DONE' };
    expect(tryDone.title).toBe('assertion in ww_mutex_trylock (ww_ctx->done_acquire)');
    expect(sameFinding(tryDone, 'assertion in ww_mutex_lock (ww_ctx->done_acquire)', 'WW_LOCK_AFTER_DONE', true)).toBe(true);
    expect(sameFinding(tryDone, 'assertion in ww_mutex_lock (ww_ctx->ww_class != ww->ww_class)', undefined, true)).toBe(false);
  });

  it('maps no hang or soft lockup to a title before layout 22: every file that could name one is refused by its layout', () => {
    const completionHang = { title: 'hang in wait_for_completion', code: 'hang' };
    expect(sameFinding(completionHang, 'hang in wait_event', undefined, true)).toBe(false);
    expect(sameFinding({ title: 'hang in dma_resv_wait_timeout', code: 'hang' }, 'hang in dma_fence_wait', 'hang', true)).toBe(false);
  });

  it('reproduces a SPIN_ALREADY_UNLOCKED a revision-3 replay file recorded under its bare title, as that check only', () => {
    // revision 3 titled it `assertion in spin_unlock`; its condition came with SPIN_WRONG_OWNER
    expect(TITLES_REVISION).toBeGreaterThan(3);
    const already = { title: title('SPIN_ALREADY_UNLOCKED'), code: 'SPIN_ALREADY_UNLOCKED' };
    const wrong = { title: title('SPIN_WRONG_OWNER'), code: 'SPIN_WRONG_OWNER' };
    expect(sameFinding(already, 'assertion in spin_unlock', 'SPIN_ALREADY_UNLOCKED', true)).toBe(true);
    expect(sameFinding(already, 'assertion in spin_unlock', 'SPIN_ALREADY_UNLOCKED')).toBe(false);
    expect(sameFinding(wrong, 'assertion in spin_unlock', 'SPIN_ALREADY_UNLOCKED', true)).toBe(false);
  });

  it('reproduces a fence lock\'s SPIN_RECURSION a revision-4 replay file recorded under spin_lock, as that check only', () => {
    expect(TITLES_REVISION).toBeGreaterThan(4);
    const fenceRecursion = { title: warnTitle(warnSpecNamed('SPIN_RECURSION')!, 'spin_lock_irqsave'), code: 'SPIN_RECURSION' };
    expect(fenceRecursion.title).toBe('assertion in spin_lock_irqsave (recursion)');
    expect(sameFinding(fenceRecursion, 'assertion in spin_lock (recursion)', 'SPIN_RECURSION', true)).toBe(true);
    expect(sameFinding(fenceRecursion, 'assertion in spin_lock (recursion)', 'SPIN_RECURSION')).toBe(false);
    expect(sameFinding({ title: title('SPINLOCK_LOCKUP'), code: 'SPINLOCK_LOCKUP' }, 'assertion in spin_lock (recursion)', 'SPIN_RECURSION', true)).toBe(false);
  });

  it('does not take a trylock\'s ww finding for a live blocking ww_mutex_lock finding of the same check', () => {
    const done = warnSpecNamed('WW_LOCK_AFTER_DONE')!;
    const tryDone = { title: warnTitle(done, 'ww_mutex_trylock'), code: 'WW_LOCK_AFTER_DONE' };
    const lockDone = { title: warnTitle(done), code: 'WW_LOCK_AFTER_DONE' };
    expect(sameFinding(tryDone, lockDone.title, 'WW_LOCK_AFTER_DONE')).toBe(false);
    expect(sameFinding(lockDone, tryDone.title, 'WW_LOCK_AFTER_DONE')).toBe(false);
    expect(sameFinding(reuseOf(), 'use-after-free in phys_free')).toBe(false);
  });
});

// Checks that fire in one function with one kind are titled with the condition the kernel's
// report prints (warn.ts CONDITIONS), so a hunt — one finding per title — keeps two bugs apart.
// The one exception is the device-access checks: KASAN-style reports, titled as KASAN titles them
// (access kind and function). A replay file recorded under the bare kind + function still
// reproduces its check, and no other.
import { describe, expect, it } from 'vitest';
import { sameFinding } from '../../../src/campaign/reproduce.js';
import { WARNINGS, warnSpecNamed, warnTitle } from '../../../src/kernel/warn.js';

/** Checks that share a title on purpose: KASAN-style device-access reports. */
const KASAN_STYLE = new Set(['DMA_USE_AFTER_FREE', 'DMA_BEFORE_MOVE_DONE', 'DMA_USE_AFTER_REVOKE', 'DMA_WRITE_NIRVANA']);

const spec = (name: string) => warnSpecNamed(name)!;

describe('titles of checks sharing a function', () => {
  it('gives every check outside the KASAN-style device accesses a title of its own', () => {
    const byTitle = new Map<string, string[]>();
    for (const w of WARNINGS) if (!KASAN_STYLE.has(w.name)) byTitle.set(warnTitle(w), [...(byTitle.get(warnTitle(w)) ?? []), w.name]);
    expect([...byTitle].filter(([, names]) => names.length > 1)).toEqual([]);
  });

  it.each([
    ['LOCK_RECURSIVE', 'assertion in ww_mutex_lock (possible recursive locking detected)'],
    ['WW_FINI_TWICE', 'assertion in ww_acquire_fini (bad unlock balance detected)'],
    ['FENCE_ERROR_RANGE', 'assertion in dma_fence_set_error (error >= 0 || error < -MAX_ERRNO)'],
    ['DMABUF_DETACH_MAPPED', 'leak in dma_buf_detach (attachment still mapped)'],
  ])('titles %s after its condition: %s', (name, title) => {
    expect(warnTitle(spec(name))).toBe(title);
  });

  it('keeps a call-site title with the condition (the site replaces the function only)', () => {
    expect(warnTitle(spec('FENCE_CB_NULL'), 'driver_arm')).toBe('assertion in driver_arm (!func)');
    expect(warnTitle(spec('RESV_USE_AFTER_FINI'), 'dma_resv_add_fence')).toBe('use-after-free in dma_resv_add_fence');
  });

  it('reproduces a finding a file of an earlier title revision recorded under the bare kind and function only for the same check', () => {
    const f = { title: warnTitle(spec('FENCE_CB_NULL')), code: 'FENCE_CB_NULL' };
    expect(sameFinding(f, 'assertion in dma_fence_add_callback', 'FENCE_CB_NULL', true)).toBe(true);
    expect(sameFinding(f, 'assertion in dma_fence_add_callback', 'FENCE_CB_PENDING', true)).toBe(false);
    expect(sameFinding({ title: warnTitle(spec('WW_SLOW_NO_EDEADLK')), code: 'WW_SLOW_NO_EDEADLK' }, 'assertion in ww_mutex_lock', undefined, true)).toBe(false);
  });
});

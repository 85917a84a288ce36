import { describe, expect, it } from 'vitest';
import { EINVAL, EOVERFLOW, ERESTARTSYS } from '../../../src/errno/errno.js';
import { EXECUTORS, runTrials } from '../../support/both.js';
import { BUSY_EXPORTER, NO_RELEASE, PIN_NO_UNPIN, PLAIN_EXPORTER, PINNING_EXPORTER, SLEEPY_RELEASE, W, dmabufCore } from '../../fixtures/dmabuf/core.js';

const run = async (kind: (typeof EXECUTORS)[number], c: string, trials = 1, over: Record<string, string | number> = {}) =>
  runTrials(kind, dmabufCore, trials, { params: { case: c, ...over } });
const codes = (r: { findings: readonly { code: string }[] }) => r.findings.map((f) => f.code);

describe.each(EXECUTORS)('dma-buf core (%s)', (kind) => {
  it('D1: refuses to export ops without release, or with pin but no unpin (-EINVAL + WARN), one finding per bad ops table', async () => {
    const [r] = await run(kind, 'D1');
    expect([r!.user[W.RET], r!.user[W.RET2]]).toEqual([-EINVAL, -EINVAL]);
    expect(r!.user[W.RET3]).toBeGreaterThanOrEqual(0);
    // The finding names the ops table: two bad tables are two findings; exporting the first again repeats it.
    // dma_buf_export's two WARN_ONs are two checks, titled with their conditions.
    expect(r!.findings.map((f) => [f.code, f.obj, f.repeats ?? 0])).toEqual([
      ['DMABUF_EXPORT_INVALID', NO_RELEASE, 1], ['DMABUF_EXPORT_PIN_UNPIN', PIN_NO_UNPIN, 0],
    ]);
    expect(r!.findings.map((f) => f.title)).toEqual([
      'assertion in dma_buf_export (!exp_info->priv || !exp_info->ops || !exp_info->ops->map_dma_buf || !exp_info->ops->unmap_dma_buf || !exp_info->ops->release)',
      'assertion in dma_buf_export (!exp_info->ops->pin != !exp_info->ops->unpin)',
    ]);
  });

  it('D1: refuses to export without priv, or without ops (-EINVAL + WARN), like missing ops', async () => {
    const [r] = await run(kind, 'D1_NULL');
    expect([r!.user[W.RET], r!.user[W.RET2]]).toEqual([-EINVAL, -EINVAL]);
    expect(r!.findings.map((f) => [f.code, f.obj])).toEqual([['DMABUF_EXPORT_INVALID', PLAIN_EXPORTER], ['DMABUF_EXPORT_INVALID', 0]]);
  });

  it('D2: pins a static importer before map_dma_buf and waits for KERNEL fences; unmap unpins', async () => {
    for (const r of await run(kind, 'D2', 20)) {
      expect(r.end).toBe('done');
      expect(r.findings).toEqual([]);
      expect(r.user[W.PIN_AT]).toBeLessThan(r.user[W.MAP_AT]!);
      expect(r.user[W.MAPPED_AT]).toBeGreaterThan(r.user[W.SIGNALED_AT]!);
      expect([r.user[W.PIN], r.user[W.UNPIN], r.user[W.MAP], r.user[W.UNMAP]]).toEqual([1, 1, 1, 1]);
    }
  });

  it('D3: maps a dynamic importer without pinning and without waiting for fences', async () => {
    const [r] = await run(kind, 'D3');
    expect(r!.end).toBe('done');
    expect(r!.user[W.RET]).toBeGreaterThan(0);
    expect(r!.user[W.PIN]).toBe(0);
  });

  it('D4: reports map without the resv lock as lock-not-held in dma_buf_map_attachment', async () => {
    const [r] = await run(kind, 'D4');
    expect(r!.findings.map((f) => [f.code, f.title])).toEqual([['RESV_NOT_HELD', 'lock-not-held in dma_buf_map_attachment']]);
  });

  it('D4: reports the _unlocked variant called with the lock held as a self-deadlock', async () => {
    const [r] = await run(kind, 'D4_UNLOCKED_HELD');
    const f = r!.findings.find((x) => x.kind === 'deadlock');
    expect(f?.waits?.map((w) => [w.actor, w.next])).toEqual([[0, 0]]);
  });

  it('D5: warns on dma_buf_pin of a static attachment, and proceeds like the kernel', async () => {
    const [r] = await run(kind, 'D5');
    expect(r!.user[W.RET]).toBe(0);
    expect(r!.user[W.PIN]).toBe(1);
    expect(codes(r!)).toEqual(['DMABUF_PIN_STATIC']);
  });

  it('D5: warns on dma_buf_unpin of a static attachment too, and proceeds like the kernel', async () => {
    const [r] = await run(kind, 'D5_UNPIN_STATIC');
    expect(r!.end).toBe('done');
    expect([r!.user[W.PIN], r!.user[W.UNPIN], r!.user[W.PINS_LEFT]]).toEqual([1, 1, 0]);
    expect(codes(r!)).toEqual(['DMABUF_PIN_STATIC', 'DMABUF_UNPIN_STATIC']);
  });

  it('D5: pins and unpins a dynamic attachment without a warning', async () => {
    const [r] = await run(kind, 'D5_UNPIN_DYNAMIC');
    expect(r!.end).toBe('done');
    expect([r!.user[W.PIN], r!.user[W.UNPIN], r!.user[W.PINS_LEFT]]).toEqual([1, 1, 0]);
    expect(codes(r!)).toEqual([]);
  });

  it('D6: invalidates only attachments with invalidate_mappings, with the resv lock held', async () => {
    const [r] = await run(kind, 'D6');
    expect(r!.user[W.INVAL]).toBe(1);
    expect(r!.user[W.INVAL_LOCKED]).toBe(1);
    expect(r!.user[W.RET3]).toBe(r!.user[W.RET2]);
    expect(r!.findings).toEqual([]);
  });

  it('D7: dma_buf_attach_revocable is false for static and invalidate-less importers, true otherwise', async () => {
    const [r] = await run(kind, 'D6');
    expect(r!.user[W.REVOCABLE]).toBe(2);
  });

  it('D8: an interrupted KERNEL wait fails the map with -ERESTARTSYS after unmapping and unpinning', async () => {
    const results = await run(kind, 'D8', 20);
    for (const r of results) {
      expect(r.end).toBe('done');
      if (r.user[W.RET] === -ERESTARTSYS) {
        expect([r.user[W.MAP], r.user[W.UNMAP], r.user[W.PIN], r.user[W.UNPIN]]).toEqual([1, 1, 1, 1]);
        expect([r.user[W.PINS_LEFT], r.user[W.MAPS_LEFT]]).toEqual([0, 0]);
      }
    }
    expect(results.some((r) => r.user[W.RET] === -ERESTARTSYS)).toBe(true);
  });

  it('D9: calls the exporter vmap once for two vmaps and reports release while vmapped as a BUG', async () => {
    const [r] = await run(kind, 'D9');
    expect(r!.user[W.VMAP]).toBe(1);
    expect(r!.end).toBe('bug');
    expect(codes(r!)).toEqual(['DMABUF_RELEASE_VMAPPED']);
  });

  it.each(['D9_VUNMAP_UNMAPPED', 'D9_VUNMAP_AFTER_LAST'])('D9: reports %s (vunmap with the vmap count at 0) as a BUG that stops the task', async (c) => {
    const [r] = await run(kind, c);
    expect(r!.end).toBe('bug');
    expect(r!.user[W.RET]).toBe(0);
    expect(codes(r!)).toEqual(['DMABUF_VUNMAP_UNDERFLOW']);
  });

  it('D9: one vunmap per vmap, then release, is clean', async () => {
    const [r] = await run(kind, 'D9_VUNMAP_BALANCED');
    expect(r!.end).toBe('done');
    expect(r!.user[W.RET]).toBeGreaterThan(0);
    expect(codes(r!)).toEqual([]);
  });

  it('D10: mmap beyond the size, with an overflowing offset, and within it', async () => {
    const [r] = await run(kind, 'D10');
    expect([r!.user[W.RET], r!.user[W.RET2], r!.user[W.RET3]]).toEqual([-EINVAL, -EOVERFLOW, 0]);
  });

  it('D11: warns when the last reference goes with attachments still linked', async () => {
    const [r] = await run(kind, 'D11');
    expect(codes(r!)).toEqual(['DMABUF_RELEASE_ATTACHED']);
  });

  it('D11: a buffer released vmapped and attached BUGs on the vmap first, before the exporter\'s release: no attachment WARN', async () => {
    const [r] = await run(kind, 'D11_VMAPPED');
    expect(r!.end).toBe('bug');
    expect(codes(r!)).toEqual(['DMABUF_RELEASE_VMAPPED']);
  });

  it('D11: checks the attachments after the exporter\'s release: one detached while the release op sleeps is no WARN', async () => {
    for (const r of await run(kind, 'D11_DETACH_IN_RELEASE', 10, { exporter: SLEEPY_RELEASE })) {
      expect([r.end, r.user[W.DETACHED]]).toEqual(['done', 1]);
      expect(codes(r)).toEqual([]);
    }
  });

  it('warns once when a pinning exporter refuses with -EBUSY on map', async () => {
    const [r] = await run(kind, 'D2', 1, { exporter: BUSY_EXPORTER });
    expect(codes(r!)).toContain('DMABUF_PIN_EBUSY');
  });

  it('v3: refuses importer ops without invalidate_mappings and treats the unsupported stub as not revocable', async () => {
    const [v3] = await run(kind, 'V3_NO_INVALIDATE', 1, { kernel: 'v3', exporter: PLAIN_EXPORTER });
    expect(v3!.user[W.RET]).toBe(-EINVAL);
    expect(v3!.user[W.REVOCABLE]).toBe(0);
    expect(codes(v3!)).toEqual(['DMABUF_ATTACH_NO_INVALIDATE', 'DMABUF_UNSUPPORTED_INVALIDATE']);
    const [fin] = await run(kind, 'V3_NO_INVALIDATE', 1, { kernel: 'final', exporter: PINNING_EXPORTER });
    expect(fin!.user[W.RET]).toBeGreaterThanOrEqual(0);
    expect(fin!.user[W.REVOCABLE]).toBe(1);
  });
});

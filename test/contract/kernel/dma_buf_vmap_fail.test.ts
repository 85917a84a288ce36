// dma_buf_vmap of an exporter whose vmap fails: the error comes back after the kernel's
// WARN_ON_ONCE(ret) — one finding for the trial however many callers fail; a vmap that works is
// refcounted (the exporter runs once) and clean. Inline and controlled, same seeds.
import { describe, expect, it } from 'vitest';
import { ENOMEM } from '../../../src/errno/errno.js';
import { EXECUTORS } from '../../support/both.js';
import { VM, vmapFail } from '../../fixtures/dmabuf/vmap_fail.js';
import { CLEAN, at, outcome, run } from '../../fixtures/fence/oracle.js';

const SEEDS = 10;

describe.each(EXECUTORS)('dma_buf_vmap exporter failure (%s)', (kind) => {
  it('returns the exporter\'s error to both callers and WARNs once', async () => {
    for (const r of await run(kind, vmapFail, { fail: true }, SEEDS)) {
      expect(outcome(r), at(r)).toEqual({ end: 'done', codes: ['DMABUF_VMAP_FAILED'] });
      expect(r.findings.map((f) => [f.kind, f.title]), at(r)).toEqual([['assertion', 'assertion in dma_buf_vmap']]);
      expect([r.user[VM.RET], r.user[VM.RET + 1], r.user[VM.CALLS]], at(r)).toEqual([-ENOMEM, -ENOMEM, 2]);
    }
  });

  it('keeps a working vmap clean: both callers get 0, the exporter maps once', async () => {
    for (const r of await run(kind, vmapFail, { fail: false }, SEEDS)) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      expect([r.user[VM.RET], r.user[VM.RET + 1], r.user[VM.CALLS]], at(r)).toEqual([0, 0, 1]);
    }
  });
});

// Use-after-free of dma-bufs and attachments (kernel-semantics §6 S14, §4.4): a reference taken on
// a released dma-buf is refcount_t's "addition on 0; use-after-free", an attach to it a KASAN
// use-after-free, and a second detach or a map/pin of a detached attachment a use-after-free that
// never reaches the exporter. Each buggy variant must be found within 200 inline trials (random,
// then PCT); each fixed twin stays clean over 20,000 inline and 500 controlled trials.
import { describe, expect, it } from 'vitest';
import { EINVAL } from '../../../src/errno/errno.js';
import type { AnyScenario } from '../../../src/exec/scenario.js';
import { runTrials } from '../../support/both.js';
import { expectClean, firstFound } from '../../support/mustfind.js';
import {
  U, dmabufDetachOnce, dmabufDetachTwice, dmabufGetAfterRelease, dmabufGetBeforeRelease, dmabufMapAfterDetach,
  dmabufMapBeforeDetach, dmabufPinAfterDetach, dmabufPinBeforeDetach,
} from '../../fixtures/dmabuf/uaf.js';

const BUDGET = 200;

/** Buggy variant, the findings it must report (code, title), and user words it must leave. */
const BUGGY: readonly (readonly [string, AnyScenario, readonly (readonly [string, string])[], Readonly<Record<number, number>>])[] = [
  ['dmabuf-get-after-release', dmabufGetAfterRelease, [
    ['DMABUF_GET_RELEASED', 'use-after-free in dma_buf_get'],
    ['DMABUF_USE_AFTER_FREE', 'use-after-free in dma_buf_dynamic_attach'],
    ['DMABUF_PUT_UNDERFLOW', 'refcount-underflow in dma_buf_put'],
  ], { [U.RET]: -EINVAL, [U.DETACH]: 0 }],
  ['dmabuf-detach-twice', dmabufDetachTwice, [['DMABUF_ATTACH_USE_AFTER_FREE', 'use-after-free in dma_buf_detach']], { [U.DETACH]: 1 }],
  ['dmabuf-map-after-detach', dmabufMapAfterDetach, [['DMABUF_ATTACH_USE_AFTER_FREE', 'use-after-free in dma_buf_map_attachment']], { [U.RET]: -EINVAL, [U.MAP]: 0 }],
  ['dmabuf-pin-after-detach', dmabufPinAfterDetach, [['DMABUF_ATTACH_USE_AFTER_FREE', 'use-after-free in dma_buf_pin']], { [U.RET]: -EINVAL, [U.PIN]: 0 }],
];

const FIXED: readonly (readonly [string, AnyScenario])[] = [
  ['dmabuf-get-before-release', dmabufGetBeforeRelease], ['dmabuf-detach-once', dmabufDetachOnce],
  ['dmabuf-map-before-detach', dmabufMapBeforeDetach], ['dmabuf-pin-before-detach', dmabufPinBeforeDetach],
];

describe('dma-buf and attachment use-after-free', () => {
  it.each(BUGGY)('finds %s within 200 inline trials, reported without reaching the exporter', (_name, s, findings, words) => {
    const r = firstFound(s, BUDGET);
    expect(r, `${s.name} not found in ${BUDGET} trials per strategy`).toBeDefined();
    expect(r!.findings.map((f) => [f.code, f.title])).toEqual(findings);
    for (const [w, v] of Object.entries(words)) expect(r!.user[Number(w)], `word ${w}`).toBe(v);
  });

  it('reports a second detach on worker threads with the same code and title', async () => {
    for (const r of await runTrials('controlled', dmabufDetachTwice, 5)) {
      expect(r.findings.map((f) => [f.code, f.title])).toEqual([['DMABUF_ATTACH_USE_AFTER_FREE', 'use-after-free in dma_buf_detach']]);
      expect(r.user[U.DETACH]).toBe(1);
    }
  });

  it.each(FIXED)('keeps %s clean over 20,000 inline and 500 controlled trials', async (_name, s) => {
    await expectClean(s);
  }, 120_000);
});

// A dma-buf holds a reference on its exporter's module (drivers/dma-buf/dma-buf.c:
// dma_buf_export's `if (!try_module_get(exp_info->owner)) return ERR_PTR(-ENOENT);`, dropped by
// dma_buf_release's `module_put(dmabuf->owner)`): rmmod of the exporter while one of its buffers
// lives fails -EWOULDBLOCK and the buffer's release later runs the module's live code — no
// MODULE_TEXT_FREED; after the last dma_buf_put the delete succeeds — and not before the release
// that put deferred (made holding a lock: fput's task work) has run, since module_put comes with
// the release. An export while the module's count is 0 (going) fails -ENOENT. Handshakes order the
// actors: 8 seeds per executor and strategy.
import { describe, expect, it } from 'vitest';
import { EAGAIN, ENOENT } from '../../../src/errno/errno.js';
import type { TrialResult } from '../../../src/exec/result.js';
import { EXECUTORS, runTrials } from '../../support/both.js';
import { ER, exporterRmmod, type ExporterRmmodCase } from '../../fixtures/refs/exporter_rmmod.js';

const SEEDS = 8;
const at = (r: TrialResult): string => `seed ${r.seed}`;
const pairs = (r: TrialResult) => r.findings.map((f) => [f.code, f.title]);

describe.each(EXECUTORS)('the exporter module reference of a dma-buf (%s)', (kind) => {
  const run = (c: ExporterRmmodCase, strategy: string) => runTrials(kind, exporterRmmod, SEEDS, { params: { case: c }, strategy });

  it.each(['random', 'pct:2'])('rmmod of the exporter fails -EWOULDBLOCK while its buffer lives and succeeds after the last put (%s)', async (strategy) => {
    for (const r of await run('rmmod-while-live', strategy)) {
      expect([r.end, pairs(r)], at(r)).toEqual(['done', []]);
      expect([r.user[ER.RET_LIVE], r.user[ER.REF_LIVE], r.user[ER.RET_PUT]], at(r)).toEqual([-EAGAIN, 1, 0]);
    }
  });

  it.each(['random', 'pct:2'])('a last put made holding a lock keeps the module until its deferred release ran (%s)', async (strategy) => {
    for (const r of await run('rmmod-in-release-window', strategy)) {
      expect([r.end, pairs(r)], at(r)).toEqual(['done', []]);
      expect([r.user[ER.RET_LIVE], r.user[ER.REF_LIVE], r.user[ER.RET_PUT]], at(r)).toEqual([-EAGAIN, 1, 0]);
    }
  });

  it('an export while the exporter module is going (count 0) fails -ENOENT and takes nothing', async () => {
    for (const r of await run('export-going', 'random')) {
      expect([r.end, pairs(r)], at(r)).toEqual(['done', []]);
      expect([r.user[ER.RET_EXPORT], r.user[ER.REF_LIVE]], at(r)).toEqual([-ENOENT, -1]);
    }
  });
});

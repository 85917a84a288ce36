/**
 * The device-access check on a pipelined move's destination page (kernel-semantics §4.5 step 4:
 * a dynamic importer must honour the exporter's KERNEL fences): while the copy into the page is
 * not done, a device write or read is DMA_BEFORE_MOVE_DONE (use-after-free) and speculative
 * read-ahead is tolerated; once the move is done the page is the buffer's; freed, it is a plain
 * use-after-free.
 */
import { describe, expect, it } from 'vitest';
import { EXECUTORS, runTrials } from '../../support/both.js';
import { movingPage } from '../../fixtures/dmabuf/moving_page.js';

describe.each(EXECUTORS)('device access to a moving page (%s)', (kind) => {
  it('is DMA_BEFORE_MOVE_DONE until the move is done; speculative read-ahead is tolerated', async () => {
    const [r] = await runTrials(kind, movingPage, 1);
    expect(r!.findings.map((f) => [f.code, f.kind, f.title])).toEqual([
      ['DMA_BEFORE_MOVE_DONE', 'use-after-free', 'use-after-free in dma_engine_access'],
    ]);
    expect(r!.user.slice(0, 3)).toEqual([0, 0, 0]);
  });

  it('after the move a freed page is DMA_USE_AFTER_FREE', async () => {
    const [r] = await runTrials(kind, movingPage, 1, { params: { freed: true } });
    expect(r!.findings.map((f) => f.code)).toEqual(['DMA_BEFORE_MOVE_DONE', 'DMA_USE_AFTER_FREE']);
  });
});

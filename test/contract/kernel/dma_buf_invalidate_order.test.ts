// dma_buf_invalidate_mappings calls importers in the kernel's list order: list_add puts each new
// attachment at the head of dmabuf->attachments, so the newest linked importer is told first —
// linked, not allocated: an attach that waits in the exporter's attach op links after a later one;
// an attachment unlinked while the walk is under way (only possible when the exporter walks
// without the resv lock, itself reported) is not told. Inline and controlled, same seeds.
import { describe, expect, it } from 'vitest';
import { EXECUTORS } from '../../support/both.js';
import { IO, invalidateOrder } from '../../fixtures/dmabuf/invalidate_order.js';
import { CLEAN, at, outcome, run } from '../../fixtures/fence/oracle.js';

const SEEDS = 20;

describe.each(EXECUTORS)('dma_buf_invalidate_mappings order (%s)', (kind) => {
  it.each([
    ['sequential', 'attached 1, 2, 3: told 3, 2, 1', [3, 2, 1]],
    ['detach', 'attached 1, 2, 3, detached 2, attached 4: told 4, 3, 1', [4, 3, 1]],
    ['race', '1 allocated first but linked after 2: told 1, 2', [1, 2]],
  ] as const)('%s: %s', async (c, _what, order) => {
    for (const r of await run(kind, invalidateOrder, { case: c }, SEEDS)) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      expect(r.user.slice(IO.ORDER, IO.ORDER + r.user[IO.INVALS]!), at(r)).toEqual(order);
    }
  });

  it('unlocked-detach: 1 detached while 2 (told first) waits in its callback: the walk skips 1', async () => {
    for (const r of await run(kind, invalidateOrder, { case: 'unlocked-detach' }, SEEDS)) {
      expect(outcome(r), at(r)).toEqual({ end: 'done', codes: ['RESV_NOT_HELD'] });
      expect(r.findings.map((f) => f.title), at(r)).toEqual(['lock-not-held in dma_buf_invalidate_mappings']);
      expect(r.user.slice(IO.ORDER, IO.ORDER + r.user[IO.INVALS]!), at(r)).toEqual([2]);
      expect(r.user[IO.DETACHED], at(r)).toBe(1);
    }
  });
});

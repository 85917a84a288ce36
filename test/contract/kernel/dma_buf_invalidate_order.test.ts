// dma_buf_invalidate_mappings calls importers in the kernel's list order: list_add puts each new
// attachment at the head of dmabuf->attachments, so the newest linked importer is told first —
// linked, not allocated: an attach that waits in the exporter's attach op links after a later one.
// Inline and controlled, same seeds.
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
});

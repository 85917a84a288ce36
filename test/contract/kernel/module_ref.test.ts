// A __symbol_get reference is shared by every actor thread (kernel/module/main.c): while iommufd
// holds VFIO's private map, an rmmod on another task gets -EWOULDBLOCK; after __symbol_put it
// unloads vfio_pci_core and the symbol is no longer found. 20 seeds per executor.
import { describe, expect, it } from 'vitest';
import { EAGAIN } from '../../../src/errno/errno.js';
import { EXECUTORS, findingTitles, runTrials } from '../../support/both.js';
import { M, rmmodWhileSymbolHeld } from '../../fixtures/iommufd/rmmod.js';

describe.each(EXECUTORS)('module references across actors (%s)', (kind) => {
  it('delete_module of a module whose export another task holds fails -EWOULDBLOCK until the put', async () => {
    const results = await runTrials(kind, rmmodWhileSymbolHeld, 20);
    expect(findingTitles(results)).toEqual([]);
    for (const r of results) {
      expect(r.end).toBe('done');
      expect([r.user[M.RET_HELD], r.user[M.RET_PUT], r.user[M.GONE]]).toEqual([-EAGAIN, 0, 1]);
    }
  });
});

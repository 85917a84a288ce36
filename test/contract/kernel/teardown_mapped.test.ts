// phys_replace reports any exporter's reuse of memory a device still maps (REUSE_BEFORE_UNMAP),
// not only VFIO's reset: one finding per live mapping naming who mapped it, at which step and
// through which attachment (none here), its other page a repeat; titled after phys_replace, or
// after the exporter function the caller names. Unmapped first, the reuse is clean. Likewise any
// device marked removed with a mapping live (REMOVE_WITH_MAPPINGS, not only VFIO's remove()).
import { describe, expect, it } from 'vitest';
import { EXECUTORS } from '../../support/both.js';
import { at, run } from '../../fixtures/fence/oracle.js';
import { REPLACE_PAGES, replaceMapped } from '../../fixtures/dmabuf/teardown_mapped.js';

describe.each(EXECUTORS)('phys_replace of mapped memory (%s)', (kind) => {
  it.each([['', 'use-after-free in phys_replace'], ['my_exporter_reset', 'use-after-free in my_exporter_reset']])(
    'REUSE_BEFORE_UNMAP (fn %j): one finding naming the mapping, titled %s', async (fn, title) => {
      for (const r of await run(kind, replaceMapped, { fn }, 3)) {
        expect(r.findings.map((f) => [f.code, f.title, f.repeats]), at(r)).toEqual([['REUSE_BEFORE_UNMAP', title, REPLACE_PAGES - 1]]);
        expect(r.findings[0]!.mapping, at(r)).toEqual({ by: 0, step: r.user[0], attachment: -1 });
      }
    });

  it('REMOVE_WITH_MAPPINGS: a device removed with the mapping live, one finding naming it and its pages', async () => {
    for (const r of await run(kind, replaceMapped, { remove: true }, 3)) {
      expect(r.findings.map((f) => [f.code, f.title, f.mapping]), at(r)).toEqual([
        ['REMOVE_WITH_MAPPINGS', 'use-after-remove in device_remove', { by: 0, step: r.user[0], attachment: -1, pages: REPLACE_PAGES }],
      ]);
    }
  });

  it.each([false, true])('is clean when the mapping was unmapped first (remove %s)', async (remove) => {
    for (const r of await run(kind, replaceMapped, { unmap: true, remove }, 3)) expect(r.findings, at(r)).toEqual([]);
  });
});

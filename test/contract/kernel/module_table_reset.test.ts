// The modules' reference counts (the arena's module table) start every trial where kernel boot
// puts them — MODULE_REF_BASE plus one per static user — however the previous trial on the same
// arena left them: users deleted (their references on the exporter put), a reference never put.
// An arena buffer given back and taken again by another executor holds no count of the first.
import { describe, expect, it } from 'vitest';
import { ENOENT } from '../../../src/errno/errno.js';
import { InlineExecutor } from '../../../src/exec/inline.js';
import type { TrialResult } from '../../../src/exec/result.js';
import { MODULE_WORDS } from '../../../src/shm/layout.js';
import { EXECUTORS, runTrials } from '../../support/both.js';
import { MT, moduleTable, moduleTableOne } from '../../fixtures/refs/module_table.js';
import { withExecutorSync } from '../../support/executor.js';

const TRIALS = 4;

/** Counts at boot and at the actor's end, and what the deletions returned. */
function counts(r: TrialResult): unknown {
  const u = r.user;
  return { end: r.end, boot: u.slice(MT.BOOT, MT.BOOT + 3), after: u.slice(MT.END, MT.END + 3), rmmod: [u[MT.RMMOD_KVM], u[MT.RMMOD_UVERBS]] };
}

describe.each(EXECUTORS)('module reference counts on an arena reused across trials (%s)', (kind) => {
  it(`start each of ${TRIALS} trials at boot's counts, whatever the one before left`, async () => {
    const want = { end: 'done', boot: [2, 0, 0], after: [1, -ENOENT, -ENOENT], rmmod: [0, 0] };
    for (const r of await runTrials(kind, moduleTable, TRIALS)) expect(counts(r), `seed ${r.seed}`).toEqual(want);
  });
});

describe('an arena buffer given back by one executor and taken by the next', () => {
  it('holds no module count of the first: rows past the loaded module are zero, the loaded one at boot', () => {
    const first = new InlineExecutor(moduleTable);
    first.runTrial(0);
    const sab = first.arena.sab;
    first.close();
    withExecutorSync(new InlineExecutor(moduleTableOne), (next) => {
      expect(next.arena.sab).toBe(sab);
      const r = next.runTrial(0);
      const { modules, geometry } = next.arena.layout;
      const rows = Array.from(next.arena.i32.subarray(modules + MODULE_WORDS, modules + geometry.modules * MODULE_WORDS));
      expect([r.end, r.user[MT.BOOT], rows.filter((w) => w !== 0)]).toEqual(['done', 0, []]);
    });
  });
});

// module_put without a matching get (kernel/module/main.c): the first unbalanced put takes
// MODULE_REF_BASE silently (`atomic_dec_if_positive`), so try_module_get fails from then on; a
// second WARNs "Failed to put refcount" (MODULE_PUT_UNDERFLOW), and rmmod of a module at 0 BUGs in
// try_release_module_ref (MODULE_RELEASE_UNDERFLOW: the trial ends as a BUG). The balanced twin
// stays clean and unloads. One actor, deterministic: 4 seeds on each executor.
import { describe, expect, it } from 'vitest';
import type { TrialResult } from '../../../src/exec/result.js';
import { EXECUTORS, runTrials } from '../../support/both.js';
import { MP, modulePutUnbalanced, type PutCase } from '../../fixtures/refs/module_put.js';

const SEEDS = 4;
const at = (r: TrialResult): string => `seed ${r.seed}`;
const run = (kind: (typeof EXECUTORS)[number], c: PutCase) => runTrials(kind, modulePutUnbalanced, SEEDS, { params: { case: c } });
const outcome = (r: TrialResult) => ({
  end: r.end, findings: r.findings.map((f) => [f.code, f.title]),
  gotAfter: r.user[MP.GOT_AFTER], rmmod: r.user[MP.RMMOD_RAN] === 1 ? r.user[MP.RMMOD] : 'not run',
});

const CASES: readonly [PutCase, string, ReturnType<typeof outcome>][] = [
  ['put-twice', 'the second put finds 0 and WARNs; no reference can be taken after the first',
    { end: 'done', findings: [['MODULE_PUT_UNDERFLOW', 'refcount-underflow in module_put']], gotAfter: 0, rmmod: 'not run' }],
  ['put-then-rmmod', 'one put takes the base silently; rmmod then BUGs in try_release_module_ref',
    { end: 'bug', findings: [['MODULE_RELEASE_UNDERFLOW', 'refcount-underflow in try_release_module_ref']], gotAfter: 0, rmmod: 0 }],
];

describe.each(EXECUTORS)('module_put without a matching get (%s)', (kind) => {
  it.each(CASES)('%s: %s', async (c, _what, want) => {
    for (const r of await run(kind, c)) expect(outcome(r), at(r)).toEqual(want);
  });

  it('keeps the balanced twin (try_module_get, module_put, rmmod) clean: a reference can be taken, rmmod unloads', async () => {
    for (const r of await run(kind, 'balanced')) {
      expect(outcome(r), at(r)).toEqual({ end: 'done', findings: [], gotAfter: 1, rmmod: 0 });
    }
  });
});

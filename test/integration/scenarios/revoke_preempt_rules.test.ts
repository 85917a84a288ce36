// The revoke scenarios with preempt fences (scenarios/lib/revoke.ts) count what those take of the
// arena: a marker job row per job at most beside the job's own (`job-rows`: importers × 2 × jobs),
// PREEMPT_FENCE_WORDS private words per importer (`private-words`) and a worker actor per importer
// (`actors`). Past each edge a run is refused in one line naming the param (exit 2) instead of
// failing in the arena (ERR_ARENA_GEOMETRY, or a kzalloc with no room); at the edge it runs. A
// preempt fence on importers other than GPU ones is refused, not ignored.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hunt } from '../../../src/campaign/hunt.js';
import { preemptFence } from '../../../scenarios/preempt-fence.js';
import { preemptFenceLocked } from '../../../scenarios/preempt-fence-locked.js';
import { cliInProcess } from '../../support/cli.js';
import { expectRefusal } from '../../support/refusal.js';

const LEGACY = fileURLToPath(new URL('../../fixtures/gpu/preempt_fence_legacy.js', import.meta.url));

describe('revoke scenarios with preempt fences: the arena rules', () => {
  it.each([
    ['importers=8 jobs=4 delay=40', '--param jobs=4', 'importers × 2 × jobs ≤ 32'],
    ['importers=8 jobs=3', '--param jobs=3', 'importers × 2 × jobs ≤ 32'],
    ['importers=16 jobs=1 pages=1', '--param importers=16', '1 + 2 × importers + engines ≤ 30'],
    ['importers=11 pages=1', '--param importers=11', '22 × importers + pages'],
  ])('refuse %s in one line naming it (exit 2)', async (params, option, says) => {
    const args = params.split(' ').flatMap((p) => ['--param', p]);
    expectRefusal(await cliInProcess('hunt', 'preempt-fence', ...args, '--trials', '1', '--no-artifacts'), 'ERR_BAD_OPTION', [option, says]);
  });

  it.each([
    [{ importers: 8, jobs: 2 }], [{ importers: 10, pages: 1 }],
  ])('run at the edge %o: the fixed twin clean, the buggy one found', async (params) => {
    const clean = await hunt(preemptFence, { trials: 100, timeMs: 60_000, seed: 1, executor: 'inline', params });
    expect([clean.trials, clean.findings.map((f) => f.title)]).toEqual([100, []]);
    const buggy = await hunt(preemptFenceLocked, { trials: 100, timeMs: 60_000, seed: 1, executor: 'inline', params });
    expect([buggy.ok, buggy.findings.map((f) => f.kind)]).toEqual([true, expect.arrayContaining(['deadlock'])]);
  });

  it('refuse preempt on importers other than GPU ones (exit 2, one line)', async () => {
    expectRefusal(await cliInProcess('hunt', LEGACY, '--trials', '1', '--no-artifacts'), 'ERR_SCENARIO', ['preempt applies to gpu importers only', 'legacy']);
  });
});

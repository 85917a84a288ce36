/**
 * `dmabuf-harness hunt ./spins.ts`: a user's scenario whose actor spins without a scheduling point
 * does not hang the harness under the inline executor. Its probe trial (which also picks its
 * portfolio), the hunt and the artifacts' re-run each end at the inline watchdog (once each: the
 * hunt runs no second probe); the hunt reports the hang in the watchdog (exit 1: the scenario
 * expected clean) with a replay file, and `replay` of that file reproduces it.
 *
 * A hang costs up to STARVED_LIMIT_FACTOR + 1 times the trial timeout of wall time on a loaded
 * machine (a stop while starved runs again: starved_rerun.ts) — 62 s at the default 2 s, so three
 * of them and a loaded process start outlast a CLI run's budget (CLI_RUN_MS). The runs here use a
 * 250 ms trial timeout: under 8 s a hang, however starved, the rest of the budget for the start.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT_URL, cli, cliRuns, tempDir } from '../../support/cli.js';

/** The trial timeout of the runs (see the file comment). */
const TRIAL_TIMEOUT = '250ms';

function writeSpinner(dir: string): string {
  const lib = `${ROOT_URL.href}dist/src`;
  const p = join(dir, 'spins.ts');
  writeFileSync(p, `import { defineScenario } from '${lib}/index.js';
import { cond_resched, dma_fence_context_alloc, dma_fence_init, dma_fence_is_signaled, dma_fence_put, dma_fence_signal,
  type Fence, type KGen, type Task } from '${lib}/kernel/index.js';

export const spins = defineScenario({
  name: 'user-spins', module: import.meta.url, params: {}, expect: 'clean',
  setup: (t: Task) => ({ f: dma_fence_init(t, dma_fence_context_alloc(t, 1), 1, { signaler: 1 }) }),
  actors: () => [
    { name: 'poller', run: function* (t: Task, e: { f: Fence }): KGen<void> {
      yield* cond_resched(t);
      while (!dma_fence_is_signaled(t, e.f)) { /* polls without a scheduling point */ }
      dma_fence_put(t, e.f);
    } },
    { name: 'signaler', run: function* (t: Task, e: { f: Fence }): KGen<void> { yield* cond_resched(t); dma_fence_signal(t, e.f); } },
  ],
});
`);
  return p;
}

interface Row { ok: boolean; trials: number; findings: { title: string; trial: number; replayFile: string | null }[] }

describe('a user scenario that spins without yielding', () => {
  it('is reported as a hang in the watchdog, not a hung harness, and its replay reproduces it', { timeout: cliRuns(2) }, () => {
    const dir = tempDir();
    const file = writeSpinner(dir);
    const r = cli('hunt', file, '--trials', '200', '--trial-timeout', TRIAL_TIMEOUT, '--json',
      '--out', join(dir, 'out'));
    expect(r.code, r.stderr).toBe(1);
    const [row] = JSON.parse(r.stdout) as Row[];
    expect(row!.findings.map((f) => f.title)).toEqual(['hang in watchdog']);
    expect(row!.trials).toBe(row!.findings[0]!.trial);
    const replay = cli('replay', row!.findings[0]!.replayFile!, '--trial-timeout', TRIAL_TIMEOUT);
    expect(replay.code, replay.stdout + replay.stderr).toBe(0);
    expect(replay.stdout).toContain('hang in watchdog');
  });
});

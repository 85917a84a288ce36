/**
 * `replay` says when the trial lost finding records to a full findings table, as the hunt's table
 * does: a user scenario with a one-slot table makes two distinct findings in every trial.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT_URL, cli, cliRuns, tempDir } from '../../support/cli.js';

function writeTwoWarnings(dir: string, slots: number): string {
  const lib = `${ROOT_URL.href}dist/src`;
  const p = join(dir, `two_warnings_${slots}.ts`);
  writeFileSync(p, `import { defineScenario } from '${lib}/index.js';
import { cond_resched, dma_fence_context_alloc, dma_fence_init, dma_fence_put, dma_fence_set_error, dma_fence_signal,
  usleep_range, type KGen, type Task } from '${lib}/kernel/index.js';

export const twoWarnings = defineScenario({
  name: 'two-warnings', module: import.meta.url, params: {}, expect: 'assertion', geometry: { findings: ${slots} },
  setup: () => ({}),
  actors: () => [
    { name: 'misuser', run: function* (t: Task): KGen<void> {
      yield* cond_resched(t);
      const f = dma_fence_init(t, dma_fence_context_alloc(t, 1), 1);
      dma_fence_set_error(t, f, 5);
      yield* usleep_range(t, 20, 10);
      dma_fence_signal(t, f);
      dma_fence_put(t, f);
    } },
  ],
});
`);
  return p;
}

interface Row { findings: { replayFile: string | null }[] }

describe('replay of a trial whose findings table overflowed', () => {
  it.each([[1, true], [4, false]])('with %i slot(s) says records were lost: %s', { timeout: cliRuns(2) }, (slots, lost) => {
    const dir = tempDir();
    const hunt = cli('hunt', writeTwoWarnings(dir, slots), '--trials', '3', '--json', '--out', join(dir, 'out'));
    expect(hunt.code, hunt.stderr).toBe(0);
    const [row] = JSON.parse(hunt.stdout) as Row[];
    const replay = cli('replay', row!.findings[0]!.replayFile!);
    expect(replay.code, replay.stderr).toBe(0);
    expect(/^\d+ finding records lost/m.test(replay.stdout)).toBe(lost);
  });
});

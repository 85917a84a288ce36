// dma_fence_signal runs its callbacks in a fence signalling section, as the kernel's does
// (dma_fence_begin_signalling around the locked signal): a lock a callback takes depends on
// dma_fence_map, so a task waiting for a fence while holding that lock closes a cycle, reported
// when the callback takes it. dma_fence_check_and_signal does not annotate (nor does the
// kernel's): the same program stays clean, as does dma_fence_signal called holding a spinlock (a
// callback of another fence), where the kernel opens no section. Inline and controlled, same seeds.
import { describe, expect, it } from 'vitest';
import { EXECUTORS } from '../../support/both.js';
import { SECTION, fenceSignalSection } from '../../fixtures/fence/signal_section.js';
import { CLEAN, at, outcome, pick, run } from '../../fixtures/fence/oracle.js';

const SEEDS = 10;
const WORDS = { runs: SECTION.RUNS, wait: SECTION.WAIT } as const;

describe.each(EXECUTORS)('dma_fence_signal\'s signalling section (%s)', (kind) => {
  it('reports a lock taken in a callback of dma_fence_signal while another task waits for a fence holding it', async () => {
    const results = await run(kind, fenceSignalSection, { how: 'signal' }, SEEDS);
    // Lockdep's graph spans the executor's trials: the cycle is reported the first time only.
    const [first, ...later] = results;
    expect(outcome(first!), at(first!)).toEqual({ end: 'done', codes: ['LOCKDEP_CIRCULAR'] });
    expect(first!.findings.map((f) => f.title)).toEqual(['circular-locking in lock_map_acquire']);
    for (const r of later) expect(outcome(r), at(r)).toEqual(CLEAN);
    for (const r of results) expect(pick(r, WORDS), at(r)).toEqual({ runs: 1, wait: 0 });
  });

  it.each([
    ['dma_fence_check_and_signal', 'check_and_signal'],
    ['dma_fence_signal holding another fence\'s spinlock (in_atomic)', 'signal_under_fence_lock'],
  ] as const)('keeps the same callback run by %s clean: no section, no dependency', async (_name, how) => {
    for (const r of await run(kind, fenceSignalSection, { how }, SEEDS)) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      expect(pick(r, WORDS), at(r)).toEqual({ runs: 1, wait: 0 });
    }
  });
});

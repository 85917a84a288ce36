import { describe, expect, it } from 'vitest';
import { EXECUTORS, runTrials } from '../../support/both.js';
import { leaks } from '../../fixtures/leaks.js';

describe.each(EXECUTORS)('leaks at trial end (%s)', (kind) => {
  it('reports an unsignaled fence whose signaler finished and an attachment never detached', async () => {
    const [r] = await runTrials(kind, leaks, 1, { leakCheck: true });
    expect(r!.findings.map((f) => [f.code, f.title]).sort()).toEqual([
      ['LEAK_ATTACHMENT', 'leak in dma_buf_detach'], ['LEAK_FENCE', 'leak in dma_fence_signal'],
    ]);
  });

  it('stays quiet when the actor signals and detaches', async () => {
    const [r] = await runTrials(kind, leaks, 1, { leakCheck: true, params: { fixed: true } });
    expect(r!.findings).toEqual([]);
  });
});

// dma_fence_wait_timeout with a negative timeout (kernel-semantics §3.5): WARN and -EINVAL, no
// wait. Found in the first inline trial (the waiter's budget always runs out: virtual time); the
// clamped twin stays clean over 300 inline and 20 controlled trials.
import { describe, expect, it } from 'vitest';
import { EINVAL } from '../../../src/errno/errno.js';
import { runTrials } from '../../support/both.js';
import { expectClean, firstFound } from '../../support/mustfind.js';
import { N, fenceWaitClamped, fenceWaitNegative } from '../../fixtures/fence/wait_negative.js';

describe('dma_fence_wait_timeout with a negative timeout', () => {
  it('is reported as FENCE_WAIT_NEGATIVE and returns -EINVAL (inline)', () => {
    const r = firstFound(fenceWaitNegative, 1, ['random']);
    expect(r?.findings.map((f) => [f.code, f.title])).toEqual([['FENCE_WAIT_NEGATIVE', 'assertion in dma_fence_wait_timeout']]);
    expect(r!.user[N.RET]).toBe(-EINVAL);
  });

  it('is reported the same on worker threads (controlled)', async () => {
    const [r] = await runTrials('controlled', fenceWaitNegative, 1);
    expect(r!.findings.map((f) => f.code)).toEqual(['FENCE_WAIT_NEGATIVE']);
    expect(r!.user[N.RET]).toBe(-EINVAL);
  });

  it('leaves a wait clamped at 0 clean', async () => {
    await expectClean(fenceWaitClamped, 300, 20);
  });
});

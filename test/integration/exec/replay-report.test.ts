import { afterAll, describe, expect, it } from 'vitest';
import { ControlledExecutor } from '../../../src/exec/controlled.js';
import { InlineExecutor } from '../../../src/exec/inline.js';
import type { TrialResult } from '../../../src/exec/result.js';
import { revokeWaitKernel } from '../../../scenarios/revoke-wait-kernel.js';
import { reuseBeforeUnmap } from '../../../scenarios/reuse-before-unmap.js';

const report = (r: TrialResult) => r.findings.map((f) => ({ kind: f.kind, title: f.title, actor: f.actor, step: f.step, obj: f.obj, message: f.message }));

describe.each([['S1', revokeWaitKernel], ['S3', reuseBeforeUnmap]] as const)('%s finding replayed', (_ref, scenario) => {
  const controlled = new ControlledExecutor(scenario);
  afterAll(() => controlled.close());

  it('names who accessed, mapped and revoked/freed with steps, and is identical when its decisions are replayed inline and controlled', async () => {
    const ex = new InlineExecutor(scenario, { strategy: 'pct:2', decisions: true });
    let found: TrialResult | undefined;
    for (let seed = 0; seed < 1000 && found === undefined; seed++) {
      const r = ex.runTrial(seed);
      if (r.findings.some((f) => f.kind === scenario.expect && f.code.startsWith('DMA_'))) found = r;
    }
    expect(found).toBeDefined();
    const f = found!.findings.find((x) => x.kind === scenario.expect && x.code.startsWith('DMA_'))!;
    expect(f.message).toMatch(/accessed by \w+ at step \d+: DMA address \d+/);
    expect(f.message).toMatch(/mapped by \w+ at step \d+/);
    for (let i = 0; i < 2; i++) {
      expect(report(ex.runTrial(12345, found!.decisions))).toEqual(report(found!));
      expect(report(await controlled.runTrial(777, found!.decisions))).toEqual(report(found!));
    }
  });
});

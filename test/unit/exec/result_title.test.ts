// A finding's title (src/exec/result.ts titleOf, leakTitle): made once per check and function and
// handed out again after, so a hunt's set of seen titles hashes each title once. The memo must give
// exactly warnTitle's string, for a check's own function and for a call site it names instead, and
// a leak's title names the function that took what leaked.
import { describe, expect, it } from 'vitest';
import { WARNINGS, warnTitle } from '../../../src/kernel/warn.js';
import { leakTitle, titleOf } from '../../../src/exec/result.js';

describe('finding titles', () => {
  it("titleOf is warnTitle's title for every check, at its own function and at another site", () => {
    for (const spec of WARNINGS) {
      expect(titleOf(spec, spec.fn)).toBe(warnTitle(spec, spec.fn));
      expect(titleOf(spec, 'some_caller')).toBe(warnTitle(spec, 'some_caller'));
    }
  });

  it('a second title of the same check and function is the same as the first', () => {
    const spec = WARNINGS[0]!;
    const first = titleOf(spec, 'site_a');
    expect(titleOf(spec, 'site_a')).toBe(first);
    expect(titleOf(spec, 'site_b')).not.toBe(first);
    expect(titleOf(WARNINGS[1]!, 'site_a')).toBe(warnTitle(WARNINGS[1]!, 'site_a'));
  });

  it('a leak is titled after the function that took what leaked, the same title each time', () => {
    expect(leakTitle('dma_buf_get')).toBe('leak in dma_buf_get');
    expect(leakTitle('dma_buf_get')).toBe(leakTitle('dma_buf_get'));
    expect(leakTitle('dma_fence_get')).toBe('leak in dma_fence_get');
  });
});

// A finding's title (src/exec/result.ts titleOf, leakTitle): made once per check and function and
// handed out again after, so a hunt's set of seen titles hashes each title once. The memo must give
// exactly warnTitle's string, for a check's own function and for a call site it names instead, and
// a leak's title, by its code, names the function that should have released what leaked.
import { describe, expect, it } from 'vitest';
import { WARNINGS, warnTitle } from '../../../src/kernel/warn.js';
import { leakTitle, titleOf } from '../../../src/exec/result.js';
import { LEAK_CODES, type LeakCode } from '../../../src/check/leaks.js';

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

  it('a leak is titled, by its code, after the function that should have released it (every LEAK_CODES entry)', () => {
    const codes = Object.keys(LEAK_CODES) as LeakCode[];
    expect(codes.length).toBeGreaterThan(0);
    for (const code of codes) expect([code, leakTitle(code)]).toEqual([code, `leak in ${LEAK_CODES[code]}`]);
    expect(leakTitle('LEAK_DMABUF')).toBe('leak in dma_buf_put');
  });
});

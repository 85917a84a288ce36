// A finding's title (src/exec/result.ts titleOf): made once per check and function and handed out
// again after, so a hunt's set of seen titles hashes each title once. The memo must give exactly
// warnTitle's string, for a check's own function and for a call site it names instead.
import { describe, expect, it } from 'vitest';
import { WARNINGS, warnTitle } from '../../../src/kernel/warn.js';
import { titleOf } from '../../../src/exec/result.js';

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
});

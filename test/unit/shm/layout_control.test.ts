// The control record's shared words: the WARN_ONCE words end before the next control word in use
// (a load-time check that throws ERR_LAYOUT), and the counters every stress thread adds to stay
// off cache line 0, which only reset and trial end write.
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../../src/errno/errors.js';
import { WARNINGS } from '../../../src/kernel/warn.js';
import {
  CACHE_LINE_WORDS, C_FINDINGS_LOST, C_WARNED, WARNED_CODES, WARNED_WORDS, assertWordsFit, warnedBit, warnedWord,
} from '../../../src/shm/layout.js';

const code = (f: () => void): string | undefined => {
  try { f(); } catch (e) { return e instanceof HarnessError ? e.code : 'not a HarnessError'; }
  return undefined;
};

describe('control words', () => {
  it('keeps C_FINDINGS_LOST off cache line 0, after the WARN_ONCE words', () => {
    expect(Math.floor(C_FINDINGS_LOST / CACHE_LINE_WORDS)).not.toBe(0);
    expect(C_WARNED + WARNED_WORDS).toBeLessThanOrEqual(C_FINDINGS_LOST);
  });

  it('throws ERR_LAYOUT when a run of words reaches the next word in use, and not when it ends before', () => {
    expect(code(() => assertWordsFit('C_WARNED + WARNED_WORDS', C_WARNED, C_FINDINGS_LOST - C_WARNED + 1, C_FINDINGS_LOST, 'x'))).toBe('ERR_LAYOUT');
    expect(code(() => assertWordsFit('C_WARNED + WARNED_WORDS', C_WARNED, C_FINDINGS_LOST - C_WARNED, C_FINDINGS_LOST, 'x'))).toBeUndefined();
  });

  it('gives every warning a WARN_ONCE bit of its own inside the C_WARNED words', () => {
    expect(WARNINGS.length).toBeLessThanOrEqual(WARNED_CODES);
    const seen = new Set<string>();
    for (let c = 1; c <= WARNED_CODES; c++) {
      const w = warnedWord(100, c) - 100;
      expect(w >= C_WARNED && w < C_WARNED + WARNED_WORDS).toBe(true);
      seen.add(`${w}:${warnedBit(c)}`);
    }
    expect(seen.size).toBe(WARNED_CODES);
  });
});

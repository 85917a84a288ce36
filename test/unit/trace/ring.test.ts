import { describe, expect, it } from 'vitest';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { dumpText } from '../../../src/trace/ring.js';
import { abbaWwBackoff } from '../../../scenarios/abba-ww-backoff.js';

describe('trace rings', () => {
  it('dump one line per event in sequence order, naming actors, ops and errno results', () => {
    const ex = new InlineExecutor(abbaWwBackoff, { strategy: 'pct:2', events: true });
    let text = '';
    for (let seed = 0; seed < 500 && !text.includes('-EDEADLK'); seed++) {
      const r = ex.runTrial(seed);
      text = dumpText(r.events ?? [], ex.actorNames);
      const seqs = (r.events ?? []).map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(text.split('\n')).toHaveLength(r.events!.length);
    }
    expect(text).toMatch(/^# +\d+ {2}T[12] +acquired mutex \d+/m);
    expect(text).toMatch(/-EDEADLK mutex \d+/);
    expect(text).toMatch(/done obj 0/);
  });
});

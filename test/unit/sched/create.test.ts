import { describe, expect, it } from 'vitest';
import { createScheduler, inlineOnly } from '../../../src/sched/create.js';
import { PctScheduler } from '../../../src/sched/pct.js';
import { RandomScheduler } from '../../../src/sched/random.js';
import { ReplayScheduler } from '../../../src/sched/replay.js';
import { PosScheduler } from '../../../src/sched/pos.js';
import { DfsScheduler } from '../../../src/sched/dfs.js';
import { HarnessError } from '../../../src/errno/errors.js';
import { SCHED_WORDS } from '../../../src/shm/layout.js';

const views = { state: new Int32Array(SCHED_WORDS), decisions: new Int32Array(8), pending: () => 0, resvLock: () => 0, jobFence: () => -1 };

function errorOf(spec: string): HarnessError {
  try {
    createScheduler(spec, views);
  } catch (e) {
    if (e instanceof HarnessError) return e;
    throw e;
  }
  throw new Error(`spec ${spec} was accepted`);
}

describe('createScheduler', () => {
  it('builds random, replay and pct:D', () => {
    expect(createScheduler('random', views)).toBeInstanceOf(RandomScheduler);
    expect(createScheduler('replay', views)).toBeInstanceOf(ReplayScheduler);
    for (let d = 1; d <= 10; d++) {
      const s = createScheduler(`pct:${d}`, views);
      expect(s).toBeInstanceOf(PctScheduler);
      expect(s.name).toBe(`pct:${d}`);
    }
  });

  it.each(['pct:0', 'pct:11', 'pct:-1', 'pct:1.5', 'pct:', 'pct', 'pct:02', 'pct: 3'])(
    'rejects the malformed or out-of-range pct spec %j with ERR_BAD_OPTION',
    (spec) => {
      const e = errorOf(spec);
      expect(e.code).toBe('ERR_BAD_OPTION');
      expect(e.message).toContain(JSON.stringify(spec));
      expect(e.message).toMatch(/pct:D with D an integer 1\.\.10/);
    },
  );

  it('builds pos and dfs:B for B in 0..9', () => {
    const pos = createScheduler('pos', views);
    expect(pos).toBeInstanceOf(PosScheduler);
    expect(pos.name).toBe('pos');
    for (let b = 0; b <= 9; b++) {
      const s = createScheduler(`dfs:${b}`, views);
      expect(s).toBeInstanceOf(DfsScheduler);
      expect(s.name).toBe(`dfs:${b}`);
      expect((s as DfsScheduler).bound).toBe(b);
    }
  });

  it('marks dfs:B, and only dfs:B, as inline-only', () => {
    for (let b = 0; b <= 9; b++) expect(inlineOnly(`dfs:${b}`)).toBe(true);
    for (const spec of ['random', 'replay', 'guided', 'pos', 'pct:3']) expect(inlineOnly(spec)).toBe(false);
  });

  it.each(['dfs:10', 'dfs:-1', 'dfs:1.5', 'dfs:', 'dfs', 'dfs:01', 'dfs: 2', 'DFS:2'])(
    'rejects the malformed or out-of-range dfs spec %j with ERR_BAD_OPTION',
    (spec) => {
      const e = errorOf(spec);
      expect(e.code).toBe('ERR_BAD_OPTION');
      expect(e.message).toContain(JSON.stringify(spec));
      expect(e.message).toMatch(/dfs:B with B an integer 0\.\.9/);
      expect(e.message).not.toContain('\n');
    },
  );

  it.each(['', 'Random', 'rand', 'replay ', 'POS', 'pos:2', ' pos'])(
    'rejects the unknown spec %j naming it on one line',
    (spec) => {
      const e = errorOf(spec);
      expect(e.code).toBe('ERR_BAD_OPTION');
      expect(e.message).toContain(JSON.stringify(spec));
      expect(e.message).not.toContain('\n');
    },
  );
});

/** StrategySet: one strategy per spec, kept across trials; specs an executor cannot run refused. */
import { describe, expect, it } from 'vitest';
import { StrategySet } from '../../../src/sched/strategy_set.js';
import { Arena } from '../../../src/shm/arena.js';
import { schedViews } from '../../../src/exec/prepare.js';

const views = () => schedViews(Arena.create({ actors: 3 }));

describe('StrategySet', () => {
  it('keeps one strategy per spec', () => {
    const set = new StrategySet(views(), true);
    expect(set.get('pct:2')).toBe(set.get('pct:2'));
    expect(set.get('pct:2')).not.toBe(set.get('pct:3'));
  });

  it.each([[true, 'dfs:2', undefined], [false, 'dfs:2', 'ERR_BAD_OPTION'], [true, 'pct:0', 'ERR_BAD_OPTION']])(
    'with inline-only strategies allowed %s, %s is refused with %s', (ok, spec, code) => {
      const get = (): unknown => new StrategySet(views(), ok).get(spec);
      if (code === undefined) expect(get).not.toThrow();
      else expect(get).toThrow(expect.objectContaining({ code }) as Error);
    });
});

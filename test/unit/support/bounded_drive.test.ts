/**
 * The drives tests and fixtures run model calls with outside a scheduler (test/support/drive.ts,
 * test/fixtures/fence/sync.ts runToEnd) end a call that never ends with an error naming the drive,
 * instead of spinning the test runner: a call that blocks yields for ever on the one thread.
 */
import { describe, expect, it } from 'vitest';
import type { KGen } from '../../../src/kernel/types.js';
import { drive } from '../../support/drive.js';
import { runToEnd } from '../../fixtures/fence/sync.js';

/** A call that blocks for ever: each step yields again. */
function* endless(): KGen<number> {
  for (;;) yield 0;
}

function* twoSteps(): KGen<number> {
  yield 0;
  yield 0;
  return 7;
}

describe('a bounded drive', () => {
  it.each([
    ['drive', (g: KGen<number>) => drive(g, 50)],
    ['runToEnd', (g: KGen<number>) => runToEnd(g, 50)],
  ])('%s returns the value of a call that ends', (_name, run) => {
    expect(run(twoSteps())).toBe(7);
  });

  it.each([
    ['drive', (g: KGen<number>) => drive(g, 50)],
    ['runToEnd', (g: KGen<number>) => runToEnd(g, 50)],
  ])('%s throws, naming itself, after its limit of steps of a call that never ends', (name, run) => {
    expect(() => run(endless())).toThrow(new RegExp(`^${name}: no end after 50 steps`));
  });
});

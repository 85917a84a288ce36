/**
 * Lock classes of keys and subclasses (kernel/lockdep_class.ts): a class is its key and subclass
 * together, as lockdep keeps one per key and subclass, so two keys' subclasses never share a
 * class — the subclass keys were once a 32-bit hash of the two, where two numeric keys whose
 * hashes differed only in the bits the hash dropped made their subclasses one class.
 */
import { describe, expect, it } from 'vitest';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { defineScenario } from '../../../src/exec/scenario.js';
import { lockdepClassName, lockdepSubclass, lockdep_class } from '../../../src/kernel/lockdep.js';
import { mutex_init, mutex_lock_nested, mutex_unlock, type KGen, type Mutex, type Task } from '../../fixtures/kernel.js';

/** The multiplicative inverse of odd `m` modulo 2^32 (Newton's iteration). */
function inverse(m: number): number {
  let x = m;
  for (let i = 0; i < 5; i++) x = Math.imul(x, 2 - Math.imul(m, x));
  return x;
}

/**
 * Two numeric keys whose subclass-1 keys collided under the former derivation
 * `(imul(key ^ imul(sub, 0x9e3779b9), 0x85ebca6b) | 0x80000000) & ~1`: keys whose products
 * differ in bit 0 only.
 */
function collidingKeys(): [number, number] {
  const s = Math.imul(1, 0x9e3779b9);
  const k1 = 7;
  const k2 = Math.imul(Math.imul(k1 ^ s, 0x85ebca6b) ^ 1, inverse(0x85ebca6b)) ^ s;
  return [k1, k2];
}

interface Env { readonly a: Mutex; readonly b: Mutex }

/** One task nests b inside a, both as subclass 1 of their own keys. */
const twoKeysNested = (keys: readonly [number, number]) => defineScenario({
  name: 'lockdep-subclass-keys', module: import.meta.url, params: {}, expect: 'clean',
  setup: (t: Task): Env => ({ a: mutex_init(t, keys[0]), b: mutex_init(t, keys[1]) }),
  actors: () => [{
    name: 'T',
    run: function* (t: Task, e: Env): KGen<void> {
      yield* mutex_lock_nested(t, e.a, 1);
      yield* mutex_lock_nested(t, e.b, 1);
      mutex_unlock(t, e.b);
      mutex_unlock(t, e.a);
    },
  }],
});

describe('subclass classes', () => {
  it('keep two keys whose former subclass hashes collided apart: no recursive locking nesting them', () => {
    const keys = collidingKeys();
    expect(keys[1]).not.toBe(keys[0]);
    const ex = new InlineExecutor(twoKeysNested(keys));
    expect(ex.runTrial(0).findings.map((f) => [f.code, f.title])).toEqual([]);
    ex.close();
  });

  it.each([1, 2, 7])('are one class per key and subclass (subclass %i), named after the key\'s', (sub) => {
    const keys = collidingKeys();
    const ex = new InlineExecutor(twoKeysNested(keys));
    ex.runTrial(0);
    const a = ex.arena;
    const [ca, cb] = keys.map((k) => lockdep_class(a, k)) as [number, number];
    const [sa, sb] = [lockdepSubclass(a, ca, sub), lockdepSubclass(a, cb, sub)];
    expect(new Set([ca, cb, sa, sb]).size).toBe(4);
    expect(lockdepSubclass(a, ca, sub)).toBe(sa);
    expect(lockdepClassName(a, sa)).toBe(`${lockdepClassName(a, ca)}/${sub}`);
    ex.close();
  });
});

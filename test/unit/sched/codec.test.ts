import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CODEC_VERSION, decodeDecisions, encodeDecisions, type Decision,
} from '../../../src/sched/codec.js';
import { packOp } from '../../../src/shm/layout.js';

const value = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 0x7fffffff }));
const decision = fc.record({ actor: fc.oneof(fc.integer({ min: 0, max: 30 }), value), op: value });
const lists = fc.array(decision, { maxLength: 300 });
/** Schedules shaped like real ones: few actors, a small op vocabulary, runs. */
const realistic = fc.array(
  fc.record({
    actor: fc.integer({ min: 0, max: 4 }),
    len: fc.integer({ min: 1, max: 20 }),
    op: fc.integer({ min: 1, max: 12 }),
    obj: fc.integer({ min: 0, max: 5 }),
  }),
  { maxLength: 40 },
).map((runs) => runs.flatMap((r) => Array.from({ length: r.len }, (_, i) =>
  ({ actor: r.actor, op: packOp(r.op, (r.obj + (i % 2)) % 6) }))));

function decodeError(s: string): string {
  try {
    decodeDecisions(s);
  } catch (e) {
    if (e instanceof Error) return e.message;
    throw e;
  }
  return '';
}

describe('schedule codec', () => {
  it('round-trips arbitrary decision lists', () => {
    fc.assert(fc.property(lists, (list) => {
      expect(decodeDecisions(encodeDecisions(list))).toEqual(list);
    }));
  });

  it('round-trips the empty list and the extreme values', () => {
    const max = 0x7fffffff;
    const list: Decision[] = [{ actor: 0, op: 0 }, { actor: max, op: max }, { actor: 0, op: max }];
    expect(decodeDecisions(encodeDecisions([]))).toEqual([]);
    expect(decodeDecisions(encodeDecisions(list))).toEqual(list);
  });

  it('starts with the version prefix and uses only base64url after it', () => {
    fc.assert(fc.property(lists, (list) => {
      expect(encodeDecisions(list)).toMatch(new RegExp(`^${CODEC_VERSION}[A-Za-z0-9_-]*$`));
    }));
  });

  it('costs one byte per decision plus a few per run and per distinct op', () => {
    fc.assert(fc.property(realistic, (list) => {
      const s = encodeDecisions(list);
      expect(decodeDecisions(s)).toEqual(list);
      const runs = list.filter((d, i) => i === 0 || list[i - 1]!.actor !== d.actor).length;
      const ops = new Set(list.map((d) => d.op)).size;
      const bytes = 2 + list.length + 2 * runs + 3 * ops;
      expect(s.length).toBeLessThanOrEqual(1 + Math.ceil((bytes * 4) / 3));
    }));
  });

  it('encodes a long schedule with few switches in under 1.5 chars per decision', () => {
    const list: Decision[] = [];
    for (let i = 0; i < 2000; i++) {
      list.push({ actor: Math.floor(i / 50) % 4, op: packOp(1 + (i % 9), i % 7) });
    }
    expect(encodeDecisions(list).length / list.length).toBeLessThan(1.5);
  });

  it('accepts only canonical encodings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 40 }), (tail) => {
      const s = CODEC_VERSION + tail;
      let list: Decision[];
      try {
        list = decodeDecisions(s);
      } catch (e) {
        expect(e).toBeInstanceOf(Error);
        expect((e as Error).message).toMatch(/^bad schedule encoding: .*(position|byte) \d+/);
        return;
      }
      expect(encodeDecisions(list)).toBe(s);
    }));
  });

  it('rejects every truncation of a valid encoding', () => {
    fc.assert(fc.property(fc.array(decision, { minLength: 1, maxLength: 50 }), (list) => {
      const s = encodeDecisions(list);
      for (let cut = 0; cut < s.length; cut++) {
        expect(decodeError(s.slice(0, cut))).toMatch(/^bad schedule encoding: /);
      }
    }));
  });

  it('names the position of what is wrong', () => {
    const good = encodeDecisions([{ actor: 1, op: 5 }, { actor: 2, op: 5 }]);
    expect(decodeError('')).toMatch(/empty/);
    expect(decodeError('2' + good.slice(1))).toMatch(/unknown version "2" at position 0/);
    expect(decodeError(good.slice(0, 3) + '*' + good.slice(4))).toMatch(/"\*" at position 3/);
    expect(decodeError(good + 'AAAA')).toMatch(/trailing bytes at byte \d+/);
    // count 1, actor 0, length-1 = 0, op code 3: a reference outside an empty dictionary.
    expect(decodeError(CODEC_VERSION + 'AQAAAw'))
      .toMatch(/op reference 2 at byte 3 is outside the dictionary of 0/);
    // count 2, two runs of actor 0: runs must be maximal.
    expect(decodeError(CODEC_VERSION + 'AgAAAAcAAAE')).toMatch(/repeats actor 0/);
    // count 1 with an overlong varint (0x80 0x00) for the actor.
    expect(decodeError(CODEC_VERSION + 'AYAAAAAH')).toMatch(/overlong varint for actor at byte 1/);
  });

  it('refuses values outside [0, 2^31) when encoding', () => {
    for (const bad of [-1, 2 ** 31, 1.5, NaN]) {
      expect(() => encodeDecisions([{ actor: 0, op: bad }])).toThrow(RangeError);
      expect(() => encodeDecisions([{ actor: bad, op: 0 }])).toThrow(RangeError);
    }
  });
});

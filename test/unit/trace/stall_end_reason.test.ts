/**
 * A stall's end (EV_STALL_END, object: STALL_END_CODE of why) names its reason, from the one table
 * of them (STALL_ENDS), in the text dump and in the Perfetto trace (the instant's name and
 * args.reason); a code outside the table stays a number.
 */
import { describe, expect, it } from 'vitest';
import { STALL_END_CODE } from '../../../src/exec/stress_stalls.js';
import { EV_STALL_END, STALL_ENDS, opName, opObjectKind } from '../../../src/trace/ops.js';
import { chromeTrace } from '../../../src/trace/perfetto.js';
import { dumpText, type TraceEvent } from '../../../src/trace/ring.js';

const stallEnd = (obj: number): TraceEvent => ({ seq: 1, actor: 0, op: EV_STALL_END, obj, aux: 16, ret: 0, step: 20 });
/** How a dump names a stall's end with object `label`. */
const token = (label: string): string => `${opName(EV_STALL_END)} ${opObjectKind(EV_STALL_END)} ${label}`;

describe('a stall end\'s reason', () => {
  it.each(STALL_ENDS.map((end) => [end]))('is named %s in the text dump', (end) => {
    expect(dumpText([stallEnd(STALL_END_CODE[end])], ['T'])).toContain(` ${token(end)} `);
  });

  it.each(STALL_ENDS.map((end) => [end]))('is named %s in the Perfetto trace: the instant\'s name and args.reason', (end) => {
    const ev = chromeTrace([stallEnd(STALL_END_CODE[end])], ['T']).traceEvents.find((e) => e.ph === 'i');
    expect(ev?.name).toBe(token(end));
    expect(ev?.args).toMatchObject({ reason: end, obj: STALL_END_CODE[end], aux: 16 });
  });

  it('stays a number when outside the table, and only a stall end has a reason', () => {
    const code = STALL_ENDS.length + 1;
    expect(dumpText([stallEnd(code)], ['T'])).toContain(` ${token(String(code))} `);
    expect(chromeTrace([stallEnd(code)], ['T']).traceEvents.find((e) => e.ph === 'i')?.args).not.toHaveProperty('reason');
  });
});

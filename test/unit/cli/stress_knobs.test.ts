/**
 * The stress command's knobs as scenario parameters, and their parsers' refusals. A refusal is
 * pinned by its structure — a one-line HarnessError ERR_BAD_OPTION naming the option and its
 * value as typed (and the --param it clashes with) — never by its prose.
 */
import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../../src/errno/errors.js';
import { byteSize, isStressPageSize, knobText, periodMs, probability, readKnobs, stressParams } from '../../../src/cli/stress_knobs.js';
import { inRange } from '../../../src/exec/param_ranges.js';
import { STRESS_PAGE_BYTES, stressRevoke } from '../../../scenarios/stress-revoke.js';
import { revokeWaitBookkeep } from '../../../scenarios/revoke-wait-bookkeep.js';
import { abbaWwBackoff } from '../../../scenarios/abba-ww-backoff.js';

/** The refusal `f` throws: a HarnessError ERR_BAD_OPTION on one line, naming each of `names`. */
function expectRefused(f: () => unknown, names: readonly string[]): void {
  let err: unknown;
  try { f(); } catch (e) { err = e; }
  expect(err).toBeInstanceOf(HarnessError);
  const { code, message } = err as HarnessError;
  expect(code).toBe('ERR_BAD_OPTION');
  expect(message).not.toContain('\n');
  for (const name of names) expect(message).toContain(name);
}

describe('stress knob parsers', () => {
  it('reads sizes, periods and probabilities', () => {
    expect([byteSize('8M'), byteSize('512KiB'), byteSize('65536'), byteSize('1g')]).toEqual([8 << 20, 512 << 10, 65536, 1 << 30]);
    expect([periodMs('10ms'), periodMs('2s')]).toEqual([10, 2000]);
    expect([probability('0'), probability('.05'), probability('1')]).toEqual([0, 0.05, 1]);
  });

  it.each([
    ['byteSize', byteSize, '8MB!'], ['byteSize', byteSize, '0'], ['byteSize', byteSize, '-1M'], ['periodMs', periodMs, '0.5ms'],
    ['periodMs', periodMs, 'soon'], ['periodMs', periodMs, '10'], ['probability', probability, '1.5'], ['probability', probability, 'x'],
  ] as const)('%s refuses %s', (_name, parse, v) => {
    expect(() => parse(v)).toThrow(InvalidArgumentError);
  });
});

describe('stressParams', () => {
  it('maps the knobs onto stress-revoke', () => {
    const { params, pageBytes } = stressParams(stressRevoke, {}, {
      importers: 4, engines: 2, bufferSize: 16 << 20, jobSize: 4 << 20, revokeEvery: 5,
    });
    expect(params).toMatchObject({ importers: 4, engines: 2, pages: 64, pageBytes: 256 << 10, jobPages: 16, revokeEveryMs: 5 });
    expect(pageBytes).toBe(256 << 10);
  });

  it('defaults to the scenario parameters (a job is the whole buffer)', () => {
    const { params, pageBytes } = stressParams(stressRevoke, { pin: true }, {});
    expect(params).toMatchObject({ importers: 2, engines: 1, jobPages: 64, depth: 8, reap: 4, pin: true });
    expect(pageBytes).toBe(128 << 10);
  });

  it.each([
    [{ bufferSize: 1000 }, '--buffer-size 1000'],
    [{ bufferSize: 1 << 30 }, `--buffer-size ${1 << 30}`],
    [{ bufferSize: 8 << 20, jobSize: 3 << 16 }, `--job-size ${3 << 16}`],
    [{ bufferSize: 8 << 20, jobSize: 16 << 20 }, `--job-size ${16 << 20}`],
  ])('refuses sizes the buffer cannot have: %o, naming %s', (k, given) => {
    expectRefused(() => stressParams(stressRevoke, {}, k), [given]);
  });

  it.each([
    [{ importers: 4 }, { importers: 2 }, '--importers 4'],
    [{ revokeEvery: 5 }, { revokeEveryMs: 10 }, '--revoke-every 5'],
    [{ jobSize: 1 << 20 }, { pageBytes: 65536 }, `--job-size ${1 << 20}`],
    [{ bufferSize: 4 << 20 }, { jobPages: 8 }, `--buffer-size ${4 << 20}`],
    [{ bufferSize: 4 << 20, jobSize: 1 << 20 }, { jobPages: 8 }, `--job-size ${1 << 20}`],
    [{ bufferSize: 4 << 20, jobSize: 1 << 20 }, { pageBytes: 65536 }, `--buffer-size ${4 << 20}`],
  ])('refuses a knob whose parameter --param sets too: %o with %o, naming %s and the --param', (k, over, given) => {
    const [param, value] = Object.entries(over)[0]!;
    expectRefused(() => stressParams(stressRevoke, over, k), [given, `--param ${param}=${value}`]);
  });

  it('takes a --param beside knobs that set other parameters', () => {
    expect(stressParams(stressRevoke, { depth: 16 }, { importers: 4, jobSize: 1 << 20 }).params).toMatchObject({ depth: 16, importers: 4 });
  });

  it('refuses a knob the scenario has no parameter for, naming the knob and the parameter', () => {
    expectRefused(() => stressParams(abbaWwBackoff, {}, { engines: 2 }), ['--engines 2', 'abba-ww-backoff', 'engines']);
    expect(stressParams(revokeWaitBookkeep, {}, { engines: 2 }).params).toMatchObject({ engines: 2 });
    expect(stressParams(revokeWaitBookkeep, {}, { importers: 3 }).params).toMatchObject({ importers: 3 });
    expect(stressParams(revokeWaitBookkeep, {}, {}).pageBytes).toBe(4096);
  });
});

describe('the knobs as typed', () => {
  it('are read into the knobs they set', () => {
    expect(stressParams(stressRevoke, {}, readKnobs({ importers: '4', engines: '2', bufferSize: '16M', jobSize: '4M', revokeEvery: '5ms' })).params)
      .toMatchObject({ importers: 4, engines: 2, pageBytes: 256 << 10, jobPages: 16, revokeEveryMs: 5 });
  });

  it.each([
    [{ revokeEvery: '5us' }, '--revoke-every 5us'], [{ revokeEvery: '2m' }, '--revoke-every 2m'],
    [{ revokeEvery: '0.5ms' }, '--revoke-every 0.5ms'], [{ revokeEvery: '10' }, '--revoke-every 10'],
    [{ bufferSize: '5000' }, '--buffer-size 5000'], [{ bufferSize: '1G' }, '--buffer-size 1G'],
    [{ bufferSize: '8MB!' }, '--buffer-size 8MB!'], [{ jobSize: '3K' }, '--job-size 3K'],
    [{ importers: '017' }, '--importers 017'], [{ importers: 'x' }, '--importers x'], [{ importers: '0' }, '--importers 0'],
    [{ importers: '2', engines: '3' }, '--engines 3'],
  ])('refuse %j naming the option and the text typed (%s)', (o, given) => {
    expectRefused(() => stressParams(stressRevoke, {}, readKnobs(o)), [given]);
  });
});

describe('the knobs while the options are parsed (knobText)', () => {
  it.each([
    ['importers', '017'], ['engines', '9'], ['bufferSize', '1G'], ['jobSize', '3K'], ['revokeEvery', '2m'],
  ] as const)('take %s %s as typed (its range is the scenario\'s, checked later)', (knob, v) => {
    expect(knobText(knob)(v)).toBe(v);
  });

  it.each([
    ['importers', 'x'], ['importers', '0'], ['engines', '1.5'], ['bufferSize', '8MB!'], ['jobSize', '0'],
    ['revokeEvery', 'soon'], ['revokeEvery', '10'],
  ] as const)('refuse %s %s, naming the option and the text typed, as readKnobs does', (knob, v) => {
    const flag = { importers: '--importers', engines: '--engines', bufferSize: '--buffer-size', jobSize: '--job-size', revokeEvery: '--revoke-every' }[knob];
    expectRefused(() => knobText(knob)(v), [`${flag} ${v}`]);
  });
});

describe('page sizes: one rule for --buffer-size and --param pageBytes', () => {
  it.each([4096, 5000, 8192, 2 << 20, (2 << 20) + 4096, 128 << 10])('%i: --buffer-size of 64 such pages is taken exactly when --param pageBytes is', (pageBytes) => {
    const byParam = (): unknown => stressParams(stressRevoke, { pageBytes }, {});
    const byKnob = (): unknown => stressParams(stressRevoke, {}, { bufferSize: pageBytes * 64 });
    const takes = (f: () => unknown): boolean => { try { f(); return true; } catch { return false; } };
    expect(takes(byKnob)).toBe(inRange(STRESS_PAGE_BYTES, pageBytes));
    expect(takes(byParam)).toBe(inRange(STRESS_PAGE_BYTES, pageBytes));
    expect(isStressPageSize(pageBytes)).toBe(inRange(STRESS_PAGE_BYTES, pageBytes));
  });
});

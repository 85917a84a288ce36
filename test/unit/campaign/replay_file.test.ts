/**
 * Replay files: a written file reads back to the same schedule and names this build's layout
 * digest; files from another harness version, arena layout or scenario revision, and malformed
 * fields, are refused with ERR_REPLAY_FILE naming the field.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkReplayFor, formerTitles, readReplayFile, replayDecisions, replayFile } from '../../../src/campaign/replay_file.js';
import { TITLES_REVISION } from '../../../src/kernel/former_titles.js';
import { HARNESS_VERSION } from '../../../src/campaign/version.js';
import { defineScenario } from '../../../src/exec/scenario.js';
import { layoutDigest } from '../../../src/shm/layout_digest.js';
import { abbaNoCtx } from '../../../scenarios/abba-no-ctx.js';
import { tempDir } from '../../support/cli.js';

const decisions = [{ actor: 0, op: 0x01000000 }, { actor: 1, op: 0x01000001 }, { actor: 0, op: 0x02000003 }];
const input = () => ({
  scenario: abbaNoCtx, params: {}, executor: 'inline' as const, strategy: 'pct:2', seed: 7,
  finding: { kind: 'deadlock', title: 'deadlock in mutex_lock', code: 'deadlock' }, decisions,
});
const doc = () => replayFile(input());

const dep = { from: { key: 11, named: true, flags: 0 }, to: { key: 12, named: false, flags: 1 }, actor: 0, trial: 3, step: 5, fromRef: 1, toRef: 2 };
const usage = { class: { key: 11, named: true, flags: 0 }, usage: 'IN-HARDIRQ-W' as const, actor: 1, trial: 2 };

function write(content: unknown): string {
  const p = join(tempDir(), 'x.replay.json');
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}

function refusal(f: () => unknown): string {
  try { f(); } catch (err) { return `${(err as { code: string }).code} ${(err as Error).message}`; }
  return 'accepted';
}

describe('replay files', () => {
  it('round-trip the schedule, scenario and finding', () => {
    const p = write(doc());
    const f = readReplayFile(p);
    expect(f.harness).toBe(HARNESS_VERSION);
    expect(f.layout).toBe(layoutDigest());
    expect(replayDecisions(p, f)).toEqual(decisions);
    expect(() => checkReplayFor(p, f, abbaNoCtx)).not.toThrow();
  });

  it('take former finding titles only from a file of an earlier title revision, or naming none', () => {
    const { titles, ...unnamed } = doc();
    expect(titles).toBe(TITLES_REVISION);
    expect(formerTitles(readReplayFile(write(doc())))).toBe(false);
    expect(formerTitles(readReplayFile(write(unnamed)))).toBe(true);
    expect(formerTitles(readReplayFile(write({ ...doc(), titles: TITLES_REVISION - 1 })))).toBe(true);
  });

  it.each([
    ['titles', { titles: 0 }],
    ['harness', { harness: '0.0.1' }],
    ['layout', { layout: 'abc' }],
    ['seed', { seed: 'seven' }],
    ['executor', { executor: 'qemu' }],
    ['format', { format: 'something-else' }],
    ['schedule.steps', { schedule: { steps: 99, decisions: doc().schedule.decisions } }],
    ['schedule.decisions', { schedule: { steps: 3, decisions: '1%%' } }],
    ['extra', { extra: 1 }],
    ['lockdep.0.from.key', { lockdep: [{ ...dep, from: { key: 0, named: true, flags: 0 } }] }],
    ['lockdep.0.trial', { lockdep: [{ ...dep, trial: -1 }] }],
    ['lockdepUsage.0.usage', { lockdepUsage: [{ ...usage, usage: 'IN-SOFTIRQ-W' }] }],
    ['lockdepUsage.0.trial', { lockdepUsage: [{ ...usage, trial: 0 }] }],
  ])('refuse a bad %s field naming it', (field, patch) => {
    const p = write({ ...doc(), ...patch });
    const msg = refusal(() => replayDecisions(p, readReplayFile(p)));
    expect(msg.startsWith('ERR_REPLAY_FILE')).toBe(true);
    expect(msg).toContain(p);
    expect(msg).toContain(field === 'extra' ? '(document)' : field);
  });

  it('carry a circular-locking finding\'s chain, and leave the field out when there is none', () => {
    expect(doc()).not.toHaveProperty('lockdep');
    const p = write(replayFile({ ...input(), lockdep: [dep] }));
    expect(readReplayFile(p).lockdep).toEqual([dep]);
  });

  it('carry an irq-safety finding\'s usage from earlier trials, and read a file without the field as carrying none', () => {
    expect(doc()).not.toHaveProperty('lockdepUsage');
    expect(readReplayFile(write(doc())).lockdepUsage).toBeUndefined();
    const p = write(replayFile({ ...input(), lockdepUsage: [usage] }));
    expect(readReplayFile(p).lockdepUsage).toEqual([usage]);
  });

  it('refuse a file that is not JSON', () => {
    expect(refusal(() => readReplayFile(write('{ nope')))).toMatch(/^ERR_REPLAY_FILE /);
  });

  it.each([
    ['another layout', { layout: `${layoutDigest().split(':')[0]}:0123456789abcdef` }],
    ['no layout', { layout: undefined }],
  ])('refuse a file recorded against %s, naming the field and this build\'s digest', (_what, patch) => {
    const p = write({ ...doc(), ...patch });
    const msg = refusal(() => readReplayFile(p));
    expect(msg).toMatch(/^ERR_REPLAY_FILE /);
    expect(msg).toContain(`${p}: layout: `);
    expect(msg).toContain(layoutDigest());
    if (patch.layout !== undefined) expect(msg).toContain(patch.layout);
  });

  it.each([
    ['layout', 'another harness version', 'harness', { layout: 'abc' }, { harness: '0.0.1' }],
    ['layout', 'this harness version', 'layout', { layout: 'abc' }, {}],
    ['seed', 'another harness version', 'harness', { seed: 'seven' }, { harness: '0.0.1' }],
    ['schedule', 'another harness version', 'harness', { schedule: { ticks: 3 } }, { harness: '0.0.1' }],
    ['extra field', 'another harness version', 'harness', { extra: 1 }, { harness: '0.0.1' }],
    ['seed', 'this harness version', 'seed', { seed: 'seven' }, {}],
  ] as const)('refuse a malformed %s of %s for its %s field', (_bad, _what, field, malformed, version) => {
    const p = write({ ...doc(), ...malformed, ...version });
    expect(refusal(() => readReplayFile(p)).split(': ').slice(0, 2)).toEqual([`ERR_REPLAY_FILE ${p}`, field]);
  });

  it('refuse another scenario revision', () => {
    const p = write(doc());
    const bumped = defineScenario({ ...abbaNoCtx, revision: 2 });
    expect(refusal(() => checkReplayFor(p, readReplayFile(p), bumped))).toMatch(/^ERR_REPLAY_FILE .*scenario\.revision/);
  });
});

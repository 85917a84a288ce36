/**
 * An irq-safety finding whose report rests on irq usage earlier trials of the hunting executor set
 * still replays: the finding and its replay file carry the usage (and any chain), `replay` and
 * the campaign's re-run prime them under inline and controlled — the replayed finding found in a
 * later trial than the usage's and carrying the same usage —, and `shrink` runs every candidate on
 * a validator holding them.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hunt, type HuntFinding } from '../../../src/campaign/hunt.js';
import { readReplayFile, replayDecisions, replayFile } from '../../../src/campaign/replay_file.js';
import { reproduce } from '../../../src/campaign/reproduce.js';
import { shrink } from '../../../src/campaign/shrink.js';
import { writeAtomic } from '../../../src/campaign/artifacts.js';
import { trialIrqUsage } from '../../fixtures/lockdep/trial_irq_usage.js';
import { tempDir } from '../../support/cli.js';

/** The hunt's first finding carrying irq usage (trials: the budget). */
async function crossTrialFinding(): Promise<HuntFinding> {
  const report = await hunt(trialIrqUsage, { trials: 200, timeMs: 10_000, seed: 1, strategies: ['random'], executor: 'inline' });
  const f = report.findings.find((x) => (x.lockdepUsage?.length ?? 0) > 0);
  if (f === undefined) throw new Error(`the hunt found no finding carrying irq usage: ${report.findings.map((x) => x.code).join(', ')}`);
  return f;
}

describe('replaying an irq-safety finding whose usage earlier trials set', () => {
  it('reproduces under inline and controlled with the usage primed, and not without it', async () => {
    const f = await crossTrialFinding();
    expect(f.code).toMatch(/^LOCK_IRQ_/);
    expect(f.trial).toBeGreaterThan(1);
    const base = { params: {}, seed: f.seed, decisions: f.decisions, code: f.code };
    const bare = await reproduce(trialIrqUsage, f.title, { ...base, executor: 'inline' });
    expect(bare.reproduced).toBe(false);
    const carried = { lockdep: f.lockdep, lockdepUsage: f.lockdepUsage };
    const inline = await reproduce(trialIrqUsage, f.title, { ...base, executor: 'inline', ...carried });
    const controlled = await reproduce(trialIrqUsage, f.title, { ...base, executor: 'controlled', ...carried });
    expect([inline.finding?.code, controlled.finding?.code]).toEqual([f.code, f.code]);
    // the replay counts its trials past the primed usage's: its finding's trial is later than every
    // primed record's, so it carries that usage again (only an earlier trial's is carried, lockdep_carry.ts)
    for (const r of [inline, controlled]) {
      for (const u of f.lockdepUsage ?? []) expect(r.finding?.trial, `the primed ${u.usage} of trial ${u.trial}`).toBeGreaterThan(u.trial);
      expect(r.finding?.lockdepUsage).toEqual(f.lockdepUsage);
    }
  }, 30_000);

  it('keeps the usage through a replay file', async () => {
    const f = await crossTrialFinding();
    const path = join(tempDir(), 'f.replay.json');
    const doc = replayFile({
      scenario: trialIrqUsage, params: {}, executor: 'inline', strategy: f.strategy, seed: f.seed, finding: f, decisions: f.decisions,
      lockdep: f.lockdep, lockdepUsage: f.lockdepUsage,
    });
    writeAtomic(path, JSON.stringify(doc));
    const back = readReplayFile(path);
    expect(back.lockdepUsage).toEqual(f.lockdepUsage);
    const rep = await reproduce(trialIrqUsage, f.title, {
      executor: 'inline', params: {}, seed: back.seed, decisions: replayDecisions(path, back), lockdep: back.lockdep, lockdepUsage: back.lockdepUsage, code: f.code,
    });
    expect(rep.reproduced).toBe(true);
  });

  it('shrinks only with the usage primed', async () => {
    const f = await crossTrialFinding();
    const input = { scenario: trialIrqUsage, params: {}, seed: f.seed, decisions: f.decisions, title: f.title, code: f.code, lockdep: f.lockdep };
    expect(shrink(input).decisions).toBeNull();
    expect(shrink({ ...input, lockdepUsage: f.lockdepUsage }).decisions).not.toBeNull();
  });
});

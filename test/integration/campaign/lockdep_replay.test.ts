/**
 * A circular-locking finding whose chain was recorded by earlier trials of the hunting executor
 * still replays: the replay file carries the chain, `replay` and the campaign's own re-run prime
 * it under inline and controlled, and `shrink` runs every candidate on a validator holding it.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hunt } from '../../../src/campaign/hunt.js';
import { readReplayFile, replayDecisions, replayFile } from '../../../src/campaign/replay_file.js';
import { reproduce } from '../../../src/campaign/reproduce.js';
import { shrink } from '../../../src/campaign/shrink.js';
import { writeAtomic } from '../../../src/campaign/artifacts.js';
import { trialOrders } from '../../fixtures/lockdep/trial_orders.js';
import { tempDir } from '../../support/cli.js';

async function crossTrialFinding() {
  const report = await hunt(trialOrders, { trials: 200, timeMs: 10_000, seed: 1, strategies: ['random'], executor: 'inline' });
  const f = report.findings.find((x) => x.kind === 'circular-locking');
  if (f === undefined) throw new Error('the hunt found no circular-locking finding');
  return f;
}

describe('replaying a circular-locking finding recorded across trials', () => {
  it('reproduces under inline and controlled with the chain primed, and not without it', async () => {
    const f = await crossTrialFinding();
    expect(f.trial).toBeGreaterThan(1);
    expect(f.lockdep?.length).toBeGreaterThan(0);
    const base = { params: {}, seed: f.seed, decisions: f.decisions };
    const bare = await reproduce(trialOrders, f.title, { ...base, executor: 'inline' });
    expect(bare.reproduced).toBe(false);
    const inline = await reproduce(trialOrders, f.title, { ...base, executor: 'inline', lockdep: f.lockdep });
    const controlled = await reproduce(trialOrders, f.title, { ...base, executor: 'controlled', lockdep: f.lockdep });
    expect([inline.reproduced, controlled.reproduced]).toEqual([true, true]);
    // the replay counts its trials past the primed chain's
    for (const r of [inline, controlled]) for (const d of f.lockdep ?? []) expect(r.finding?.trial).toBeGreaterThan(d.trial);
    const msg = (r: typeof inline): string | undefined => r.result.findings.find((x) => x.title === f.title)?.message;
    expect(msg(controlled)).toBe(msg(inline));
  }, 30_000);

  it('keeps the chain through a replay file', async () => {
    const f = await crossTrialFinding();
    const path = join(tempDir(), 'f.replay.json');
    const doc = replayFile({ scenario: trialOrders, params: {}, executor: 'inline', strategy: f.strategy, seed: f.seed, finding: f, decisions: f.decisions, lockdep: f.lockdep });
    writeAtomic(path, JSON.stringify(doc));
    const back = readReplayFile(path);
    expect(back.lockdep).toEqual(f.lockdep);
    const rep = await reproduce(trialOrders, f.title, { executor: 'inline', params: {}, seed: back.seed, decisions: replayDecisions(path, back), lockdep: back.lockdep });
    expect(rep.reproduced).toBe(true);
  });

  it('shrinks only with the chain primed', async () => {
    const f = await crossTrialFinding();
    const input = { scenario: trialOrders, params: {}, seed: f.seed, decisions: f.decisions, title: f.title };
    expect(shrink(input).decisions).toBeNull();
    expect(shrink({ ...input, lockdep: f.lockdep }).decisions).not.toBeNull();
  });
});

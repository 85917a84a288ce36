/**
 * Every replay file a default campaign writes over the buggy catalog scenarios reproduces its
 * finding twice under `inline` and twice under `controlled`, with the same title; the campaign
 * summary lists each finding with its replay file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCampaign } from '../../../src/campaign/campaign.js';
import { reproduce } from '../../../src/campaign/reproduce.js';
import { loadReplay } from '../../../src/cli/replay_input.js';
import { CATALOG } from '../../../scenarios/index.js';
import { tempDir } from '../../support/cli.js';

/** The test's limit: ~35 s on a quiet 2-core machine, 70 s and more under a load of 10–15 (a
 *  campaign over every buggy scenario, then four re-runs of each finding). */
const REPLAYS_MS = 300_000;

interface SummaryRow { scenario: string; ok: boolean; findings: { title: string; replayFile: string | null }[] }

describe('campaign replay files', () => {
  it('reproduce every finding twice under inline and twice under controlled', async () => {
    const out = tempDir();
    const buggy = CATALOG.filter((e) => e.scenario.expect !== 'clean').map((e) => ({ scenario: e.scenario }));
    const rows = await runCampaign(buggy, { trials: 1000, timeMs: 10_000, seed: 1, out });
    expect(rows.every((r) => r.report.ok)).toBe(true);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as SummaryRow[];
    const files = summary.flatMap((r) => r.findings.map((f) => ({ title: f.title, file: f.replayFile })));
    expect(files.length).toBeGreaterThanOrEqual(buggy.length);
    const misses: string[] = [];
    for (const { title, file } of files) {
      expect(file).not.toBeNull();
      const r = await loadReplay(file!);
      expect(r.file.finding.title).toBe(title);
      for (const executor of ['inline', 'inline', 'controlled', 'controlled'] as const) {
        const rep = await reproduce(r.scenario, title, { executor, params: r.params, seed: r.file.seed, decisions: r.decisions, lockdep: r.file.lockdep, lockdepUsage: r.file.lockdepUsage });
        if (!rep.reproduced) misses.push(`${r.scenario.name} ${executor}: ${title} → ${rep.result.end} ${rep.result.divergence ?? ''} ${rep.result.findings.map((f) => f.title).join(', ')}`);
      }
    }
    expect(misses).toEqual([]);
  }, REPLAYS_MS);
});

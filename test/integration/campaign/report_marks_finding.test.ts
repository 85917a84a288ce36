/**
 * A finding's report marks in its trace tail where the finding happened: one `>>>>>>` line naming
 * the finding's title, after the last event of its decision step and before the first of a later one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCampaign } from '../../../src/campaign/campaign.js';
import { removeBeforeUnmap } from '../../../scenarios/remove-before-unmap.js';
import { revokeWaitKernel } from '../../../scenarios/revoke-wait-kernel.js';
import { tempDir } from '../../support/cli.js';

interface SummaryRow { findings: { title: string; replayFile: string | null }[] }

const stepOf = (line: string | undefined): number => Number(/ step +(\d+) /.exec(line ?? '')?.[1] ?? NaN);

describe('a finding\'s report', () => {
  it.each([removeBeforeUnmap, revokeWaitKernel].map((s) => [s.name, s] as const))('marks the finding in the trace tail of %s', async (_name, s) => {
    const out = tempDir();
    await runCampaign([{ scenario: s }], { trials: 1000, timeMs: 10_000, seed: 1, out });
    const [row] = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as SummaryRow[];
    const f = row!.findings[0]!;
    const lines = readFileSync(f.replayFile!.replace(/\.replay\.json$/, '.report.txt'), 'utf8').split('\n');
    const marks = lines.flatMap((l, i) => (l.startsWith('>>>>>>') ? [i] : []));
    expect(marks).toHaveLength(1);
    const at = marks[0]!;
    expect(lines[at]).toContain(`finding: ${f.title}`);
    const before = lines[at - 1]!;
    if (before.startsWith('#')) expect(stepOf(before)).toBeLessThanOrEqual(stepOf(lines[at]));
    const after = lines[at + 1];
    if (after?.startsWith('#') === true) expect(stepOf(after)).toBeGreaterThan(stepOf(lines[at]));
  });
});

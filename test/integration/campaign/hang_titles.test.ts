/**
 * A hang is titled after the blocked call, as the hung-task report's stack names it
 * (wait_for_completion, not the wait_event it sleeps in): two distinct hangs in one hunt are two
 * findings, not one collapsed under the primitive's title. A replay file recorded under the
 * former title (titles revision 2: `hang in wait_event`) still reproduces the hang, and only
 * from a file of an earlier revision.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hunt } from '../../../src/campaign/hunt.js';
import { formerTitles, readReplayFile, replayDecisions, replayFile } from '../../../src/campaign/replay_file.js';
import { reproduce } from '../../../src/campaign/reproduce.js';
import { twoHangs } from '../../fixtures/exec/two_hangs.js';
import { tempDir } from '../../support/cli.js';

/** Trials the hunt spends: both hangs come up within the first few under the portfolio. */
const TRIALS = 200;

describe('hang titles', () => {
  it('two distinct hangs in one hunt are two findings, each titled after its blocked call', async () => {
    const r = await hunt(twoHangs, { trials: TRIALS, timeMs: 30_000, seed: 1, executor: 'inline', keepGoing: true });
    expect(r.findings.map((f) => [f.code, f.title]).sort()).toEqual([
      ['hang', 'hang in wait_event'], ['hang', 'hang in wait_for_completion'],
    ]);
  });

  it('a replay file recorded under the former title (wait_event) reproduces the wait_for_completion hang', async () => {
    const r = await hunt(twoHangs, { trials: TRIALS, timeMs: 30_000, seed: 1, executor: 'inline', keepGoing: true });
    const f = r.findings.find((x) => x.title === 'hang in wait_for_completion')!;
    const doc = replayFile({ scenario: twoHangs, params: {}, executor: 'inline', strategy: f.strategy, seed: f.seed,
      finding: { kind: f.kind, title: 'hang in wait_event', code: f.code }, decisions: f.decisions });
    const path = join(tempDir(), 'old.json');
    for (const [titles, reproduced] of [[2, true], [undefined, false]] as const) {
      writeFileSync(path, JSON.stringify({ ...doc, titles }));
      const file = readReplayFile(path);
      for (const executor of ['inline', 'controlled'] as const) {
        const rep = await reproduce(twoHangs, file.finding.title, {
          executor, params: {}, seed: file.seed, decisions: replayDecisions(path, file), code: file.finding.code,
          formerTitles: titles === undefined ? false : formerTitles(file),
        });
        expect([executor, titles, rep.reproduced]).toEqual([executor, titles, reproduced]);
        expect(rep.result.findings.map((x) => x.title)).toEqual(['hang in wait_for_completion']);
      }
    }
  });
});

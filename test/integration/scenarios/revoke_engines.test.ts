// The revoke scenarios take `engines` (DMA engines; importer i drives engine i mod engines, as in
// stress-revoke) and `jobPages` (the pages each GPU job moves; 0, the default: the whole buffer)
// as parameters (scenarios/lib/revoke.ts). Their defaults are today's schedule: one actor named
// `engine`, jobs over the whole buffer. A buggy scenario with two engines and one-page jobs still
// finds its bug within a stated budget; its fixed twin stays clean; the engines all run jobs. A
// value out of range or against a rule is refused in one line naming the param (exit 2), also
// one actor more than a scenario may run (MAX_SCENARIO_ACTORS).
import { describe, expect, it } from 'vitest';
import { hunt } from '../../../src/campaign/hunt.js';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { MAX_SCENARIO_ACTORS, resolveParams, scenarioActors } from '../../../src/exec/scenario.js';
import { opOf } from '../../../src/shm/layout.js';
import { OP_DMA } from '../../../src/trace/ops.js';
import { legacyImporterRevoke } from '../../../scenarios/legacy-importer-revoke.js';
import { revokeNoWait } from '../../../scenarios/revoke-no-wait.js';
import { revokeWaitBookkeep } from '../../../scenarios/revoke-wait-bookkeep.js';
import { cliInProcess } from '../../support/cli.js';
import { expectRefusal } from '../../support/refusal.js';
import { withExecutorSync } from '../../support/executor.js';

/** Trials a hunt may spend on the buggy scenario (it takes about a dozen at seed 1). */
const BUDGET = 200;
const TWO = { engines: 2, jobPages: 1 };

describe('revoke scenarios with more DMA engines and smaller jobs', () => {
  it('keep today\'s actors by default: the exporter, the importers, one engine', () => {
    const names = scenarioActors(revokeNoWait, resolveParams(revokeNoWait)).map((a) => a.name);
    expect(names).toEqual(['vfio', 'gpu0', 'gpu1', 'engine']);
    expect(scenarioActors(revokeNoWait, resolveParams(revokeNoWait, TWO)).map((a) => a.name)).toEqual(['vfio', 'gpu0', 'gpu1', 'engine0', 'engine1']);
  });

  it(`find revoke-no-wait's use-after-revoke with engines=2, jobPages=1 within ${BUDGET} trials`, async () => {
    const r = await hunt(revokeNoWait, { trials: BUDGET, timeMs: 60_000, seed: 1, executor: 'inline', params: TWO });
    expect([r.ok, r.firstExpected !== null && r.firstExpected <= BUDGET]).toEqual([true, true]);
    expect(r.findings.map((f) => f.kind)).toContain('use-after-revoke');
  });

  it('stay clean for the fixed twin (revoke-wait-bookkeep) with engines=2, jobPages=1, and with engines=2', async () => {
    for (const params of [TWO, { engines: 2 }]) {
      const r = await hunt(revokeWaitBookkeep, { trials: 300, timeMs: 60_000, seed: 1, executor: 'inline', params });
      expect([r.trials, r.findings.map((f) => f.title)]).toEqual([300, []]);
    }
  });

  it('run DMA on every engine: each engine actor makes DMA points over its one page', () => {
    withExecutorSync(new InlineExecutor(revokeWaitBookkeep, { params: { ...TWO, delay: 1000 }, decisions: true }), (ex) => {
      const r = ex.runTrial(0);
      const dma = (actor: number): number => r.decisions!.filter((d) => d.actor === actor && opOf(d.op) === OP_DMA).length;
      expect([r.end, dma(3), dma(4)]).toEqual(['done', 1, 1]);
    });
  });

  it.each([
    ['engines=0', 'expected an integer 1..8, got 0'],
    ['engines=9', 'expected an integer 1..8, got 9'],
    ['engines=3', 'expected engines ≤ importers'],
    ['jobPages=3', 'expected jobPages ≤ pages'],
    ['jobPages=-1', 'got -1'],
  ])('refuse --param %s in one line naming it (exit 2)', async (param, says) => {
    expectRefusal(await cliInProcess('hunt', 'revoke-no-wait', '--param', param, '--trials', '1', '--no-artifacts'), 'ERR_BAD_OPTION', [`--param ${param}`, says]);
  });

  it('bound the exporter, importers and engines at a scenario\'s actor limit, refusing one more in one line naming the params', async () => {
    const fits = { importers: MAX_SCENARIO_ACTORS - 3, engines: 2, pages: 1, jobs: 1 };
    expect(scenarioActors(legacyImporterRevoke, resolveParams(legacyImporterRevoke, fits))).toHaveLength(MAX_SCENARIO_ACTORS);
    const over = ['--param', `importers=${MAX_SCENARIO_ACTORS - 2}`, '--param', 'engines=2', '--param', 'pages=1', '--param', 'jobs=1'];
    expectRefusal(await cliInProcess('hunt', 'legacy-importer-revoke', ...over, '--trials', '1', '--no-artifacts'), 'ERR_BAD_OPTION',
      ['--param engines=2', `1 + importers + engines ≤ ${MAX_SCENARIO_ACTORS}`, `importers=${MAX_SCENARIO_ACTORS - 2}`]);
  });

  it('refuse jobPages on importers whose jobs cover the whole buffer, engines on iommufd importers', async () => {
    expectRefusal(await cliInProcess('hunt', 'legacy-importer-revoke', '--param', 'jobPages=1', '--trials', '1', '--no-artifacts'), 'ERR_BAD_OPTION',
      ['--param jobPages=1', 'jobPages applies to gpu importers only']);
    expectRefusal(await cliInProcess('hunt', 'iommufd-unwind', '--param', 'engines=2', '--trials', '1', '--no-artifacts'), 'ERR_BAD_OPTION',
      ['--param engines=2', 'engines applies to importers that submit to an engine']);
  });
});

/**
 * A campaign: hunt a list of scenarios one after another with one budget each, write each new
 * finding's artifacts as it is found (so an interrupted campaign keeps them), and summarise.
 * A `stress` finding is re-run under `controlled` following its recorded yield order, and its
 * report says whether that reproduced it.
 */
import { HarnessError } from '../errno/errors.js';
import type { AnyScenario, Params } from '../exec/scenario.js';
import { resolveParams } from '../exec/scenario.js';
import { brokenRule } from '../exec/param_rules.js';
import { ArtifactWriter, type FindingArtifacts } from './artifact_writer.js';
import { hunt, type HuntFinding, type HuntOptions, type HuntReport } from './hunt.js';
import type { Tinypool } from 'tinypool';
import { huntJobs, jobsPool } from './jobs.js';
import { reproduce, type Reproduction } from './reproduce.js';

export interface CampaignEntry {
  readonly scenario: AnyScenario;
  /** The user file it came from; absent for the built-in catalog. */
  readonly source?: string | undefined;
  /** The scenario's portfolio when a probe trial already chose it (portfolioFor with the
   *  campaign's parameters and trial timeout): the hunt then runs no probe of its own. */
  readonly portfolio?: readonly string[] | undefined;
}

export interface CampaignOptions extends Omit<HuntOptions, 'onFinding' | 'onProgress'> {
  /** Artifact directory (already checked writable), or undefined for none. */
  readonly out?: string | undefined;
  /** Worker threads for inline trial batches (1: in this thread). */
  readonly jobs?: number;
  readonly onScenario?: (name: string, index: number) => void;
  readonly onProgress?: (trials: number) => void;
}

export interface CampaignRow {
  readonly report: HuntReport;
  /** Per finding title: its artifact paths, when written. */
  readonly artifacts: ReadonlyMap<string, FindingArtifacts>;
  /** Per stress finding title: whether controlled reproduced it. */
  readonly reproduced: ReadonlyMap<string, boolean>;
}

/**
 * Hunt every entry in order; stops early (rows so far) when `o.signal` aborts. A scenario refused
 * part way (ERR_SCENARIO: bad input, e.g. its code reaches a module it does not list) throws
 * after the artifacts written so far are removed again.
 */
export async function runCampaign(entries: readonly CampaignEntry[], o: CampaignOptions): Promise<CampaignRow[]> {
  const writer = o.out === undefined ? undefined : new ArtifactWriter(o.out);
  const jobs = (o.executor ?? 'inline') === 'inline' ? o.jobs ?? 1 : 1;
  const pool = jobs > 1 ? jobsPool(jobs) : undefined;
  const rows: CampaignRow[] = [];
  try {
    for (const [index, e] of entries.entries()) {
      if (o.signal?.aborted === true) break;
      rows.push(await huntEntry(e, index, o, writer, pool, jobs));
    }
  } catch (err) {
    if (err instanceof HarnessError && err.code === 'ERR_SCENARIO') await writer?.discard();
    throw err;
  } finally {
    await pool?.destroy();
  }
  if (writer !== undefined) await writer.writeSummary(campaignJson(rows));
  return rows;
}

/** Hunt one entry, writing its findings' artifacts as they come. */
async function huntEntry(e: CampaignEntry, index: number, o: CampaignOptions, writer: ArtifactWriter | undefined,
  pool: Tinypool | undefined, jobs: number): Promise<CampaignRow> {
  o.onScenario?.(e.scenario.name, index);
  const artifacts = new Map<string, FindingArtifacts>();
  const reproduced = new Map<string, boolean>();
  const params = resolveParams(e.scenario, o.params);
  const onFinding = async (f: HuntFinding): Promise<void> => {
    // The re-run feeds the artifacts and, for a stress finding, the report's "reproduced" column:
    // without either it would only cost a trial (a whole trial timeout, for a hang).
    if (writer === undefined && f.executor !== 'stress') return;
    const { rerun, stress } = await rerunFinding(e.scenario, params, o, f);
    if (stress !== undefined) reproduced.set(f.title, stress);
    if (writer === undefined) return;
    artifacts.set(f.title, await writer.writeFinding({
      scenario: e.scenario, source: e.source, params, finding: f, ...(rerun === undefined ? {} : { rerun }),
      ...(stress === undefined ? {} : { stressReproduced: stress }),
    }));
  };
  const ho: HuntOptions = { ...o, onFinding, ...(o.onProgress === undefined ? {} : { onProgress: o.onProgress }), strategies: o.strategies ?? e.portfolio };
  const report = pool !== undefined ? await huntJobs(e.scenario, ho, pool, jobs) : await hunt(e.scenario, ho);
  return { report, artifacts, reproduced };
}

/**
 * Re-run a finding with its trace, with the entry's resolved `params`; a stress finding follows its
 * yield order under controlled — unless its parameters break the scenario's scheduledRules (a
 * free-running scenario the controlled executor refuses to run with them): no re-run then, and
 * the finding counts as not reproduced.
 */
async function rerunFinding(s: AnyScenario, params: Params, o: CampaignOptions, f: HuntFinding): Promise<{ rerun?: Reproduction; stress?: boolean }> {
  const same = {
    params, seed: f.seed, decisions: f.decisions, events: true, lockdep: f.lockdep, lockdepUsage: f.lockdepUsage, code: f.code,
    trialTimeoutMs: o.trialTimeoutMs,
  };
  if (f.executor === 'stress') {
    if (brokenRule(s.scheduledRules, params) !== undefined) return { stress: false };
    const rerun = await reproduce(s, f.title, { ...same, executor: 'controlled', follow: 'guided' });
    return { rerun, stress: rerun.reproduced };
  }
  return { rerun: await reproduce(s, f.title, { ...same, executor: 'inline' }) };
}

/** The `--json` document (DESIGN §7): one object per scenario run. */
export function campaignJson(rows: readonly CampaignRow[]): object[] {
  return rows.map(({ report: r, artifacts, reproduced }) => ({
    scenario: r.scenario, expect: r.expect, trials: r.trials, seconds: Number(r.seconds.toFixed(3)), ok: r.ok,
    firstExpected: r.firstExpected, interrupted: r.interrupted, dropped: r.dropped,
    findings: r.findings.map((f) => ({
      kind: f.kind, title: f.title, code: f.code, trial: f.trial, seed: f.seed, strategy: f.strategy, executor: f.executor,
      replayFile: artifacts.get(f.title)?.replayFile ?? null,
      ...(reproduced.has(f.title) ? { reproducedInControlled: reproduced.get(f.title) } : {}),
      ...(f.stressPlan === undefined ? {} : { stressPlan: f.stressPlan }),
      ...(f.stressStalls === undefined ? {} : { stressStalls: f.stressStalls }),
    })),
  }));
}

/**
 * Resolving the scenarios named on the command line: a built-in catalog id, or a user scenario
 * file (TypeScript through tsx, or JavaScript) exporting scenarios made with defineScenario, which
 * a probe trial checks before a run. Anything else is one HarnessError line naming the argument
 * and what was expected.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HarnessError } from '../errno/errors.js';
import { importModule, isScenario, moduleFile } from '../exec/load_scenario.js';
import type { Params } from '../exec/scenario.js';
import type { CampaignEntry } from '../campaign/campaign.js';
import { portfolioFor } from '../campaign/portfolio.js';
import { CATALOG, catalogScenarioNamed } from '../../scenarios/index.js';

/** Does `arg` name a file rather than a catalog id? */
export function isPath(arg: string): boolean {
  return arg.includes('/') || /\.[cm]?[jt]s$/.test(arg);
}

/** The scenarios of `args` in order (all of the catalog when empty). */
export async function resolveScenarios(args: readonly string[]): Promise<CampaignEntry[]> {
  if (args.length === 0) return CATALOG.map((e) => ({ scenario: e.scenario }));
  const out: CampaignEntry[] = [];
  for (const arg of args) {
    if (isPath(arg)) out.push(...(await loadScenarioFile(arg)));
    else out.push({ scenario: catalogScenario(arg) });
  }
  return out;
}

/** The built-in scenario `id`. */
export function catalogScenario(id: string): CampaignEntry['scenario'] {
  const s = catalogScenarioNamed(id);
  if (s === undefined) throw new HarnessError('ERR_SCENARIO', `unknown scenario ${JSON.stringify(id)}: expected a catalog id (see 'dmabuf-harness list') or a scenario file path`);
  return s;
}

/** Every scenario exported by the file at `path`. */
export async function loadScenarioFile(path: string): Promise<CampaignEntry[]> {
  const abs = resolve(path);
  if (!existsSync(abs)) throw new HarnessError('ERR_SCENARIO', `${path}: no such scenario file`);
  let mod: Record<string, unknown>;
  try {
    mod = await importModule(pathToFileURL(abs).href);
  } catch (err) {
    const msg = err instanceof HarnessError ? err.message : firstLine(err);
    throw new HarnessError('ERR_SCENARIO', `${path}: cannot load: ${msg}`);
  }
  const found = Object.values(mod).filter(isScenario);
  if (found.length === 0) throw new HarnessError('ERR_SCENARIO', `${path}: exports no scenario: expected an export made with defineScenario({...})`);
  const url = pathToFileURL(abs).href;
  for (const s of found) {
    if (moduleFile(s.module) !== url) throw new HarnessError('ERR_SCENARIO', `${path}: scenario ${s.name}: module: expected import.meta.url of this file`);
  }
  return found.map((scenario) => ({ scenario, source: abs }));
}

/**
 * Probe every scenario that came from a user file before anything is written: its portfolio's
 * probe trial (portfolioFor: one inline trial with parameters `params` under the watchdog's
 * `trialTimeoutMs`) also refuses a scenario whose code reaches a driver module its `modules` does
 * not list (ERR_SCENARIO naming the file and `modules`; a module reached only on some schedules is
 * refused when a trial reaches it). Returns the entries, each probed one carrying its portfolio,
 * so the hunt runs no second probe (a scenario that spins pays the timeout once, not twice).
 */
export function probeScenarios(entries: readonly CampaignEntry[], params: Params, trialTimeoutMs?: number): CampaignEntry[] {
  return entries.map((e) => e.source === undefined ? e : { ...e, portfolio: portfolioFor(e.scenario, params, trialTimeoutMs) });
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.split('\n').find((l) => l.trim() !== '')?.trim() ?? 'error';
}

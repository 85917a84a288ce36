/**
 * Loading a scenario's driver modules before its trials, with the kernel's rules (namespace
 * imports, GPL-only visibility, module namespaces). A module that fails to load is a `module-load`
 * finding carrying the kernel's log lines, and the scenario's actors do not run. The loaded
 * modules' symbol tables go to every task of the executor (`Task.symtabs`); actor threads re-link
 * them from the resolved names (kernel/module/link.ts `relinkModules`). A scenario whose tasks run
 * code of a module it does not list is refused as bad input (`refusalOf`), never a finding.
 */
import { fileURLToPath } from 'node:url';
import { HarnessError } from '../errno/errors.js';
import { isModuleNotLoaded } from '../kernel/module/this_module.js';
import { moduleFile } from './load_scenario.js';
import type { Params, Scenario } from './scenario.js';
import { load_module, type LoadedModule } from '../kernel/module/load.js';
import { kernelSymbolsFor } from '../kernel/module/dmabuf_exports.js';
import type { ModuleDef } from '../kernel/module/define.js';
import { linkModules, resolvedNames, type Symtabs } from '../kernel/module/link.js';
import type { Geometry } from '../shm/layout.js';
import type { Finding, TrialResult } from './result.js';

export interface ModuleLoadOutcome {
  readonly ok: boolean;
  readonly findings: readonly Finding[];
  /** Every kernel log line of the loads (warnings included). */
  readonly log: readonly string[];
  /** The loaded modules' tables by slot, for `Task.symtabs` (all undefined unless `ok`). */
  readonly symtabs: Symtabs;
  /** Per module in load order, the symbol names it resolved: what actor threads re-link from. */
  readonly resolved: readonly (readonly string[])[];
}

/**
 * The modules scenario `s` loads, checked against the arena's module table (geometry.modules:
 * one record each, shm/layout modules.ts): more is refused before any trial, ERR_SCENARIO naming
 * the scenario's file and the field `modules`.
 */
export function scenarioModules(s: ScenarioId & Pick<Scenario, 'modules'>, g: Geometry): readonly ModuleDef[] {
  const mods = s.modules ?? [];
  if (mods.length > g.modules) {
    throw new HarnessError('ERR_SCENARIO', `${scenarioFile(s)}: scenario ${s.name}: modules: expected at most ${g.modules} modules (the arena's module table, geometry.modules), got ${mods.length}`);
  }
  return mods;
}

/** The kernel a scenario's params select. */
export function kernelOf(p: Params): 'v3' | 'final' {
  return p.kernel === 'v3' ? 'v3' : 'final';
}

/** Load `mods` in order into a fresh table of the trial's kernel (params.kernel: 'v3' |
 *  'final'). */
export function loadModules(mods: readonly ModuleDef[], p: Params, allowMissingNamespaceImports: boolean): ModuleLoadOutcome {
  const table = kernelSymbolsFor(kernelOf(p));
  const log: string[] = [];
  const findings: Finding[] = [];
  const loaded: LoadedModule[] = [];
  for (const mod of mods) {
    const r = load_module(mod, table, { allowMissingNamespaceImports });
    log.push(...r.log);
    if (r.symbols !== undefined) loaded.push(r.symbols);
    if (r.ret !== 0) {
      findings.push({
        kind: 'module-load', title: 'module-load in load_module', code: 'MODULE_LOAD', actor: -1, step: 0, obj: r.ret,
        message: [`${mod.name}: load failed (${r.ret})`, ...r.log].join('\n'),
      });
    }
  }
  const ok = findings.length === 0;
  return { ok, findings, log, symtabs: ok ? linkModules(loaded) : [], resolved: resolvedNames(loaded) };
}

/** The result of a trial whose modules did not load: nothing ran. */
export function moduleFailureResult(seed: number, outcome: ModuleLoadOutcome): TrialResult {
  return { seed, end: 'done', steps: 0, findings: outcome.findings, user: [] };
}

/** What names a scenario in a refusal. */
type ScenarioId = Pick<Scenario, 'module' | 'name'>;

/** A task ran code of `module`, which the scenario's `modules` does not list (sent by actor
 *  threads). */
export interface Unlisted { readonly module: string; readonly task: string }

/**
 * The refusal of scenario `s` whose task `u.task` ran code of module `u.module`: one line naming
 * the scenario's file, the field `modules` and the module it should list (ERR_SCENARIO).
 */
export function unlistedRefusal(s: ScenarioId, u: Unlisted): HarnessError {
  return new HarnessError('ERR_SCENARIO', `${scenarioFile(s)}: scenario ${s.name}: modules: expected ${u.module} listed (${u.task} runs its code)`);
}

/** The file that defines scenario `s` (its module URL where that is not a file URL). */
export function scenarioFile(s: ScenarioId): string {
  const url = moduleFile(s.module);
  return url.startsWith('file:') ? fileURLToPath(url) : url;
}

/** `err` as what an executor throws for scenario `s`: a ModuleNotLoaded becomes its refusal. */
export function refusalOf(s: ScenarioId, err: unknown): unknown {
  return isModuleNotLoaded(err) ? unlistedRefusal(s, err) : err;
}

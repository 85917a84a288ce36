/**
 * Loading a scenario's driver modules before its trials, with the kernel's rules (namespace
 * imports, GPL-only visibility, module namespaces). A module that fails to load is a `module-load`
 * finding carrying the kernel's log lines, and the scenario's actors do not run.
 */
import type { Params } from './scenario.js';
import { load_module } from '../kernel/module/load.js';
import { kernelSymbolsFor } from '../kernel/module/dmabuf_exports.js';
import type { ModuleDef } from '../kernel/module/define.js';
import type { Finding, TrialResult } from './result.js';

export interface ModuleLoadOutcome {
  readonly ok: boolean;
  readonly findings: readonly Finding[];
  /** Every kernel log line of the loads (warnings included). */
  readonly log: readonly string[];
}

/** Load `mods` in order into a fresh table of the trial's kernel (params.kernel: 'v3' | 'final'). */
export function loadModules(mods: readonly ModuleDef[], p: Params, allowMissingNamespaceImports: boolean): ModuleLoadOutcome {
  const table = kernelSymbolsFor(p.kernel === 'v3' ? 'v3' : 'final');
  const log: string[] = [];
  const findings: Finding[] = [];
  for (const mod of mods) {
    const r = load_module(mod, table, { allowMissingNamespaceImports });
    log.push(...r.log);
    if (r.ret !== 0) {
      findings.push({
        kind: 'module-load', title: 'module-load in load_module', code: 'MODULE_LOAD', actor: -1, step: 0, obj: r.ret,
        message: [`${mod.name}: load failed (${r.ret})`, ...r.log].join('\n'),
      });
    }
  }
  return { ok: findings.length === 0, findings, log };
}

/** The result of a trial whose modules did not load: nothing ran. */
export function moduleFailureResult(seed: number, outcome: ModuleLoadOutcome): TrialResult {
  return { seed, end: 'done', steps: 0, findings: outcome.findings, user: [] };
}

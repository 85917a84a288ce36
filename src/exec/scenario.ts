/**
 * Scenario definitions: the library API a catalog entry or a user file is written with.
 *
 * A scenario names its actors (generator functions over the kernel API), a `setup` that builds
 * the shared objects once per trial (its result, the environment, must be structured-cloneable:
 * worker threads receive a copy), and what a correct hunter must report. The module that defines
 * it passes its own `import.meta.url` so actor threads can load the same code.
 */
import { HarnessError, type ErrorCode } from '../errno/errors.js';
import { DEFAULT_GEOMETRY, MAX_ACTORS, type Geometry } from '../shm/layout.js';
import type { FenceCallbackFn, Task } from '../kernel/task.js';
import type { KGen } from '../kernel/types.js';
import { FINDING_KINDS, type FindingKind } from '../kernel/warn.js';
import type { ModuleDef } from '../kernel/module/define.js';
import { checkHarnessParams, checkRangeDecl, inRange, paramRange, rangeText, type ParamRange, type ParamRanges } from './param_ranges.js';
import { blamedParam, brokenRule, checkRuleDecl, ruleExpected, ruleGot, type ParamRules } from './param_rules.js';

export type Params = Readonly<Record<string, number | string | boolean>>;

export interface ActorDef<E> {
  readonly name: string;
  readonly run: (t: Task, env: E) => KGen<unknown>;
}

export interface ScenarioDef<P extends Params = Params, E = unknown> {
  readonly name: string;
  readonly description?: string;
  /** Bumped whenever a change to the scenario makes recorded schedules meaningless; replay files
   *  from another revision are refused (default 1). */
  readonly revision?: number;
  /** `import.meta.url` of the module that exports this scenario. */
  readonly module: string;
  /** Parameter defaults; a run may override any of them. A `kernel: 'v3' | 'final'` parameter
   *  selects the dma-buf semantics of the v3 posting or of the merged series (default final);
   *  `resvSeqnoCheck: false` restores dma_resv_add_fence before a3f7c10a269d (S10),
   *  `resvLaterOrSame: false` before 95ba893c9f4f (S11 (a)), and `resvWaitZeroNoSleep: false`
   *  dma_resv_wait_timeout before 2b95a7db6e0f (S12); `pollFileRef: false` dma_buf_poll before
   *  ff2d23843f7f and `pollArmedKeepsRef: false` with the rejected 2025 fence-put patch (S14). */
  readonly params: P;
  /** What each parameter may be set to (param_ranges.ts): `{ min, max }` for an integer,
   *  `{ oneOf }` for a string. A value outside its range is refused before any trial runs.
   *  `kernel` and `pageBytes` have a range without one (param_ranges.ts defaultRange). */
  readonly paramRanges?: ParamRanges<P>;
  /** What values of several parameters may be combined (param_rules.ts): each rule names the
   *  parameters it involves, a predicate and what it expects. Checked after the ranges; a
   *  combination a rule refuses is refused before any trial runs. The defaults satisfy every
   *  rule. */
  readonly paramRules?: ParamRules<P>;
  /** What makes a trial end under the executors that schedule every step (inline, controlled),
   *  where nothing asks actors to stop (Task.stopRequested: only the stress executor does): rules
   *  as paramRules, which the defaults need not satisfy (a free-running scenario's defaults loop
   *  until stopped). Those executors refuse parameters that break one (ERR_BAD_OPTION, as
   *  paramRules) instead of running every trial to the step limit. */
  readonly scheduledRules?: ParamRules<P>;
  readonly geometry?: Partial<Geometry>;
  /** Fence callback table: dma_fence_add_callback takes an index into it. */
  readonly callbacks?: readonly FenceCallbackFn[];
  /** Build the trial's shared objects; runs as the setup task before any actor. */
  readonly setup: (t: Task, p: P) => E;
  readonly actors: (p: P) => readonly ActorDef<E>[];
  /** `clean`, or the kind a correct hunter must report. */
  readonly expect: 'clean' | FindingKind;
  /** Driver modules loaded (in order) before the trials; a failed load is a module-load finding. */
  readonly modules?: readonly ModuleDef[];
  /** CONFIG_MODULE_ALLOW_MISSING_NAMESPACE_IMPORTS=y: a missing namespace import only warns. */
  readonly allowMissingNamespaceImports?: boolean;
}

export type Scenario<P extends Params = Params, E = unknown> = ScenarioDef<P, E>;

/** A scenario of any parameter and environment types (catalogs, CLI, campaign code). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyScenario = Scenario<any, any>;

/** Validate and freeze a scenario definition; throws HarnessError(ERR_SCENARIO) naming the
 *  field. */
export function defineScenario<P extends Params, E>(def: ScenarioDef<P, E>): Scenario<P, E> {
  const bad = (field: string, expected: string): never => {
    throw new HarnessError('ERR_SCENARIO', `scenario ${String(def?.name ?? '?')}: ${field}: expected ${expected}`);
  };
  if (typeof def.name !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(def.name)) bad('name', 'a lower-case id like revoke-wait-kernel');
  if (typeof def.module !== 'string' || !def.module.startsWith('file:')) bad('module', 'import.meta.url of the defining module');
  if (typeof def.setup !== 'function') bad('setup', 'a function (t, params) => env');
  if (typeof def.actors !== 'function') bad('actors', 'a function (params) => actor list');
  if (typeof def.params !== 'object' || def.params === null) bad('params', 'an object of defaults');
  if (def.paramRanges !== undefined) checkRangeDecl(def.name, def.params, def.paramRanges);
  checkHarnessParams(def.name, def.params, def.paramRanges, def.geometry?.pages ?? DEFAULT_GEOMETRY.pages, MAX_ACTORS);
  if (def.paramRules !== undefined) checkRuleDecl(def.name, def.params, def.paramRules);
  if (def.scheduledRules !== undefined) checkRuleDecl(def.name, def.params, def.scheduledRules, 'scheduledRules');
  if (def.revision !== undefined && !(Number.isInteger(def.revision) && def.revision >= 1)) bad('revision', 'a positive integer');
  if (def.expect !== 'clean' && !(FINDING_KINDS as readonly string[]).includes(def.expect)) {
    bad('expect', `clean or a finding kind (${FINDING_KINDS.join(', ')}), got ${JSON.stringify(def.expect)}`);
  }
  return Object.freeze({ ...def });
}

/** The most actors a scenario may run: the arena's MAX_ACTORS less the setup actor every executor
 *  adds after them (its arena has actors + 1 records). A scenario whose actor count grows with a
 *  parameter bounds it at this (a param rule), so a refusal names the parameter. */
export const MAX_SCENARIO_ACTORS = MAX_ACTORS - 1;

/** The actor list for `params`, checked: 1..MAX_SCENARIO_ACTORS actors with names and run
 *  functions. */
export function scenarioActors<P extends Params, E>(s: Scenario<P, E>, p: P): readonly ActorDef<E>[] {
  const list = s.actors(p);
  if (!Array.isArray(list) || list.length < 1 || list.length > MAX_SCENARIO_ACTORS) {
    throw new HarnessError('ERR_SCENARIO', `scenario ${s.name}: actors: expected 1..${MAX_SCENARIO_ACTORS} actors, got ${Array.isArray(list) ? list.length : typeof list}`);
  }
  return list;
}

/** Where parameter values came from, so a refusal names the option or the field that set one. */
export interface ParamOrigin {
  /** The refusal's code (default ERR_BAD_OPTION). */
  readonly code?: ErrorCode;
  /** What set `key` to `value` for scenario `scenario`, as the refusal's prefix. */
  readonly where: (scenario: string, key: string, value: unknown) => string;
  /** How a number is written in this input, when numbers arrive as text (the command line). */
  readonly numberForm?: string;
}

/** Values passed through the library API. */
export const PARAM_VALUES: ParamOrigin = { where: (s, k) => `scenario ${s}: param ${k}` };

/**
 * Defaults overridden by `over`. Refused (HarnessError, `origin.code`, one line naming what
 * `origin` says set the value): an unknown key, a value of another type than the default, a value
 * outside the parameter's declared range; then values the scenario's paramRules refuse together
 * (naming the first of the rule's parameters `over` sets: `expected RULE, got a=1, b=2`), and
 * with `scheduled` (for inline and controlled) those its scheduledRules refuse.
 */
export function resolveParams<P extends Params, E>(s: Scenario<P, E>, over: Params = {}, origin: ParamOrigin = PARAM_VALUES, scheduled = false): P {
  const refuse = (k: string, v: unknown, expected: string): never => {
    throw new HarnessError(origin.code ?? 'ERR_BAD_OPTION', `${origin.where(s.name, k, v)}: expected ${expected}`);
  };
  for (const [k, v] of Object.entries(over)) {
    if (!Object.hasOwn(s.params, k)) refuse(k, v, `one of ${Object.keys(s.params).join(', ') || '(none)'}`);
    const range = paramRange(s.paramRanges, s.params, k);
    if (typeof v !== typeof s.params[k]) refuse(k, v, `${typeText(s.params[k]!, range, origin)}, got ${typeof v} ${JSON.stringify(v)}`);
    if (range !== undefined && !inRange(range, v)) refuse(k, v, `${rangeText(range)}, got ${JSON.stringify(v)}`);
  }
  const p = { ...s.params, ...over } as P;
  const rule = brokenRule(s.paramRules, p) ?? (scheduled ? brokenRule(s.scheduledRules, p) : undefined);
  if (rule !== undefined) {
    const k = blamedParam(rule, over);
    refuse(k, p[k], `${ruleExpected(rule, p)}, got ${ruleGot(rule, p)}`);
  }
  return p;
}

/** What a parameter whose default is `def` takes, in words. */
function typeText(def: number | string | boolean, range: ParamRange | undefined, origin: ParamOrigin): string {
  if (typeof def === 'boolean') return 'true or false';
  if (typeof def === 'string') return range === undefined ? 'a string' : rangeText(range);
  const what = range === undefined ? 'a number' : rangeText(range);
  return origin.numberForm === undefined ? what : `${what} ${origin.numberForm}`;
}

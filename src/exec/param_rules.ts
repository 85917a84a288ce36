/**
 * Parameter rules: what values of several scenario parameters a run may combine (gpu importers ×
 * jobs within the arena's DMA job rows, stress engines at most importers, …), declared next to the
 * ranges (ScenarioDef.paramRules) and checked with them, so every run — catalog or user file,
 * `hunt`, `replay`, `shrink`, `stress` — refuses a combination the model cannot run before
 * anything runs or is written, naming what set one of its parameters.
 *
 * A rule lists the parameters it involves (the first is the one a refusal names, unless the run
 * set only others), a predicate over the resolved parameters, and what it expects, in words.
 */
import { HarnessError } from '../errno/errors.js';

export interface ParamRule<P> {
  /** What the rule guards, a short kebab-case name unique among its scenario's rules
   *  (`private-words`): how code and tests find a rule by identity rather than by its place in
   *  the list or its parameters (two rules may read the same ones). Optional; never in a
   *  refusal. */
  readonly name?: string;
  /** The parameters the rule involves, at least one; a refusal names the first of them the run
   *  set, or the first of them when the run set none (a replay file sets them all). */
  readonly params: readonly (keyof P & string)[];
  /** Whether `p` (every value already in its range) satisfies the rule. */
  readonly holds: (p: P) => boolean;
  /** What the rule expects, in words over the parameter names: `importers × jobs ≤ 32 (…)`. */
  readonly expected: string | ((p: P) => string);
}

/** The rules of a scenario with parameters `P`. */
export type ParamRules<P> = readonly ParamRule<P>[];

/** The rule's expectation for `p`, in words. */
export function ruleExpected<P>(rule: ParamRule<P>, p: P): string {
  return typeof rule.expected === 'string' ? rule.expected : rule.expected(p);
}

/** What `p` gives the rule's parameters: `importers=8, jobs=5`. */
export function ruleGot<P>(rule: ParamRule<P>, p: P): string {
  return rule.params.map((k) => `${k}=${String(p[k])}`).join(', ');
}

/** The first rule `p` breaks, or undefined. */
export function brokenRule<P>(rules: ParamRules<P> | undefined, p: P): ParamRule<P> | undefined {
  return rules?.find((r) => !r.holds(p));
}

/** The parameter a refusal of `rule` names: the first of its parameters `set` holds, else its
 *  first. */
export function blamedParam<P>(rule: ParamRule<P>, set: Readonly<Record<string, unknown>>): keyof P & string {
  return rule.params.find((k) => Object.hasOwn(set, k)) ?? rule.params[0]!;
}

/** A rule's optional `name`: a kebab-case id (`private-words`) not in `seen`, which it joins. */
function checkRuleName(name: unknown, seen: Set<string>, bad: (expected: string) => never): void {
  if (name === undefined) return;
  if (typeof name !== 'string' || !RULE_NAME.test(name)) bad(`a kebab-case rule name like private-words, got ${JSON.stringify(name)}`);
  if (seen.has(name as string)) bad(`a name no other rule has, got ${JSON.stringify(name)} again`);
  seen.add(name as string);
}

/** The ScenarioDef fields that declare rules. */
type RulesField = 'paramRules' | 'scheduledRules';

/** What a rule's name looks like: lower-case words joined by hyphens. */
const RULE_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Check a scenario's rule declaration `field` (paramRules, or scheduledRules) against its
 * `params` defaults: a list of rules, each with a non-empty `params` list of parameter names, a
 * `holds` function and an `expected` string or function, and — when it has one — a kebab-case
 * `name` no other rule of the list has; the defaults satisfy every paramRules rule (not every
 * scheduledRules rule: a free-running scenario's defaults break them). Throws
 * HarnessError(ERR_SCENARIO) `scenario NAME: FIELD[I]…: expected …`.
 */
export function checkRuleDecl(name: string, params: Readonly<Record<string, unknown>>, rules: unknown, field: RulesField = 'paramRules'): void {
  const bad = (at: string, expected: string): never => {
    throw new HarnessError('ERR_SCENARIO', `scenario ${name}: ${field}${at}: expected ${expected}`);
  };
  if (!Array.isArray(rules)) bad('', 'a list of parameter rules');
  const names = new Set<string>();
  (rules as unknown[]).forEach((rule, i) => {
    const r = rule as Partial<ParamRule<Record<string, unknown>>> | null;
    if (typeof r !== 'object' || r === null) bad(`[${i}]`, '{ params, holds, expected }');
    const keys = r!.params as unknown;
    if (!Array.isArray(keys) || keys.length === 0) bad(`[${i}].params`, 'a non-empty list of parameter names');
    for (const k of keys as unknown[]) {
      if (typeof k !== 'string' || !Object.hasOwn(params, k)) bad(`[${i}].params`, `parameters of params (${Object.keys(params).join(', ') || 'none'}), got ${JSON.stringify(k)}`);
    }
    if (typeof r!.holds !== 'function') bad(`[${i}].holds`, 'a function (params) => boolean');
    if (typeof r!.expected !== 'string' && typeof r!.expected !== 'function') bad(`[${i}].expected`, 'a string or a function (params) => string');
    checkRuleName(r!.name, names, (expected) => bad(`[${i}].name`, expected));
    const rl = r as ParamRule<Record<string, unknown>>;
    if (field === 'paramRules' && rl.holds(params) !== true) bad(`[${i}]`, `a rule the defaults satisfy (${ruleExpected(rl, params)}), got ${ruleGot(rl, params)}`);
  });
}

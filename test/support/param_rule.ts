/**
 * Finding a scenario's parameter rule by what it is — its name, or the parameters it reads — rather
 * than by its place in the scenario's list, which moves when a rule is added before it.
 */
import { expect } from 'vitest';
import type { ParamRule } from '../../src/exec/param_rules.js';
import type { AnyScenario, Params } from '../../src/exec/scenario.js';

/** The one rule of `s` over exactly `params` (in order); the test fails when none or several are. */
export function ruleOver(s: AnyScenario, params: readonly string[]): ParamRule<Params> {
  const rules = (s.paramRules ?? []).filter((r) => r.params.join() === params.join());
  expect(rules.map((r) => r.params), `${s.name}: the rule over ${params.join(', ')}`).toEqual([params]);
  return rules[0] as ParamRule<Params>;
}

/** The one rule of `s` named `name` (ParamRule.name); the test fails when none or several are. */
export function ruleNamed(s: AnyScenario, name: string): ParamRule<Params> {
  const rules = (s.paramRules ?? []).filter((r) => r.name === name);
  expect(rules.map((r) => r.name), `${s.name}: the rule named ${name}`).toEqual([name]);
  return rules[0] as ParamRule<Params>;
}

/**
 * Loading a scenario by the module URL it was defined in (`import.meta.url`) and its name: what a
 * worker thread does to run the same code as the main thread. TypeScript files (user scenarios)
 * are loaded through tsx. Each module is imported once per thread.
 */
import { HarnessError } from '../errno/errors.js';
import type { Scenario } from './scenario.js';

const scenarios = new Map<string, Scenario>();

/** `url` without its query: tsx gives each tsImport its own `?tsx-namespace=…` in import.meta.url. */
export function moduleFile(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/** Import the module at URL `module` (JavaScript, or TypeScript through tsx). */
export async function importModule(module: string): Promise<Record<string, unknown>> {
  const file = moduleFile(module);
  if (/\.[cm]?ts$/.test(file)) {
    const { tsImport } = await import('tsx/esm/api');
    return (await tsImport(file, import.meta.url)) as Record<string, unknown>;
  }
  return (await import(module)) as Record<string, unknown>;
}

/** Is `v` a scenario made by defineScenario? */
export function isScenario(v: unknown): v is Scenario {
  return typeof v === 'object' && v !== null && typeof (v as Scenario).name === 'string' &&
    typeof (v as Scenario).setup === 'function' && typeof (v as Scenario).actors === 'function';
}

/** The scenario named `name` exported by the module at `module`; throws ERR_WORKER if none. */
export async function loadScenario(module: string, name: string): Promise<Scenario> {
  const key = `${module}#${name}`;
  let s = scenarios.get(key);
  if (s !== undefined) return s;
  const mod = await importModule(module);
  s = Object.values(mod).find((v): v is Scenario => isScenario(v) && v.name === name);
  if (s === undefined) throw new HarnessError('ERR_WORKER', `${module}: exports no scenario named ${name}`);
  scenarios.set(key, s);
  return s;
}

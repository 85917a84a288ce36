/**
 * Loading a scenario by the module URL it was defined in (`import.meta.url`) and its name: what a
 * worker thread does to run the same code as the main thread. A user's file (TypeScript through
 * tsx) is imported on the thread's own instances of the harness modules (user_modules.ts). Each
 * module is imported once per thread.
 */
import { HarnessError } from '../errno/errors.js';
import type { Scenario } from './scenario.js';
import { importUserModule, isUserModule } from './user_modules.js';

const scenarios = new Map<string, Scenario>();

/** `url` without its query (a `?tsx-namespace=…` of a URL recorded by an older version): the
 *  file. */
export function moduleFile(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/** Import the module at URL `module` (JavaScript, or TypeScript through tsx): a user's file by its
 *  file URL. */
export async function importModule(module: string): Promise<Record<string, unknown>> {
  const file = moduleFile(module);
  if (isUserModule(file)) return importUserModule(file);
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

/**
 * Module resolution hooks for user scenario files, in the two forms node:module takes: `resolve`
 * (with `initialize`) for `register`, run on Node's hooks thread, and `syncResolve` for
 * `registerHooks`, run in the importing thread. user_modules.ts registers one form once per
 * thread, before tsx's hooks: tsx then resolves (mapping `./x.js` to `./x.ts`, say) through them.
 * Rules:
 *
 * - The harness by package name (`dmabuf-harness`, `dmabuf-harness/kernel`) resolves to the
 *   running harness's own files, whichever copy the importing file's node_modules would give: a
 *   scenario's code must share the harness's module instances (the ops, module and call-site
 *   registries its executor reads), and a second copy of the package would have its own.
 * - A `.ts` or `.mts` file is an ES module even where its package.json has no `"type":
 *   "module"` (a scenario file in a bare directory): a scenario gives its `import.meta.url`, and
 *   tsx takes the format given here; from package.json alone it would compile such a file to
 *   CommonJS, which loads its imports of the harness through require. `.cts` files stay CommonJS
 *   (user_modules.ts refuses them). So is a `.js` file outside the package, outside node_modules
 *   and without a package.json `"type"`, that has ES module syntax, as Node itself would load it
 *   (typelessModule).
 * - `HOOK_DEPTH` resolves to `data:text/plain,N`, N the number of copies of these hooks in the
 *   resolving thread's chain: 1 where user_modules.ts registered them once and no other thread's
 *   registration reached this one (what the tests check on each Node line).
 */
import { existsSync, readFileSync } from 'node:fs';
import type { InitializeHook, ResolveFnOutput, ResolveHook, ResolveHookContext } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

/** What the registering thread passes (node:module `register`'s `data`). */
export interface UserModuleHooksData {
  /** URL of the running harness's package.json: bare imports of the package resolve from it. */
  readonly packageJson: string;
}

/** The next hook of a `registerHooks` chain. */
type SyncNext = (specifier: string, context?: Partial<ResolveHookContext>) => ResolveFnOutput;

/** A `resolve` hook of node:module `registerHooks` (Node >= 22.15): synchronous, in-thread. */
export type SyncResolveHook = (specifier: string, context: ResolveHookContext, next: SyncNext) => ResolveFnOutput;

/** The specifier that resolves to the depth of these hooks in the resolving thread's chain. */
export const HOOK_DEPTH = 'dmabuf-harness:hook-depth';

const PACKAGE = 'dmabuf-harness';
const DEPTH_URL = 'data:text/plain,';
let packageJson = '';

/** Node calls this once per `register` with the registering thread's data. */
export const initialize: InitializeHook<UserModuleHooksData> = (data) => {
  packageJson = data.packageJson;
};

/** `register`'s form: resolution by the rules above; anything else as the next hook (tsx, then
 *  Node) resolves it. */
export const resolve: ResolveHook = async (specifier, context, next) => {
  if (specifier === HOOK_DEPTH) return depthAbove(await Promise.resolve(next(specifier, context)).catch(() => undefined));
  return withFormat(await next(specifier, harnessContext(specifier, context, packageJson)), packageJson);
};

/** `registerHooks`' form of `resolve`, resolving the harness by name from `harnessPackageJson`. */
export function syncResolve(harnessPackageJson: string): SyncResolveHook {
  return (specifier, context, next) => {
    if (specifier === HOOK_DEPTH) return depthAbove(tryResolve(() => next(specifier, context)));
    return withFormat(next(specifier, harnessContext(specifier, context, harnessPackageJson)), harnessPackageJson);
  };
}

/** The context to resolve `specifier` in: the harness by name from its own package.json. */
function harnessContext(specifier: string, context: ResolveHookContext, pkg: string): ResolveHookContext {
  const ours = specifier === PACKAGE || specifier.startsWith(`${PACKAGE}/`);
  return ours ? { ...context, parentURL: pkg } : context;
}

/**
 * `r`, with the ES module format where its URL is a TypeScript ES module (.ts, .mts), or a `.js`
 * file outside the harness's package (`pkg`, its package.json URL) that Node would load as one.
 */
function withFormat(r: ResolveFnOutput, pkg: string): ResolveFnOutput {
  if (r.format === 'module' || !r.url.startsWith('file:')) return r;
  const path = new URL(r.url).pathname;
  const module = /\.m?ts$/.test(path) || (path.endsWith('.js') && !r.url.startsWith(new URL('./', pkg).href) && typelessModule(r.url));
  return module ? { ...r, format: 'module' } : r;
}

/** typelessModule's answers by file URL: a thread resolves the same file again and again. */
const typeless = new Map<string, boolean>();

/**
 * Whether the `.js` file at `url` is one Node loads as an ES module by its syntax: outside any
 * node_modules (a dependency keeps the format its package gives it), with no `"type"` in its
 * nearest package.json (Node decides by the field where there is one), and with module syntax.
 */
function typelessModule(url: string): boolean {
  let answer = typeless.get(url);
  if (answer === undefined) {
    const path = fileURLToPath(url);
    answer = !path.split(sep).includes('node_modules') && packageType(dirname(path)) === undefined && hasModuleSyntax(url);
    typeless.set(url, answer);
  }
  return answer;
}

/** The `"type"` of the package.json nearest to directory `dir` (undefined: none, or no field). */
function packageType(dir: string): unknown {
  for (let d = dir; ; d = dirname(d)) {
    const file = join(d, 'package.json');
    if (existsSync(file)) {
      try {
        return (JSON.parse(readFileSync(file, 'utf8')) as { type?: unknown }).type;
      } catch {
        return undefined;
      }
    }
    if (dirname(d) === d) return undefined;
  }
}

/** Module-only syntax errors: what a CommonJS compile of an ES module fails with. */
const MODULE_SYNTAX = /Cannot use import statement outside a module|Unexpected token 'export'|Cannot use 'import\.meta' outside a module/;

/**
 * Whether the JavaScript file at `url` is an ES module by its syntax — Node's own test for a `.js`
 * file whose package.json has no `"type"` (it does not compile as a script, for a module-only
 * reason). Node loads such a file as an ES module; tsx's hooks, once a thread registered them for
 * a TypeScript file, would compile it to CommonJS, whose require of the harness (the module now
 * importing it) is a require(esm) cycle Node refuses.
 */
function hasModuleSyntax(url: string): boolean {
  let source: string;
  try {
    source = readFileSync(new URL(url), 'utf8');
  } catch {
    return false;
  }
  try {
    new Script(source, { filename: url });
    return false;
  } catch (err) {
    return err instanceof SyntaxError && MODULE_SYNTAX.test(err.message);
  }
}

/** The depth answer of this copy, given what the hooks below it answered (undefined: they
 *  threw). */
function depthAbove(below: ResolveFnOutput | undefined): ResolveFnOutput {
  const n = below?.url.startsWith(DEPTH_URL) === true ? Number(below.url.slice(DEPTH_URL.length)) : 0;
  return { url: `${DEPTH_URL}${n + 1}`, shortCircuit: true };
}

function tryResolve(f: () => ResolveFnOutput): ResolveFnOutput | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

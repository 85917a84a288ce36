/**
 * Module resolution hooks (node:module `register`) for user scenario files. user_modules.ts
 * registers them once per thread, before tsx's when it registers those: tsx then resolves
 * (mapping `./x.js` to `./x.ts`, say) through them. They run on Node's hooks thread, not in the
 * thread that imports. Two rules:
 *
 * - The harness by package name (`dmabuf-harness`, `dmabuf-harness/kernel`) resolves to the
 *   running harness's own files, whichever copy the importing file's node_modules would give: a
 *   scenario's code must share the harness's module instances (the ops, module and call-site
 *   registries its executor reads), and a second copy of the package would have its own.
 * - A `.ts` or `.mts` file is an ES module even where its package.json has no `"type":
 *   "module"` (a scenario file in a bare directory): a scenario gives its `import.meta.url`, and
 *   tsx takes the format given here; from package.json alone it would compile such a file to
 *   CommonJS, which loads its imports of the harness through require. `.cts` files stay CommonJS.
 */
import type { InitializeHook, ResolveHook } from 'node:module';

/** What the registering thread passes (node:module `register`'s `data`). */
export interface UserModuleHooksData {
  /** URL of the running harness's package.json: bare imports of the package resolve from it. */
  readonly packageJson: string;
}

const PACKAGE = 'dmabuf-harness';
let packageJson = '';

/** Node calls this once per registration with the registering thread's data. */
export const initialize: InitializeHook<UserModuleHooksData> = (data) => {
  packageJson = data.packageJson;
};

/** Resolution by the rules above; anything else as the next hook (tsx, then Node) resolves it. */
export const resolve: ResolveHook = async (specifier, context, next) => {
  const ours = specifier === PACKAGE || specifier.startsWith(`${PACKAGE}/`);
  const r = await next(specifier, ours ? { ...context, parentURL: packageJson } : context);
  return isTypeScriptModule(r.url) && r.format !== 'module' ? { ...r, format: 'module' } : r;
};

/** Whether `url` is a file whose extension makes it a TypeScript ES module here (.ts, .mts). */
function isTypeScriptModule(url: string): boolean {
  return url.startsWith('file:') && /\.m?ts$/.test(new URL(url).pathname);
}

/**
 * Importing a user's scenario file — TypeScript through tsx, or JavaScript outside the harness's
 * package — so that it and every file it imports run on this thread's one instance of each
 * harness module: the instances the executor runs. A scenario's code fills registries the
 * harness's code reads (dma_buf_ops.ts's op tables, warn.ts's call-site names, the module
 * loader's tables) and throws errors the executor tells apart by class (KernelOops,
 * HarnessError), so a second copy of a harness module would be a second, unseen registry.
 *
 * Node keeps one module per URL and thread. tsx's hooks, registered without a namespace, leave a
 * JavaScript file's URL as it is, so the file's imports of harness modules find the instances the
 * thread has; user_module_hooks.ts makes an import of the package by name find them too.
 * node:module hooks registered in one thread do not reach worker threads (Node 20), so every
 * thread that imports a user file registers them itself, once, before its first such import.
 */
import { register } from 'node:module';
import { fileURLToPath } from 'node:url';
import { HARNESS_PACKAGE } from './package_json.js';
import type { UserModuleHooksData } from './user_module_hooks.js';

const PACKAGE_DIR = fileURLToPath(new URL('./', HARNESS_PACKAGE.url));

let harnessRegistered = false;
let typeScript: Promise<void> | undefined;

/** Whether the module at file URL `url` (without query) is a user's: TypeScript, or a file outside the package. */
export function isUserModule(url: string): boolean {
  return isTypeScript(url) || (url.startsWith('file:') && !fileURLToPath(url).startsWith(PACKAGE_DIR));
}

function isTypeScript(url: string): boolean {
  return /\.[cm]?ts$/.test(url);
}

/** Register user_module_hooks.ts in this thread, once. */
function harnessHooks(): void {
  if (harnessRegistered) return;
  const data: UserModuleHooksData = { packageJson: HARNESS_PACKAGE.url.href };
  register('./user_module_hooks.js', { parentURL: import.meta.url, data });
  harnessRegistered = true;
}

/**
 * Register tsx's hooks in this thread, once, after user_module_hooks.ts: the last registered
 * runs first, so tsx resolves through them and takes the format they give a .ts file instead of
 * guessing it from package.json. Only for TypeScript: tsx would also take a `.js` file of a
 * package without `"type"` for CommonJS, where Node finds its `import`s and loads it as an ES module.
 */
function typeScriptHooks(): Promise<void> {
  typeScript ??= (async () => {
    harnessHooks();
    (await import('tsx/esm/api')).register();
  })();
  return typeScript;
}

/** Import the user file at `url` (a file URL without query) on this thread's harness instances. */
export async function importUserModule(url: string): Promise<Record<string, unknown>> {
  if (isTypeScript(url)) await typeScriptHooks();
  else harnessHooks();
  return (await import(url)) as Record<string, unknown>;
}

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
 * thread has; user_module_hooks.ts makes an import of the package by name find them too. Every
 * thread that imports a user file registers these hooks itself, once, before its first such
 * import, with an API whose hooks reach that thread only (HooksApi), the one tsx uses on the
 * Node lines of package.json's `engines`.
 */
import * as nodeModule from 'node:module';
import { fileURLToPath } from 'node:url';
import { HarnessError } from '../errno/errors.js';
import { HARNESS_PACKAGE } from './package_json.js';
import { syncResolve, type SyncResolveHook, type UserModuleHooksData } from './user_module_hooks.js';

/**
 * The node:module API this thread registers hooks with: `registerHooks` where Node has it (22.15,
 * 23.5 on: in-thread, never inherited by workers), else `register` (Node 20: on a hooks thread of
 * the registering thread's own). tsx registers with the same API on the `engines` lines (22 from
 * 22.22.3, 24 from 24.11.1); below those, where Node has registerHooks but tsx still uses
 * `register`, our in-thread hooks would run before tsx's, and a `.ts` file loads as CommonJS.
 */
export type HooksApi = 'registerHooks' | 'register';

type RegisterHooks = (hooks: { resolve: SyncResolveHook }) => unknown;

/** The API `m` (node:module by default) offers for hooks (HooksApi). */
export function hooksApi(m: object = nodeModule): HooksApi {
  return typeof (m as { registerHooks?: unknown }).registerHooks === 'function' ? 'registerHooks' : 'register';
}

const PACKAGE_DIR = fileURLToPath(new URL('./', HARNESS_PACKAGE.url));

let harnessRegistered = false;
let typeScript: Promise<void> | undefined;

/** Whether the module at file URL `url` (without query) is a user's: TypeScript, or a file outside
 *  the package. */
export function isUserModule(url: string): boolean {
  return isTypeScript(url) || (url.startsWith('file:') && !fileURLToPath(url).startsWith(PACKAGE_DIR));
}

function isTypeScript(url: string): boolean {
  return /\.[cm]?ts$/.test(url);
}

/** Register user_module_hooks.ts in this thread, once. */
function harnessHooks(): void {
  if (harnessRegistered) return;
  const packageJson = HARNESS_PACKAGE.url.href;
  if (hooksApi() === 'registerHooks') {
    (nodeModule as unknown as { registerHooks: RegisterHooks }).registerHooks({ resolve: syncResolve(packageJson) });
  } else {
    const data: UserModuleHooksData = { packageJson };
    nodeModule.register('./user_module_hooks.js', { parentURL: import.meta.url, data });
  }
  harnessRegistered = true;
}

/**
 * Register tsx's hooks in this thread, once, after user_module_hooks.ts: the last registered
 * runs first, so tsx resolves through them and takes the format they give a .ts file instead of
 * guessing it from package.json. Only for TypeScript: tsx would also take a `.js` file of a
 * package without `"type"` for CommonJS, where Node finds its `import`s and loads it as an ES
 * module.
 */
function typeScriptHooks(): Promise<void> {
  typeScript ??= (async () => {
    harnessHooks();
    (await import('tsx/esm/api')).register();
  })();
  return typeScript;
}

/** The Node releases from which tsx (4.23: its own table, isFeatureSupported) registers with
 *  registerHooks where Node has it: per release line, and the last entry for any later line. */
const TSX_REGISTER_HOOKS_FROM: readonly (readonly number[])[] = [[22, 22, 3], [24, 11, 1], [25, 1, 0], [26, 0, 0]];

const isTypeScriptImport = (specifier: string): boolean => /\.(?:[cm]?ts|tsx)(?:[?#].*)?$/.test(specifier);
const isTsxImport = (specifier: string): boolean => specifier === 'tsx' || specifier === 'tsx/esm' || /\/tsx\/dist\/(?:loader|esm\/index)\.mjs$/.test(specifier);

/** The `--import` specifiers of command-line arguments `argv`, in order. */
function argvImports(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--import' && argv[i + 1] !== undefined) out.push(argv[++i]!);
    else if (argv[i]!.startsWith('--import=')) out.push(argv[i]!.slice('--import='.length));
  }
  return out;
}

/**
 * Whether a TypeScript module is preloaded with `--import`: in `nodeOptions` (NODE_OPTIONS), or in
 * `execArgv` (process.execArgv) before tsx's own import. tsx (4.23:
 * collectNodeOptionsImportSpecifiers, hasCliTypeScriptPreload) then registers with `register` even
 * where Node has registerHooks.
 */
export function typeScriptPreloaded(nodeOptions: string, execArgv: readonly string[]): boolean {
  if ([...nodeOptions.matchAll(/(?:^|\s)--import(?:=|\s+)(\S+)/g)].some(([, s]) => isTypeScriptImport(s!))) return true;
  const imports = argvImports(execArgv);
  const tsx = imports.findIndex(isTsxImport);
  return tsx > 0 && imports.slice(0, tsx).some(isTypeScriptImport);
}

/**
 * Whether TypeScript user files load on Node `version` (process.versions.node) when this thread
 * registers with `api`: always with `register` (tsx registers the same way), and with
 * `registerHooks` only where tsx takes it too — on its releases, and without a TypeScript module
 * `preloaded` (typeScriptPreloaded) — or tsx's hooks would run after ours and a `.ts` file would
 * load as CommonJS.
 */
export function typeScriptLoads(version: string, api: HooksApi, preloaded: boolean): boolean {
  if (api === 'register') return true;
  if (preloaded) return false;
  const v = version.split('.').map(Number);
  const from = TSX_REGISTER_HOOKS_FROM.find((e, i) => e[0] === v[0] || i === TSX_REGISTER_HOOKS_FROM.length - 1)!;
  const diff = from.map((n, i) => (v[i] ?? 0) - n).find((d) => d !== 0) ?? 0;
  return diff >= 0;
}

/**
 * Import the user file at `url` (a file URL without query) on this thread's harness instances.
 * Throws ERR_SCENARIO for a `.cts` file (tsx compiles it to CommonJS, whose `require` of the
 * harness, ES modules, fails on Node 20 and 22) and for TypeScript on a Node release whose hooks
 * tsx does not share (typeScriptLoads).
 */
export async function importUserModule(url: string): Promise<Record<string, unknown>> {
  if (url.endsWith('.cts')) throw new HarnessError('ERR_SCENARIO', 'a .cts file is CommonJS, which cannot load the harness (ES modules) on every supported Node: expected a .ts or .mts file');
  if (!isTypeScript(url)) harnessHooks();
  else if (typeScriptLoads(process.versions.node, hooksApi(), preloaded())) await typeScriptHooks();
  else throw new HarnessError('ERR_SCENARIO', preloaded()
    ? `TypeScript scenario files cannot load beside a TypeScript module preloaded with --import (NODE_OPTIONS or the command line) on ${process.version}: tsx then registers its module hooks with module.register, which the harness's do not share`
    : `TypeScript scenario files need Node ^20.19, ^22.22.3 or ^24.11.1 (package.json engines), whose module hooks tsx shares: this is ${process.version}`);
  return (await import(url)) as Record<string, unknown>;
}

/** typeScriptPreloaded for this process. */
const preloaded = (): boolean => typeScriptPreloaded(process.env.NODE_OPTIONS ?? '', process.execArgv);

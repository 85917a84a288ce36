/**
 * A user scenario file as a user writes one — TypeScript, its own driver module, the public API —
 * written into a temp dir. It imports the built harness by absolute URL, or by package name as a
 * user's project does (`harness`). The scenario is ABBA on two reservation locks without an acquire
 * context, plus a buffer its module exports after a scheduling point taken through the module's
 * own symbol table (`symbols(t, THIS_MODULE)`) and with its module as owner (exp_info->owner =
 * THIS_MODULE, as the catalog's exporters do: the buffer holds the module until its release);
 * expected: deadlock. With `unlistedEngineAfter`
 * it also runs code of a module it does not list.
 */
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOOK_DEPTH } from '../../src/exec/user_module_hooks.js';
import { ROOT, ROOT_URL } from './cli.js';

/**
 * How the scenario file imports the harness: by the absolute URL of the built files (`url`), or
 * by package name (`dmabuf-harness`, `dmabuf-harness/kernel`) from its dir's node_modules, where
 * `linked` is a symlink to this checkout (npm link, a workspace) and `copied` a separate install
 * (package.json and dist/src copied, without its dependencies).
 */
export type HarnessImport = 'url' | 'linked' | 'copied';

export interface UserScenarioOptions {
  readonly name?: string;
  readonly expect?: string;
  /** Namespaces the module imports (default ['DMA_BUF']). */
  readonly importNs?: readonly string[];
  /** The exporter also submits a job to the DMA engine, whose module (dma_engine) `modules` does
   *  not list, through a helper file that belongs to no module (so the module still loads): from
   *  the (n + 1)-th setup in its thread on (0: every trial). Default: never. */
  readonly unlistedEngineAfter?: number;
  /** Append a line to this file at every setup: one line per trial run. */
  readonly setupLog?: string;
  /** Setup throws from the (n + 1)-th setup in its thread on (0: every trial). Default: never. */
  readonly setupThrowsAfter?: number;
  /** The scenario's parameter defaults (default {}: the actors read none). */
  readonly params?: Readonly<Record<string, number | string | boolean>>;
  /** Its paramRanges declaration, written as given (default: none). */
  readonly paramRanges?: unknown;
  /** Its paramRules declaration, TypeScript source written as is (default: none). */
  readonly paramRules?: string;
  /** Its scheduledRules declaration, TypeScript source written as is (default: none). */
  readonly scheduledRules?: string;
  /** Modules loaded after the scenario's own, using and exporting nothing (default 0). */
  readonly extraModules?: number;
  /** How the scenario file imports the harness (default 'url'; the engine helper always by URL). */
  readonly harness?: HarnessImport;
  /** The exporter exports and puts its buffer through its module's symbol table, as a built-in
   *  driver does (default: plain imports of the kernel, as scenario code does). */
  readonly exportViaTable?: boolean;
  /** The exporter asserts the first reservation lock held without holding it, naming this
   *  function as the caller (dma_resv_assert_held's caller): a lock-not-held finding titled
   *  after it. Default: never. */
  readonly assertHeldAs?: string;
  /** Append a line to this file whenever a thread loads the file: its threadId and the depth of
   *  the harness's module hooks in that thread's chain (user_module_hooks.ts's HOOK_DEPTH). */
  readonly hooksLog?: string;
}

/** Write the scenario file into `dir`; returns its path. */
export function writeUserScenario(dir: string, o: UserScenarioOptions = {}): string {
  const lib = `${ROOT_URL.href}dist/src`;
  const [index, kernel] = harnessSpecifiers(dir, o.harness ?? 'url', lib);
  writeEngineHelper(dir, lib);
  const p = join(dir, 'user-abba.ts');
  writeFileSync(p, `${header(index, kernel, o)}\n${scenarioSource(o)}`);
  return p;
}

/** The file's imports, op table and modules, and what it logs when a thread loads it. */
function header(index: string, kernel: string, o: UserScenarioOptions): string {
  const ns = JSON.stringify(o.importNs ?? ['DMA_BUF']);
  const module = (name: string) => `defineModule({ name: ${name}, license: 'GPL', importNs: ${ns}, source: import.meta.url })`;
  return `import { defineModule, defineScenario, moduleRef, symbols, type KernelApi } from '${index}';
import {
  dma_buf_export, dma_buf_put,${o.assertHeldAs === undefined ? '' : ' dma_resv_assert_held,'} dma_resv_init, dma_resv_lock, dma_resv_unlock, registerDmaBufOps,
  type DmaBuf, type KGen, type Resv, type Task,
} from '${kernel}';
import { submitToEngine } from './user-engine-helper.js';
import { appendFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
${o.hooksLog === undefined ? '' : `appendFileSync(${JSON.stringify(o.hooksLog)}, \`\${threadId} \${import.meta.resolve(${JSON.stringify(HOOK_DEPTH)})}\\n\`);`}
const OPS = registerDmaBufOps(${JSON.stringify(`${o.name ?? 'user-abba'}_ops`)}, {
  *map_dma_buf(): KGen<number> { return 1; },
  *unmap_dma_buf(): KGen<void> { /* nothing mapped */ },
  *release(): KGen<void> { /* nothing to free */ },
});
const userAbba = ${module("'user_abba'")};
const THIS_MODULE = moduleRef<KernelApi>('user_abba');
const extras = Array.from({ length: ${o.extraModules ?? 0} }, (_, i) => ${module('`user_extra_${i}`')});
`;
}

/** The scenario: its declaration, setup and actors. */
function scenarioSource(o: UserScenarioOptions): string {
  const opt = (v: unknown, text: string) => (v === undefined ? '' : text);
  const via = o.exportViaTable === true ? 'k.' : '';
  return `interface Env { readonly a: Resv; readonly b: Resv; readonly engine: boolean }
let setups = 0;
let setupsBeforeThrow = 0;

function* lockBoth(t: Task, first: Resv, second: Resv): KGen<void> {
  yield* dma_resv_lock(t, first, null);
  yield* dma_resv_lock(t, second, null);
  dma_resv_unlock(t, second);
  dma_resv_unlock(t, first);
}

export const userScenario = defineScenario({
  name: ${JSON.stringify(o.name ?? 'user-abba')}, module: import.meta.url, params: ${JSON.stringify(o.params ?? {})},${opt(o.paramRanges, ` paramRanges: ${JSON.stringify(o.paramRanges)},`)}${opt(o.paramRules, ` paramRules: ${o.paramRules},`)}${opt(o.scheduledRules, ` scheduledRules: ${o.scheduledRules},`)} expect: ${JSON.stringify(o.expect ?? 'deadlock')},
  modules: [userAbba, ...extras],
  setup: (t: Task): Env => {
    ${opt(o.setupLog, `appendFileSync(${JSON.stringify(o.setupLog)}, 'setup\\n');`)}
    ${opt(o.setupThrowsAfter, `if (++setupsBeforeThrow > ${o.setupThrowsAfter}) throw new RangeError('planted setup failure');`)}
    return { a: dma_resv_init(t), b: dma_resv_init(t), engine: ${o.unlistedEngineAfter === undefined ? 'false' : `++setups > ${o.unlistedEngineAfter}`} };
  },
  actors: () => [
    { name: 'T1', run: (t: Task, e: Env) => lockBoth(t, e.a, e.b) },
    { name: 'T2', run: (t: Task, e: Env) => lockBoth(t, e.b, e.a) },
    { name: 'exporter', run: function* (t: Task, e: Env): KGen<void> {
      const k = symbols(t, THIS_MODULE);
      yield* k.cond_resched(t, 0);
      if (e.engine) submitToEngine(t);
      ${opt(o.assertHeldAs, `dma_resv_assert_held(t, e.a, ${JSON.stringify(o.assertHeldAs)});`)}
      const db = ${via}dma_buf_export(t, { ops: OPS, size: 1, priv: 0, owner: THIS_MODULE });
      if (db >= 0) yield* ${via}dma_buf_put(t, db as DmaBuf);
    } },
  ],
});
`;
}

/** The specifiers of the harness's index and kernel index for a scenario file in `dir`. */
function harnessSpecifiers(dir: string, how: HarnessImport, lib: string): [string, string] {
  if (how === 'url') return [`${lib}/index.js`, `${lib}/kernel/index.js`];
  installHarness(dir, how);
  return ['dmabuf-harness', 'dmabuf-harness/kernel'];
}

/** Make `dmabuf-harness` importable by package name from files in `dir` (HarnessImport). */
export function installHarness(dir: string, how: Exclude<HarnessImport, 'url'>): void {
  const pkg = join(dir, 'node_modules', 'dmabuf-harness');
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  if (how === 'linked') symlinkSync(ROOT, pkg, 'dir');
  else {
    cpSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
    cpSync(join(ROOT, 'dist', 'src'), join(pkg, 'dist', 'src'), { recursive: true });
  }
}

/** The helper file the scenario imports: scenario code (no module's source) calling the DMA engine. */
function writeEngineHelper(dir: string, lib: string): void {
  writeFileSync(join(dir, 'user-engine-helper.ts'), `import { dma_fence_get_stub, type Task } from '${lib}/kernel/index.js';
import { dma_engine_context, dma_engine_create, dma_engine_submit } from '${lib}/drivers/dma_engine.js';

/** Submit one job to a new DMA engine: code of module dma_engine. */
export function submitToEngine(t: Task): void {
  dma_engine_submit(t, dma_engine_context(t, dma_engine_create(t)), false, dma_fence_get_stub(t));
}
`);
}

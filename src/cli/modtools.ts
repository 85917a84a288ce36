/**
 * `dmabuf-harness modpost|modinfo|nsdeps PATH...`: the symbol-namespace tools over module
 * source files. A PATH is a .ts or .js file whose single `defineModule({...})` call declares a
 * driver module.
 *
 * Modules are read from their source without running it (as modpost reads object files, not a
 * running kernel): the call's fields must be literals, as MODULE_LICENSE / MODULE_IMPORT_NS take
 * string literals — `name`, `license`, `defaultNamespace`, `importNs` (array of strings),
 * `exports` (array of objects with literal `macro`, `name`, `ns`, `modules`; `impl` is not read),
 * and `source` (and each of `objects`) as `import.meta.url`, `new URL('<file>', import.meta.url)
 * [.href]` or a literal file URL / absolute path (a missing `.js` falls back to its `.ts` twin).
 * Every PATH is read and checked before anything is printed or written; bad input is one
 * `HarnessError` line.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Option, type Command } from 'commander';
import type * as TS from 'typescript';
import { HarnessError } from '../errno/errors.js';
import { defineModule, type ModuleDef, type ModuleSpec } from '../kernel/module/define.js';
import { kernelSymbolsFor } from '../kernel/module/dmabuf_exports.js';
import { modinfo } from '../kernel/module/modinfo.js';
import { formatModpost, modpost, type ModpostMessage } from '../kernel/module/modpost.js';
import { nsdeps } from '../kernel/module/nsdeps.js';
import { parseSource, typescript } from '../kernel/module/parse.js';
import type { CliIo } from './io.js';

type Kernel = 'v3' | 'final';

/** A module read from PATH: its definition and the file holding its `defineModule` call. */
interface ModuleFile {
  readonly path: string;
  readonly def: ModuleDef;
}

const SOURCE_RE = /\.[mc]?[jt]s$/;

function fail(where: string, what: string): never {
  throw new HarnessError('ERR_SCENARIO', `${where}: ${what}`);
}

/** PATH's text; fails on a missing file, a non-file or a name that is not .ts/.js. */
function readText(where: string, path: string): string {
  if (!SOURCE_RE.test(path) || path.endsWith('.d.ts')) fail(where, 'expected a module source file (.ts or .js)');
  if (!existsSync(path)) fail(where, 'no such file (expected a module source file)');
  if (!statSync(path).isFile()) fail(where, 'not a file (expected a module source file)');
  return readFileSync(path, 'utf8');
}

/** Parses PATH; fails on its first syntax error (TS-only syntax in a .js file included). */
function parseChecked(where: string, path: string, text: string): TS.SourceFile {
  const ts = typescript();
  const out = ts.transpileModule(text, { fileName: path, reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022 } });
  const d = out.diagnostics?.find((x) => x.category === ts.DiagnosticCategory.Error);
  const sf = parseSource(path, text);
  if (d !== undefined) {
    const { line, character } = sf.getLineAndCharacterOfPosition(d.start ?? 0);
    const msg = ts.flattenDiagnosticMessageText(d.messageText, ' ');
    fail(`${where}:${line + 1}:${character + 1}`, `does not parse: ${msg} (expected a module source file)`);
  }
  return sf;
}

/** The object literal of the file's single `defineModule(...)` call (plain or `x.defineModule`). */
function findDefinition(where: string, sf: TS.SourceFile): TS.ObjectLiteralExpression {
  const ts = typescript();
  const calls: TS.CallExpression[] = [];
  const visit = (node: TS.Node): void => {
    if (ts.isCallExpression(node)) {
      const c = node.expression;
      const name = ts.isIdentifier(c) ? c.text : ts.isPropertyAccessExpression(c) ? c.name.text : '';
      if (name === 'defineModule') calls.push(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  if (calls.length !== 1) fail(where, `expected one defineModule({...}) call, found ${calls.length}`);
  const arg = calls[0]!.arguments[0];
  if (arg === undefined || !ts.isObjectLiteralExpression(arg)) fail(where, 'expected defineModule to be called with an object literal');
  return arg;
}

/** The properties of an object literal by name; fails on spreads, methods and computed names. */
function fields(where: string, obj: TS.ObjectLiteralExpression, what: string): Map<string, TS.Expression> {
  const ts = typescript();
  const out = new Map<string, TS.Expression>();
  for (const p of obj.properties) {
    const n = p.name;
    const key = n !== undefined && (ts.isIdentifier(n) || ts.isStringLiteral(n)) ? n.text : undefined;
    if (key === undefined || !(ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p))) {
      fail(where, `${what}: expected plain 'key: value' properties`);
    }
    out.set(key, ts.isPropertyAssignment(p) ? p.initializer : p.name);
  }
  return out;
}

/** The text of a string literal (or a template without substitutions), else undefined. */
function literalText(e: TS.Expression): string | undefined {
  const ts = typescript();
  return ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) ? e.text : undefined;
}

/** A string-literal field: undefined when absent, fails when present but not a literal. */
function str(where: string, f: Map<string, TS.Expression>, key: string, what = key): string | undefined {
  const e = f.get(key);
  if (e === undefined) return undefined;
  return literalText(e) ?? fail(where, `${what}: expected a string literal`);
}

/** An array-literal field's elements (undefined when absent). */
function arr(where: string, f: Map<string, TS.Expression>, key: string): readonly TS.Expression[] | undefined {
  const e = f.get(key);
  if (e === undefined) return undefined;
  if (!typescript().isArrayLiteralExpression(e)) fail(where, `${key}: expected an array literal`);
  return e.elements;
}

function importNs(where: string, f: Map<string, TS.Expression>): string[] | undefined {
  return arr(where, f, 'importNs')?.map((e, i) => literalText(e) ?? fail(where, `importNs[${i}]: expected a string literal`));
}

/** Export lines with their literal fields; `impl` is a placeholder (the tools never call it). */
function exportLines(where: string, f: Map<string, TS.Expression>): unknown[] | undefined {
  const ts = typescript();
  return arr(where, f, 'exports')?.map((e, i) => {
    if (!ts.isObjectLiteralExpression(e)) fail(where, `exports[${i}]: expected an object literal`);
    const x = fields(where, e, `exports[${i}]`);
    const line: Record<string, unknown> = { impl: () => undefined };
    for (const k of ['macro', 'name', 'ns', 'modules']) {
      const v = str(where, x, k, `exports[${i}].${k}`);
      if (v !== undefined) line[k] = v;
    }
    return line;
  });
}

/** `import.meta.url` */
function isMetaUrl(e: TS.Expression): boolean {
  const ts = typescript();
  return ts.isPropertyAccessExpression(e) && e.name.text === 'url' && ts.isMetaProperty(e.expression)
    && e.expression.keywordToken === ts.SyntaxKind.ImportKeyword;
}

/** The `<file>` of `new URL('<file>', import.meta.url)` (with optional `.href` / `.toString()`). */
function urlArg(e: TS.Expression): string | undefined {
  const ts = typescript();
  let x = e;
  if (ts.isCallExpression(x) && x.arguments.length === 0) x = x.expression;
  if (ts.isPropertyAccessExpression(x) && ['href', 'toString'].includes(x.name.text)) x = x.expression;
  if (!ts.isNewExpression(x) || !ts.isIdentifier(x.expression) || x.expression.text !== 'URL') return undefined;
  const [rel, base] = x.arguments ?? [];
  if (rel === undefined || base === undefined || !isMetaUrl(base)) return undefined;
  return ts.isStringLiteral(rel) || ts.isNoSubstitutionTemplateLiteral(rel) ? rel.text : undefined;
}

/** The file a `source`-like field names, as a path (fails on a form the tools cannot evaluate
 *  statically). */
function sourceFile(where: string, path: string, e: TS.Expression, field: string): string {
  if (isMetaUrl(e)) return path;
  const rel = urlArg(e);
  const lit = literalText(e);
  try {
    if (rel !== undefined) return fileURLToPath(new URL(rel, pathToFileURL(path)));
    if (lit?.startsWith('file:') === true) return fileURLToPath(lit);
  } catch {
    return fail(where, `${field}: ${JSON.stringify(rel ?? lit)} is not a usable file URL`);
  }
  if (lit !== undefined && isAbsolute(lit)) return lit;
  return fail(where, `${field}: expected import.meta.url, new URL('<file>', import.meta.url), a file: URL or an absolute path`);
}

/** A `source`-like expression as a file URL (a missing .js becomes its .ts twin). */
function fileUrl(where: string, path: string, e: TS.Expression, field: string): string {
  let file = sourceFile(where, path, e, field);
  const twin = file.replace(/\.([mc]?)js$/, '.$1ts');
  if (!existsSync(file) && existsSync(twin)) file = twin;
  if (!existsSync(file)) fail(where, `${field} ${file}: no such file`);
  return pathToFileURL(file).href;
}

/** The `source` field as a file URL; undefined if absent. */
function sourceUrl(where: string, path: string, f: Map<string, TS.Expression>): string | undefined {
  const e = f.get('source');
  return e === undefined ? undefined : fileUrl(where, path, e, 'source');
}

/** The `objects` field (a multi-file module's other sources) as file URLs; undefined if absent. */
function objectUrls(where: string, path: string, f: Map<string, TS.Expression>): string[] | undefined {
  return arr(where, f, 'objects')?.map((e, i) => fileUrl(where, path, e, `objects[${i}]`));
}

/** Reads, parses and validates the module declared in PATH (through `defineModule` itself). */
function readModule(cmd: string, arg: string): ModuleFile {
  const path = resolve(arg);
  const where = `${cmd}: ${path}`;
  const sf = parseChecked(where, path, readText(where, path));
  const f = fields(where, findDefinition(where, sf), 'defineModule argument');
  const spec = {
    name: str(where, f, 'name'), license: str(where, f, 'license'), importNs: importNs(where, f),
    defaultNamespace: str(where, f, 'defaultNamespace'), source: sourceUrl(where, path, f),
    objects: objectUrls(where, path, f), exports: exportLines(where, f),
  };
  try {
    return { path, def: defineModule(spec as unknown as ModuleSpec) };
  } catch (err) {
    if (err instanceof HarnessError) fail(where, err.message);
    throw err;
  }
}

/** Every PATH's module, all read before any output; a module name given twice is refused. */
function readModules(cmd: string, paths: readonly string[]): ModuleFile[] {
  const mods = paths.map((p) => readModule(cmd, p));
  const seen = new Map<string, string>();
  for (const m of mods) {
    const prev = seen.get(m.def.name);
    if (prev !== undefined) fail(`${cmd}: ${m.path}`, `module ${m.def.name} is also defined in ${prev}`);
    seen.set(m.def.name, m.path);
  }
  return mods;
}

function printErr(io: CliIo, messages: readonly ModpostMessage[]): void {
  for (const m of messages) io.stderr.write(`${formatModpost(m)}\n`);
}

/** modpost: kernel-style messages on stderr; 1 if any is an ERROR, else 0. */
function modpostCommand(io: CliIo, paths: string[], o: { kernel: Kernel; allowMissingNamespaceImports?: boolean }): number {
  const mods = readModules('modpost', paths);
  const r = modpost(mods.map((m) => m.def), kernelSymbolsFor(o.kernel),
    { allowMissingNamespaceImports: o.allowMissingNamespaceImports === true });
  printErr(io, r.messages);
  return r.messages.some((m) => m.level === 'ERROR') ? 1 : 0;
}

/** modinfo: `filename: PATH` then the module's `tag: value` lines, per module, on stdout. */
function modinfoCommand(io: CliIo, paths: string[]): number {
  for (const m of readModules('modinfo', paths)) {
    io.stdout.write([`filename: ${m.path}`, ...modinfo(m.def)].map((l) => `${l}\n`).join(''));
  }
  return 0;
}

/**
 * nsdeps: modpost with -N, then each module's missing (importable) namespaces are added to its
 * PATH in place (atomically, by `nsdeps`), one "Adding namespace NS to module X.ko." line per
 * namespace on stdout. Silent when nothing is missing. Any other modpost ERROR (as in the
 * kernel, where modpost fails before scripts/nsdeps runs) is printed on stderr, nothing is
 * written, and the result is 1. `module:` namespaces are never added (they cannot be imported).
 */
function nsdepsCommand(io: CliIo, paths: string[], o: { kernel: Kernel }): number {
  const mods = readModules('nsdeps', paths);
  const r = modpost(mods.map((m) => m.def), kernelSymbolsFor(o.kernel), { allowMissingNamespaceImports: true });
  const errors = r.messages.filter((m) => m.level === 'ERROR');
  if (errors.length > 0) {
    printErr(io, errors);
    return 1;
  }
  const pathOf = new Map(mods.map((m) => [m.def.name, m.path]));
  for (const e of r.nsdeps) {
    if (!nsdeps(pathOf.get(e.module)!, e.namespaces)) continue;
    for (const ns of e.namespaces) io.stdout.write(`Adding namespace ${ns} to module ${e.module}.ko.\n`);
  }
  return 0;
}

const kernelOption = (): Option => new Option('--kernel <which>', 'symbol table: the v3 posting or the merged series')
  .choices(['v3', 'final']).default('final');

const pathArgument = ['<path...>', 'module source files (.ts or .js), each with one defineModule({...}) call'] as const;

/** Adds `modpost`, `modinfo` and `nsdeps` to `program`, writing to `io`; each action reports its
 *  exit code through `setCode`. */
export function registerModTools(program: Command, io: CliIo, setCode: (code: number) => void): void {
  program.command('modpost').description('build-time symbol checks of modules (scripts/mod/modpost)')
    .argument(...pathArgument).addOption(kernelOption())
    .option('-N, --allow-missing-namespace-imports', 'report missing namespace imports as warnings')
    .action((paths: string[], o: { kernel: Kernel; allowMissingNamespaceImports?: boolean }) => {
      setCode(modpostCommand(io, paths, o));
    });
  program.command('modinfo').description("the modules' modinfo tags")
    .argument(...pathArgument)
    .action((paths: string[]) => { setCode(modinfoCommand(io, paths)); });
  program.command('nsdeps').description('add missing namespace imports to module sources in place (make nsdeps)')
    .argument(...pathArgument).addOption(kernelOption())
    .action((paths: string[], o: { kernel: Kernel }) => { setCode(nsdepsCommand(io, paths, o)); });
}

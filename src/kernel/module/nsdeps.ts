/**
 * `make nsdeps` (`scripts/nsdeps` + `add_namespace.cocci`) for harness modules: adds missing
 * namespace imports to a module's source, editing through the TypeScript parser — the edit is
 * placed by AST positions, never by a regex — so the rest of the file stays byte for byte.
 *
 * The `importNs` array literal of the file's single `defineModule({...})` call becomes the
 * sorted (LANG=C), de-duplicated union of its entries and the missing namespaces; the property
 * is created next to `license` (like MODULE_IMPORT_NS next to the module metadata) when absent.
 * Running it again changes nothing. `module:` namespaces are refused: they are implicit and an
 * explicit import makes the loader fail with -EPERM.
 */
import { chmodSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type * as TS from 'typescript';
import { HarnessError } from '../../errno/errors.js';
import { parseSource, typescript } from './parse.js';
import { MODULE_NS_PREFIX, cmpC } from './table.js';

/** The located `defineModule` object literal and its `importNs` property, if any. */
interface Target {
  readonly sf: TS.SourceFile;
  readonly obj: TS.ObjectLiteralExpression;
  readonly prop: TS.PropertyAssignment | undefined;
}

function fail(path: string, what: string): never {
  throw new HarnessError('ERR_SCENARIO', `nsdeps: ${path}: ${what}`);
}

function propName(p: TS.ObjectLiteralElementLike): string | undefined {
  const ts = typescript();
  const n = p.name;
  return n !== undefined && (ts.isIdentifier(n) || ts.isStringLiteral(n)) ? n.text : undefined;
}

/** All `defineModule(<object literal>, ...)` calls (plain or `x.defineModule`). */
function findCalls(sf: TS.SourceFile): TS.ObjectLiteralExpression[] {
  const ts = typescript();
  const out: TS.ObjectLiteralExpression[] = [];
  const visit = (node: TS.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const name = ts.isIdentifier(callee) ? callee.text
        : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
      const arg = node.arguments[0];
      if (name === 'defineModule' && arg !== undefined && ts.isObjectLiteralExpression(arg)) out.push(arg);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

function locate(path: string, text: string): Target {
  const ts = typescript();
  const sf = parseSource(path, text);
  const calls = findCalls(sf);
  if (calls.length !== 1) fail(path, `expected one defineModule({...}) call, found ${calls.length}`);
  const obj = calls[0]!;
  const found = obj.properties.find((p) => propName(p) === 'importNs');
  if (found !== undefined && !ts.isPropertyAssignment(found)) fail(path, 'importNs is not a plain property');
  return { sf, obj, prop: found };
}

/** The string entries of the `importNs` array literal (throws if it is not one). */
function arrayEntries(path: string, prop: TS.PropertyAssignment): { arr: TS.ArrayLiteralExpression; items: string[] } {
  const ts = typescript();
  const arr = prop.initializer;
  if (!ts.isArrayLiteralExpression(arr)) fail(path, 'importNs is not an array literal');
  const items = arr.elements.map((e) => {
    if (!ts.isStringLiteral(e) && !ts.isNoSubstitutionTemplateLiteral(e)) fail(path, 'importNs has a non-literal entry');
    return e.text;
  });
  return { arr, items };
}

/** The namespaces a module file imports, read from its `defineModule` call ([] if none). */
export function readImportNs(sourcePath: string): string[] {
  const t = locate(sourcePath, readFileSync(sourcePath, 'utf8'));
  return t.prop === undefined ? [] : arrayEntries(sourcePath, t.prop).items;
}

/** Quote character of the first string literal in the object (default `'`). */
function quoteOf(t: Target): string {
  const ts = typescript();
  let q = "'";
  const visit = (n: TS.Node): boolean => {
    if (ts.isStringLiteral(n)) {
      q = t.sf.text[n.getStart(t.sf)] ?? q;
      return true;
    }
    return ts.forEachChild(n, visit) ?? false;
  };
  visit(t.obj);
  return q;
}

function lit(ns: string, q: string): string {
  return q + ns.replace(/\\/g, '\\\\').split(q).join(`\\${q}`) + q;
}

/** Leading whitespace of the line holding `pos`. */
function indentAt(text: string, pos: number): string {
  const start = text.lastIndexOf('\n', pos - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/** The new array literal text, keeping the old one's layout (one line, or one entry a line). */
function formatArray(t: Target, arr: TS.ArrayLiteralExpression, items: readonly string[], q: string): string {
  const text = t.sf.text;
  const old = text.slice(arr.getStart(t.sf), arr.end);
  const first = arr.elements[0];
  if (!old.includes('\n') || first === undefined) return `[${items.map((s) => lit(s, q)).join(', ')}]`;
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const ind = indentAt(text, first.getStart(t.sf));
  const close = indentAt(text, arr.end - 1);
  const trailing = arr.elements.hasTrailingComma ? ',' : '';
  return `[${nl}${items.map((s) => ind + lit(s, q)).join(`,${nl}`)}${trailing}${nl}${close}]`;
}

/** Where and what to insert for a new `importNs` property after `license` (or `name`). */
function insertion(t: Target, items: readonly string[], q: string): { at: number; text: string } {
  const text = t.sf.text;
  const props = t.obj.properties;
  const anchor = props.find((p) => propName(p) === 'license') ?? props.find((p) => propName(p) === 'name')
    ?? props[props.length - 1];
  const prop = `importNs: [${items.map((s) => lit(s, q)).join(', ')}]`;
  if (anchor === undefined) return { at: t.obj.getStart(t.sf) + 1, text: ` ${prop} ` };
  const after = nextToken(text, anchor.end);
  const hasComma = text[after] === ',';
  const multiLine = text.slice(t.obj.getStart(t.sf), t.obj.end).includes('\n');
  if (!multiLine) return hasComma ? { at: after + 1, text: ` ${prop},` } : { at: anchor.end, text: `, ${prop}` };
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const ind = indentAt(text, anchor.getStart(t.sf));
  if (!hasComma) return { at: anchor.end, text: `,${nl}${ind}${prop}` };
  let eol = text.indexOf('\n', after + 1);
  if (eol < 0 || nextToken(text, after + 1) < eol) return { at: after + 1, text: ` ${prop},` };
  if (text[eol - 1] === '\r') eol--;
  return { at: eol, text: `${nl}${ind}${prop},` };
}

/** Position of the first token at or after `pos` (whitespace and comments skipped). */
function nextToken(text: string, pos: number): number {
  const ts = typescript();
  const sc = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text);
  sc.setText(text, pos);
  sc.scan();
  return sc.getTokenStart();
}

/** Writes `text` to `path` through a temporary file in the same directory and a rename. */
function writeAtomic(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.nsdeps-${process.pid}.tmp`);
  writeFileSync(tmp, text);
  chmodSync(tmp, statSync(path).mode & 0o7777);
  renameSync(tmp, path);
}

/** The file's text with `missing` imported, or the same text when nothing changes. */
function edit(path: string, text: string, missing: readonly string[]): string {
  const t = locate(path, text);
  const q = quoteOf(t);
  if (t.prop === undefined) {
    const items = [...new Set(missing)].sort(cmpC);
    const ins = insertion(t, items, q);
    return text.slice(0, ins.at) + ins.text + text.slice(ins.at);
  }
  const { arr, items } = arrayEntries(path, t.prop);
  const target = [...new Set([...items, ...missing])].sort(cmpC);
  if (target.length === items.length && target.every((s, i) => s === items[i])) return text;
  const first = arr.elements[0];
  const aq = first === undefined ? q : text[first.getStart(t.sf)] ?? q;
  return text.slice(0, arr.getStart(t.sf)) + formatArray(t, arr, target, aq) + text.slice(arr.end);
}

/**
 * Adds the `missing` namespaces to the `importNs` of the module defined in `sourcePath`.
 * Returns whether the file changed (false when `missing` is empty or already imported, sorted
 * and unique). Throws ERR_SCENARIO for a `module:` namespace or a file it cannot edit safely.
 */
export function nsdeps(sourcePath: string, missing: readonly string[]): boolean {
  for (const ns of missing) {
    if (ns === '') fail(sourcePath, 'empty namespace');
    if (ns.startsWith(MODULE_NS_PREFIX)) {
      fail(sourcePath, `cannot import module namespace ${ns}: module namespaces are implicit`);
    }
  }
  if (missing.length === 0) return false;
  const text = readFileSync(sourcePath, 'utf8');
  const next = edit(sourcePath, text, missing);
  if (next === text) return false;
  writeAtomic(sourcePath, next);
  return true;
}

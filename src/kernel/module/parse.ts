/**
 * The TypeScript compiler API as the module tools' parser (modpost's symbol scan, nsdeps'
 * edits). Loaded lazily and synchronously on first use, so importing the kernel does not pay
 * for the compiler.
 */
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as TS from 'typescript';

let tsApi: typeof TS | undefined;

/** The `typescript` package (loaded on first call). */
export function typescript(): typeof TS {
  tsApi ??= createRequire(import.meta.url)('typescript') as typeof TS;
  return tsApi;
}

/** Parses `text` as the file `path` (.ts/.mts/.cts as TS, .tsx as TSX, anything else as JS). */
export function parseSource(path: string, text: string): TS.SourceFile {
  const ts = typescript();
  const kind = /\.[mc]?ts$/.test(path) ? ts.ScriptKind.TS
    : path.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.JS;
  return ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, kind);
}

interface IdentCache {
  readonly mtimeMs: number;
  readonly size: number;
  readonly idents: ReadonlySet<string>;
}

const identCache = new Map<string, IdentCache>();

/** Every Identifier's text in the file (names in code, property names included; no comments). */
function collectIdentifiers(sf: TS.SourceFile): Set<string> {
  const ts = typescript();
  const out = new Set<string>();
  const visit = (node: TS.Node): void => {
    if (ts.isIdentifier(node)) out.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/**
 * The set of identifier names appearing in the file at `path`; cached per path while the
 * file's mtime and size are unchanged.
 */
export function fileIdentifiers(path: string): ReadonlySet<string> {
  const st = statSync(path);
  const hit = identCache.get(path);
  if (hit !== undefined && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.idents;
  const idents = collectIdentifiers(parseSource(path, readFileSync(path, 'utf8')));
  identCache.set(path, { mtimeMs: st.mtimeMs, size: st.size, idents });
  return idents;
}

/**
 * Namespace matching of `kernel/module/main.c` and `scripts/mod/modpost.c`.
 *
 * `verify_module_namespace(ns, modname)` is true only for `module:` namespaces: the rest is a
 * comma-separated pattern list; a pattern matches the module name exactly, or as a prefix when
 * it ends in `*` (tail glob only). The loader compares with `mod_strncmp` (`-` == `_`); modpost
 * compares raw names with `strncmp`.
 */
import { MODULE_NS_PREFIX } from './table.js';

/** C string byte at `i`, '\0' past the end (as reading a NUL-terminated string). */
function at(s: string, i: number): string {
  return i < s.length ? s[i]! : '\0';
}

/**
 * `mod_strncmp(a, b, n)`: strncmp where `-` and `_` compare equal; stops at the first NUL.
 * Returns 0 when equal over `n` characters, else the (sign of the) first difference.
 */
export function mod_strncmp(a: string, b: string, n: number): number {
  for (let i = 0; i < n; i++) {
    let ca = at(a, i);
    let cb = at(b, i);
    if (ca === '-') ca = '_';
    if (cb === '-') cb = '_';
    const d = ca.charCodeAt(0) - cb.charCodeAt(0);
    if (d !== 0) return d;
    if (ca === '\0') break;
  }
  return 0;
}

/** Plain `strncmp(a, b, n)` on NUL-terminated strings. */
export function strncmp(a: string, b: string, n: number): number {
  for (let i = 0; i < n; i++) {
    const ca = at(a, i);
    const cb = at(b, i);
    const d = ca.charCodeAt(0) - cb.charCodeAt(0);
    if (d !== 0) return d;
    if (ca === '\0') break;
  }
  return 0;
}

type Cmp = (a: string, b: string, n: number) => number;

/** The shared loop of both implementations, transcribed from the C (incl. `sep[-1]`). */
function matchPatterns(ns: string, modname: string, cmp: Cmp): boolean {
  if (!ns.startsWith(MODULE_NS_PREFIX)) return false;
  let p = MODULE_NS_PREFIX.length;
  while (p < ns.length) {
    const comma = ns.indexOf(',', p);
    let sep = comma < 0 ? ns.length : comma;
    let len = sep - p;
    let glob = false;
    if (ns[sep - 1] === '*') {
      len--;
      glob = true;
    }
    const pattern = ns.slice(p);
    if (sep < ns.length) sep++;
    if (cmp(pattern, modname, len) === 0 && (glob || len === modname.length)) return true;
    p = sep;
  }
  return false;
}

/** The loader's `verify_module_namespace(namespace, modname)` (mod_strncmp: `-` == `_`). */
export function verify_module_namespace(ns: string, modname: string): boolean {
  return matchPatterns(ns, modname, mod_strncmp);
}

/** modpost's `verify_module_namespace`: the same patterns, raw `strncmp` on the basename. */
export function modpost_verify_module_namespace(ns: string, modname: string): boolean {
  return matchPatterns(ns, modname, strncmp);
}

/**
 * `modinfo <module>` for harness modules: the modinfo tags a module carries, one `tag: value`
 * line each (one space after the colon; modinfo(8) pads to a column instead).
 */
import type { ModuleDef } from './define.js';

/**
 * Lines `name: <mod>`, `license: <lic>`, then one `import_ns: <NS>` per `MODULE_IMPORT_NS`
 * in declaration order.
 */
export function modinfo(mod: ModuleDef): string[] {
  return [
    `name: ${mod.name}`,
    `license: ${mod.license}`,
    ...mod.importNs.map((ns) => `import_ns: ${ns}`),
  ];
}

/**
 * The hash that names registered ops (dma-buf exporter / importer ops, a driver's fence ops):
 * FNV-1a over the name's UTF-16 code units, so the id an arena row stores means the same ops in
 * every thread that registered them. Callers fold it into their own id space.
 *
 * Context: any; pure.
 */

/** FNV-1a of `name`, as an int32. */
export function ops_name_hash(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h;
}

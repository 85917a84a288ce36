/** Packed ops: what an actor yields. Bits 24..30 hold the op code, bits 0..23 the object id
 *  (below MAX_OBJECTS). */

export function packOp(op: number, obj: number): number {
  return (op << 24) | (obj & 0xffffff);
}
export function opOf(packed: number): number {
  return packed >>> 24;
}
export function objOf(packed: number): number {
  return packed & 0xffffff;
}

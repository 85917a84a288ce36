/**
 * Device memory contents: one shared WebAssembly.Memory (its buffer is an ordinary
 * SharedArrayBuffer, so every actor thread sees the same bytes), copied with wasm `memory.copy`,
 * which runs near C memcpy speed where TypedArray#set on a SharedArrayBuffer copies word by word
 * (DESIGN §8). This file is the only one that knows where bytes live: page p at pageOffset, and
 * after the pages one page-sized DMA buffer per actor at dmaBuffer, the on-device buffer an
 * engine's read lands in and its write comes from. Each actor has its own, as each hardware
 * engine has: two engines reading into one shared buffer on two CPUs fought over its cache lines
 * (2 × 2 read jobs: 37–59 GB/s per engine at 64 KiB pages, against 81–87 with a buffer each;
 * docs/BENCHMARKS.md, "Two engines: a DMA buffer each, and read jobs").
 */

/**
 * (module (import "env" "mem" (memory 1 65536 shared))
 *   (func (export "copy") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 memory.copy))
 */
const COPY_WASM = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x07, 0x01, 0x60, 0x03, 0x7f, 0x7f, 0x7f, 0x00,
  0x02, 0x0f, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x03, 0x01, 0x80, 0x80, 0x04,
  0x03, 0x02, 0x01, 0x00,
  0x07, 0x08, 0x01, 0x04, 0x63, 0x6f, 0x70, 0x79, 0x00, 0x00,
  0x0a, 0x0e, 0x01, 0x0c, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xfc, 0x0a, 0x00, 0x00, 0x0b,
]);

const WASM_PAGE = 65536;
let compiled: WebAssembly.Module | undefined;

export interface DeviceMemory {
  readonly memory: WebAssembly.Memory;
  readonly bytes: Uint8Array;
  readonly pageBytes: number;
  /** Physical pages; the DMA buffers start after them. */
  readonly pages: number;
  /** DMA buffers: one per actor id 0 .. buffers − 1. */
  readonly buffers: number;
  /** memory.copy of `len` bytes from `src` to `dst` (byte offsets). */
  readonly copy: (dst: number, src: number, len: number) => void;
}

/** What a worker thread needs to attach the same device memory (posted in its task message). */
export interface DeviceMemoryShare {
  readonly memory: WebAssembly.Memory;
  readonly pageBytes: number;
  readonly pages: number;
  readonly buffers: number;
}

/** New zeroed device memory: `pages` pages of `pageBytes` bytes, then `buffers` DMA buffers (one
 *  per actor: an arena's geometry.actors). */
export function createDeviceMemory(pages: number, buffers: number, pageBytes: number): DeviceMemory {
  const wasmPages = Math.max(1, Math.ceil(((pages + buffers) * pageBytes) / WASM_PAGE));
  const memory = new WebAssembly.Memory({ initial: wasmPages, maximum: wasmPages, shared: true });
  return attachDeviceMemory({ memory, pageBytes, pages, buffers });
}

/** The share of `m` another thread attaches with attachDeviceMemory. */
export function shareDeviceMemory(m: DeviceMemory): DeviceMemoryShare {
  return { memory: m.memory, pageBytes: m.pageBytes, pages: m.pages, buffers: m.buffers };
}

/** The same device memory seen from another thread (its share was posted to it). */
export function attachDeviceMemory(share: DeviceMemoryShare): DeviceMemory {
  compiled ??= new WebAssembly.Module(COPY_WASM);
  const inst = new WebAssembly.Instance(compiled, { env: { mem: share.memory } });
  const copy = inst.exports.copy as (dst: number, src: number, len: number) => void;
  return { memory: share.memory, bytes: new Uint8Array(share.memory.buffer), pageBytes: share.pageBytes, pages: share.pages, buffers: share.buffers, copy };
}

/** Byte offset of page `page` (0 ≤ page < m.pages). */
export function pageOffset(m: DeviceMemory, page: number): number {
  return page * m.pageBytes;
}

/** Byte offset of actor `actor`'s DMA buffer. Throws a RangeError (a harness bug, not a model
 *  outcome) unless 0 ≤ actor < m.buffers. */
export function dmaBuffer(m: DeviceMemory, actor: number): number {
  if (!(actor >= 0 && actor < m.buffers)) throw new RangeError(`dmaBuffer: actor ${actor} of ${m.buffers} buffers`);
  return (m.pages + actor) * m.pageBytes;
}

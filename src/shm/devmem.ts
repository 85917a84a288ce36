/**
 * Device memory contents: one shared WebAssembly.Memory (its buffer is an ordinary
 * SharedArrayBuffer, so every actor thread sees the same bytes), copied with wasm `memory.copy`,
 * which runs near C memcpy speed where TypedArray#set on a SharedArrayBuffer copies word by word
 * (DESIGN §8). Page p occupies bytes [p·pageBytes, (p+1)·pageBytes).
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
  /** memory.copy of `len` bytes from `src` to `dst` (byte offsets). */
  readonly copy: (dst: number, src: number, len: number) => void;
}

/** New zeroed device memory of `pages` pages of `pageBytes` bytes. */
export function createDeviceMemory(pages: number, pageBytes: number): DeviceMemory {
  const wasmPages = Math.max(1, Math.ceil((pages * pageBytes) / WASM_PAGE));
  const memory = new WebAssembly.Memory({ initial: wasmPages, maximum: Math.max(wasmPages, 1), shared: true });
  return attachDeviceMemory(memory, pageBytes);
}

/** The same device memory seen from another thread (the Memory object was posted to it). */
export function attachDeviceMemory(memory: WebAssembly.Memory, pageBytes: number): DeviceMemory {
  compiled ??= new WebAssembly.Module(COPY_WASM);
  const inst = new WebAssembly.Instance(compiled, { env: { mem: memory } });
  const copy = inst.exports.copy as (dst: number, src: number, len: number) => void;
  return { memory, bytes: new Uint8Array(memory.buffer), pageBytes, copy };
}

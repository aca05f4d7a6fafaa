// JS views of a run's shared wasm memory that follow its growth.
//
// The memory grows while the program runs (the generated allocator calls memory.grow, on any
// worker). On a shared memory `memory.buffer` then returns a new, longer SharedArrayBuffer over
// the same bytes; views made from the old one stay valid but keep their old length, so an
// address in the new part would be out of range for them. Every host access therefore names the
// end of the bytes it touches, and the views are rebuilt from `memory.buffer` when that end lies
// beyond them: one comparison on the common path, no polling, and no message between workers.
//
// On a thread other than the one that grew it, `memory.buffer` can still be the old, shorter
// buffer for a while: V8 hands each thread the longer one only when that thread next handles an
// interrupt, while the new pages are already usable and their addresses may already have reached
// this thread (a stolen task, a wait word). `memory.grow(0)` refreshes the buffer on the calling
// thread at once (the JS API refreshes it on every grow), so a view that is still too short after
// re-reading `memory.buffer` is rebuilt once more after it.
//
// Ends are unsigned byte offsets; wasm passes addresses as i32, so an address at or above 2 GiB
// arrives negative and `addr + size` is read modulo 2^32.

const ADDRESS_SPACE = 2 ** 32;

export class MemoryViews {
  private bytes = 0;
  private i32View!: Int32Array;
  private u8View!: Uint8Array;
  private dataView!: DataView;

  constructor(readonly memory: WebAssembly.Memory) {
    this.rebuild(memory.buffer);
  }

  /** Current length in bytes as far as these views know (it may have grown since). */
  get byteLength(): number {
    return this.bytes;
  }

  /** An Int32Array over the memory that covers bytes [0, end). */
  i32(end: number): Int32Array {
    if (end > this.bytes || end < 0) this.cover(end);
    return this.i32View;
  }

  /** A Uint8Array over the memory that covers bytes [0, end). */
  u8(end: number): Uint8Array {
    if (end > this.bytes || end < 0) this.cover(end);
    return this.u8View;
  }

  /** A DataView over the memory that covers bytes [0, end). */
  data(end: number): DataView {
    if (end > this.bytes || end < 0) this.cover(end);
    return this.dataView;
  }

  /** A copy of bytes [ptr, ptr + len): decoders reject shared views and the bytes must outlive the call. */
  copy(ptr: number, len: number): Uint8Array {
    const start = ptr >>> 0;
    const end = start + (len >>> 0);
    return this.u8(end).slice(start, end);
  }

  /** Whether [addr, addr + size) lies inside the memory as it is now. */
  contains(addr: number, size: number): boolean {
    const end = (addr >>> 0) + size;
    if (end > this.bytes) this.cover(end);
    return end <= this.bytes;
  }

  /**
   * Rebuilds the views so that they reach `end` if the memory does: from `memory.buffer`, and when
   * that is still too short, from the buffer a `grow(0)` hands this thread. A word past the end
   * even then (a bad pointer) still makes the Atomics call throw a RangeError, which ends the run
   * as a crash.
   */
  private cover(end: number): void {
    const unsigned = end < 0 ? end + ADDRESS_SPACE : end;
    if (unsigned <= this.bytes) return;
    this.rebuild(this.memory.buffer);
    if (unsigned <= this.bytes) return;
    this.memory.grow(0);
    this.rebuild(this.memory.buffer);
  }

  private rebuild(buffer: ArrayBuffer | SharedArrayBuffer): void {
    if (buffer.byteLength === this.bytes && this.i32View) return;
    this.bytes = buffer.byteLength;
    this.i32View = new Int32Array(buffer);
    this.u8View = new Uint8Array(buffer);
    this.dataView = new DataView(buffer);
  }
}

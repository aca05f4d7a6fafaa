// Program output travels through one byte ring in the control buffer: workers append records
// under a lock (so the ring's order is the order in which writes happened, across workers) and
// the coordinator drains it from its event loop without ever blocking. A record is
// [fd: u8][len: u32 LE][len bytes], the same shape as a capture buffer chunk.

import { CTL, OUT_RING_BYTES } from "./protocol.js";

const MASK = OUT_RING_BYTES - 1;
const HEADER = 5;
/** Largest payload per record; a longer write becomes several records under one lock hold. */
const MAX_CHUNK = OUT_RING_BYTES / 4;

export class OutputRingWriter {
  private readonly bytes: Uint8Array;

  constructor(
    private readonly ctl: Int32Array,
    ringByteOffset: number,
  ) {
    this.bytes = new Uint8Array(ctl.buffer, ringByteOffset, OUT_RING_BYTES);
  }

  private lock(): void {
    const ctl = this.ctl;
    for (let spin = 0; spin < 100; spin++) {
      if (Atomics.compareExchange(ctl, CTL.OUT_LOCK, 0, 1) === 0) return;
    }
    // 2 = locked with waiters: the unlocker must notify.
    while (Atomics.exchange(ctl, CTL.OUT_LOCK, 2) !== 0) {
      Atomics.wait(ctl, CTL.OUT_LOCK, 2, 20);
    }
  }

  private unlock(): void {
    if (Atomics.exchange(this.ctl, CTL.OUT_LOCK, 0) === 2) Atomics.notify(this.ctl, CTL.OUT_LOCK, 1);
  }

  /**
   * Appends data; `close` marks the ring closed in the same critical section, so nothing can
   * follow the panic line. Returns false when the ring was already closed.
   */
  write(fd: number, data: Uint8Array, close = false): boolean {
    this.lock();
    try {
      if (Atomics.load(this.ctl, CTL.OUT_CLOSED) !== 0) return false;
      let off = 0;
      do {
        const n = Math.min(MAX_CHUNK, data.length - off);
        this.waitForRoom(HEADER + n);
        let tail = Atomics.load(this.ctl, CTL.OUT_TAIL);
        const header = [fd, n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
        for (const b of header) this.bytes[tail++ & MASK] = b;
        const start = tail & MASK;
        const first = Math.min(n, OUT_RING_BYTES - start);
        this.bytes.set(data.subarray(off, off + first), start);
        if (first < n) this.bytes.set(data.subarray(off + first, off + n), 0);
        Atomics.store(this.ctl, CTL.OUT_TAIL, (tail + n) | 0);
        off += n;
      } while (off < data.length);
      if (close) Atomics.store(this.ctl, CTL.OUT_CLOSED, 1);
      return true;
    } finally {
      this.unlock();
    }
  }

  private waitForRoom(needed: number): void {
    for (;;) {
      const head = Atomics.load(this.ctl, CTL.OUT_HEAD);
      const used = (Atomics.load(this.ctl, CTL.OUT_TAIL) - head) | 0;
      if (OUT_RING_BYTES - used >= needed) return;
      // The coordinator drains until every worker has finished, so room always appears.
      Atomics.wait(this.ctl, CTL.OUT_HEAD, head, 10);
    }
  }
}

/** Coordinator side. */
export class OutputRingReader {
  private readonly bytes: Uint8Array;

  constructor(
    private readonly ctl: Int32Array,
    ringByteOffset: number,
  ) {
    this.bytes = new Uint8Array(ctl.buffer, ringByteOffset, OUT_RING_BYTES);
  }

  /**
   * Takes every complete record out of the ring like `drain`, but hands over each run of
   * consecutive records of one stream as one block. A program printing a line per call fills the
   * ring with tens of thousands of small records; copying the used part of the ring out once
   * and packing the payloads together in that copy costs one allocation per drain instead of one
   * per record (which kept the page's thread busy for tens of milliseconds per drain).
   */
  drainRuns(emit: (fd: 1 | 2, bytes: Uint8Array) => void): void {
    const head = Atomics.load(this.ctl, CTL.OUT_HEAD);
    const tail = Atomics.load(this.ctl, CTL.OUT_TAIL);
    const used = (tail - head) | 0;
    if (used === 0) return;
    const raw = new Uint8Array(used);
    const start = head & MASK;
    const first = Math.min(used, OUT_RING_BYTES - start);
    raw.set(this.bytes.subarray(start, start + first), 0);
    if (first < used) raw.set(this.bytes.subarray(0, used - first), first);
    // Payloads move down over the headers: the write position never passes the read position,
    // and a block already handed over lies wholly below where later payloads are written.
    let read = 0;
    let write = 0;
    let runStart = 0;
    let runFd: 1 | 2 = 1;
    while (read < used) {
      const fd = raw[read] === 2 ? 2 : 1;
      const n = raw[read + 1] | (raw[read + 2] << 8) | (raw[read + 3] << 16) | (raw[read + 4] << 24);
      read += HEADER;
      if (fd !== runFd) {
        if (write > runStart) emit(runFd, raw.subarray(runStart, write));
        runStart = write;
        runFd = fd;
      }
      if (n > 64) raw.copyWithin(write, read, read + n);
      else for (let i = 0; i < n; i++) raw[write + i] = raw[read + i];
      write += n;
      read += n;
    }
    if (write > runStart) emit(runFd, raw.subarray(runStart, write));
    Atomics.store(this.ctl, CTL.OUT_HEAD, tail);
    Atomics.notify(this.ctl, CTL.OUT_HEAD);
  }

  /** Takes every complete record out of the ring, in order. Never blocks. */
  drain(emit: (fd: 1 | 2, bytes: Uint8Array) => void): void {
    let head = Atomics.load(this.ctl, CTL.OUT_HEAD);
    const tail = Atomics.load(this.ctl, CTL.OUT_TAIL);
    if (head === tail) return;
    while (head !== tail) {
      const fd = this.bytes[head & MASK];
      const n =
        this.bytes[(head + 1) & MASK] |
        (this.bytes[(head + 2) & MASK] << 8) |
        (this.bytes[(head + 3) & MASK] << 16) |
        (this.bytes[(head + 4) & MASK] << 24);
      head = (head + HEADER) | 0;
      // Copy out: decoders and the page must never hold views of shared memory.
      const out = new Uint8Array(n);
      const start = head & MASK;
      const first = Math.min(n, OUT_RING_BYTES - start);
      out.set(this.bytes.subarray(start, start + first), 0);
      if (first < n) out.set(this.bytes.subarray(0, n - first), first);
      head = (head + n) | 0;
      emit(fd === 2 ? 2 : 1, out);
    }
    Atomics.store(this.ctl, CTL.OUT_HEAD, head);
    Atomics.notify(this.ctl, CTL.OUT_HEAD);
  }
}

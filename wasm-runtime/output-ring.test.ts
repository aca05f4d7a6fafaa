// The output ring on one thread: records in order, partial lines, wrap-around of the ring and of
// its 32-bit counters, long writes split into records, a full ring that waits for the reader,
// and closing.

import { describe, expect, it } from "vitest";
import { OutputRingReader, OutputRingWriter } from "./output-ring.js";
import { CTL, OUT_RING_BYTES, controlLayout } from "./protocol.js";
import { withWaitsAnswered } from "./testing/atomic-steps.js";

const HEADER = 5;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A control buffer with the ring's counters starting at `start` (as the i32 they are stored as). */
function ring(start = 0) {
  const layout = controlLayout(1);
  const ctl = new Int32Array(new SharedArrayBuffer(layout.totalBytes));
  ctl[CTL.OUT_HEAD] = start | 0;
  ctl[CTL.OUT_TAIL] = start | 0;
  const writer = new OutputRingWriter(ctl, layout.outRingByte);
  const reader = new OutputRingReader(ctl, layout.outRingByte);
  const records: { fd: number; text: string }[] = [];
  const drain = () => reader.drain((fd, bytes) => records.push({ fd, text: decoder.decode(bytes) }));
  return { ctl, writer, drain, records };
}

/** Deterministic bytes whose values depend on their position, so a misplaced byte shows. */
function pattern(n: number, salt: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + salt * 7) & 0xff;
  return out;
}

/** Byte-for-byte equality of two lists of chunks (expect's deep equality is slow on large arrays). */
function sameChunks(a: Uint8Array[], b: Uint8Array[]): boolean {
  return a.length === b.length && a.every((x, i) => x.length === b[i].length && x.every((v, j) => v === b[i][j]));
}

describe("output ring", () => {
  it("delivers records in write order with their fd, partial lines unchanged", () => {
    const r = ring();
    expect(r.writer.write(1, encoder.encode("hel"))).toBe(true);
    expect(r.writer.write(2, encoder.encode("warn\n"))).toBe(true);
    expect(r.writer.write(1, encoder.encode("lo\n"))).toBe(true);
    r.drain();
    expect(r.records).toEqual([
      { fd: 1, text: "hel" },
      { fd: 2, text: "warn\n" },
      { fd: 1, text: "lo\n" },
    ]);
    // Drained: head caught up with tail, and a second drain finds nothing.
    expect(r.ctl[CTL.OUT_HEAD]).toBe(r.ctl[CTL.OUT_TAIL]);
    r.drain();
    expect(r.records.length).toBe(3);
    expect(r.ctl[CTL.OUT_LOCK]).toBe(0);
  });

  it("drainRuns joins consecutive records of one stream, across the ring's end, in order", () => {
    for (const end of [OUT_RING_BYTES, 2 ** 32]) {
      for (let before = 0; before <= HEADER + 70; before += 7) {
        const r = ring(end - before);
        // Small records (copied byte by byte) and one longer than 64 bytes (copied as a block).
        const writes: Array<[1 | 2, Uint8Array]> = [
          [1, pattern(3, 1)],
          [1, pattern(90, 2)],
          [2, pattern(5, 3)],
          [2, pattern(1, 4)],
          [1, pattern(11, 5)],
        ];
        for (const [fd, bytes] of writes) r.writer.write(fd, bytes);
        const got: Array<[number, Uint8Array]> = [];
        new OutputRingReader(r.ctl, controlLayout(1).outRingByte).drainRuns((fd, bytes) => got.push([fd, bytes.slice()]));
        const join = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
        expect(got, `end ${end}, ${before} bytes before it`).toEqual([
          [1, join(writes[0][1], writes[1][1])],
          [2, join(writes[2][1], writes[3][1])],
          [1, writes[4][1]],
        ]);
        expect(r.ctl[CTL.OUT_HEAD]).toBe(r.ctl[CTL.OUT_TAIL]);
      }
    }
  });

  it("wraps around the end of the ring at every offset of header and payload", () => {
    // Counters placed so a record's header or payload straddles the ring's end, and so the
    // counters themselves pass 2^31 and 2^32 (they are i32 and wrap).
    const ends = [OUT_RING_BYTES, 2 ** 31, 2 ** 32];
    for (const end of ends) {
      for (let before = 0; before <= HEADER + 4; before++) {
        const r = ring(end - before);
        const payloads = [pattern(7, before), pattern(1, before + 1), pattern(13, before + 2)];
        for (const p of payloads) r.writer.write(1, p);
        const got: Uint8Array[] = [];
        new OutputRingReader(r.ctl, controlLayout(1).outRingByte).drain((_fd, bytes) => got.push(bytes));
        expect(got, `end ${end}, ${before} bytes before it`).toEqual(payloads);
      }
    }
  });

  it("splits a write longer than a quarter of the ring into records that join up again", () => {
    const r = ring(OUT_RING_BYTES - 3);
    const big = pattern(OUT_RING_BYTES / 2 + 123, 5);
    let drained = new Uint8Array(0);
    let records = 0;
    // A write larger than the free room waits for the reader; answer each wait with a drain.
    const reader = new OutputRingReader(r.ctl, controlLayout(1).outRingByte);
    const take = () =>
      reader.drain((_fd, bytes) => {
        records++;
        const next = new Uint8Array(drained.length + bytes.length);
        next.set(drained);
        next.set(bytes, drained.length);
        drained = next;
      });
    withWaitsAnswered(() => r.writer.write(1, big), take);
    take();
    expect(records).toBe(3);
    expect(sameChunks([drained], [big])).toBe(true);
  });

  it("a writer facing a full ring waits until the reader makes room, then completes in order", () => {
    const r = ring();
    const quarter = OUT_RING_BYTES / 4;
    const blocks = [0, 1, 2, 3, 4, 5].map((k) => pattern(quarter - HEADER - 1, k));
    let waits = 0;
    const got: Uint8Array[] = [];
    const reader = new OutputRingReader(r.ctl, controlLayout(1).outRingByte);
    withWaitsAnswered(
      () => {
        for (const b of blocks) expect(r.writer.write(1, b)).toBe(true);
      },
      () => {
        waits++;
        // The ring is full: nothing more was written while the writer waited.
        const used = (r.ctl[CTL.OUT_TAIL] - r.ctl[CTL.OUT_HEAD]) | 0;
        expect(OUT_RING_BYTES - used).toBeLessThan(quarter);
        reader.drain((_fd, bytes) => got.push(bytes));
      },
    );
    reader.drain((_fd, bytes) => got.push(bytes));
    // Four blocks fit (with their headers) before the fifth must wait.
    expect(waits).toBeGreaterThanOrEqual(1);
    expect(got.length).toBe(blocks.length);
    expect(sameChunks(got, blocks)).toBe(true);
  });

  it("after a closing write, nothing more enters the ring", () => {
    const r = ring();
    expect(r.writer.write(1, encoder.encode("last line\n"), true)).toBe(true);
    expect(r.writer.write(1, encoder.encode("too late\n"))).toBe(false);
    expect(r.writer.write(2, new Uint8Array(0), true)).toBe(false);
    r.drain();
    expect(r.records).toEqual([{ fd: 1, text: "last line\n" }]);
    expect(r.ctl[CTL.OUT_LOCK]).toBe(0);
  });
});

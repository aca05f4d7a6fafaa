// The profile's strand clocks in Node on Linux: the thread's own running time, so that other
// programs on a busy machine, and more workers than cores, do not inflate strands.
//
// First choice, threadCpuClock: the kernel's per-thread CPU clock, exact at every read. It is
// reached through Node's WASI binding (clock_time_get), as Node 20 has no other per-thread CPU
// clock. Fallback, threadRunningClock: /proc/thread-self/schedstat,
// "<on-CPU ns> <runnable-but-waiting ns> <times switched in>", with two corrections, each with a
// weakness the other covers:
//   - wall time minus the growth of the wait-for-CPU figure: exact to the microsecond, but blind
//     to pauses of the whole virtual CPU (an overcommitted host), which look like running;
//   - the growth of the on-CPU figure: never counts a pause, but the kernel updates it only at
//     scheduler ticks and switches, so it lags by up to one tick.
// It takes the first unless that exceeds the second by more than a tick (the first then
// includes a pause), in which case it takes the second; the lag makes single strands off by up
// to a tick either way, which is why the CPU clock comes first. Sleeping (Atomics.wait) is never
// inside a strand. Without either (another OS, a browser) the profile uses performance.now().

import { openSync, readSync } from "node:fs";
import { createRequire } from "node:module";
import type { StrandClock } from "./profile.js";

/**
 * The thread's CPU time (CLOCK_THREAD_CPUTIME_ID), read through Node's WASI binding, which is the
 * one way Node 20 exposes it. Exact to the nanosecond at every read (the kernel adds the running
 * slice), and it counts neither time waiting for a CPU nor, with paravirtual steal accounting,
 * pauses of the virtual CPU. undefined when WASI or the clock is unavailable.
 */
export function threadCpuClock(): StrandClock | undefined {
  let read: () => number;
  try {
    read = cpuTimeReader ??= makeCpuTimeReader();
    read();
  } catch {
    return undefined;
  }
  let start = 0;
  return {
    mark: () => void (start = read()),
    sinceMark: () => Math.max(0, read() - start),
  };
}

/** The WASI id of CLOCK_THREAD_CPUTIME_ID. */
const THREAD_CPUTIME = 3;

/** (module (memory (export "memory") 1) (func (export "_initialize"))): a home for the result. */
const CLOCK_MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x05, 0x03, 0x01, 0x00, 0x01,
  0x07, 0x18, 0x02, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00, 0x0b, 0x5f, 0x69, 0x6e, 0x69, 0x74, 0x69, 0x61, 0x6c, 0x69, 0x7a, 0x65, 0x00, 0x00,
  0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b,
]);

/** One per thread: the WASI instance outlives the runs. */
let cpuTimeReader: (() => number) | undefined;

function makeCpuTimeReader(): () => number {
  const wasi = quietly(() => {
    const { WASI } = createRequire(import.meta.url)("node:wasi") as typeof import("node:wasi");
    return new WASI({ version: "preview1" });
  });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(CLOCK_MODULE), {});
  wasi.initialize(instance);
  const clockTimeGet = (wasi.wasiImport as Record<string, (id: number, precision: bigint, out: number) => number>).clock_time_get;
  const ns = new BigUint64Array((instance.exports.memory as WebAssembly.Memory).buffer, 0, 1);
  return () => {
    if (clockTimeGet(THREAD_CPUTIME, 0n, 0) !== 0) throw new Error("no thread CPU clock");
    return Number(ns[0]) / 1e6;
  };
}

/** Runs `f` without experimental-feature warnings (they would reach the program's stderr). */
function quietly<T>(f: () => T): T {
  const emit = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const type = typeof rest[0] === "string" ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
    if (type === "ExperimentalWarning") return;
    (emit as (...a: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return f();
  } finally {
    process.emitWarning = emit;
  }
}

/** Longest lag of the on-CPU figure: one scheduler tick at 250 Hz. */
export const TICK_MS = 4;

/** undefined when the kernel does not provide per-thread scheduler statistics. */
export function threadRunningClock(): StrandClock | undefined {
  let fd: number;
  try {
    fd = openSync("/proc/thread-self/schedstat", "r");
  } catch {
    return undefined;
  }
  const buf = new Uint8Array(96);
  let onCpu = 0;
  let waited = 0;
  /** Reads the first two numbers (ns) into onCpu and waited (ms), without allocating. */
  const read = (): void => {
    const n = readSync(fd, buf, 0, buf.length, 0);
    let i = 0;
    let v = 0;
    for (; i < n && buf[i] >= 48 && buf[i] <= 57; i++) v = v * 10 + (buf[i] - 48);
    onCpu = v / 1e6;
    v = 0;
    for (i++; i < n && buf[i] >= 48 && buf[i] <= 57; i++) v = v * 10 + (buf[i] - 48);
    waited = v / 1e6;
  };
  try {
    read();
  } catch {
    return undefined;
  }
  let markWall = 0;
  let markOnCpu = 0;
  let markWaited = 0;
  return {
    mark(): void {
      read();
      markWall = performance.now();
      markOnCpu = onCpu;
      markWaited = waited;
    },
    sinceMark(): number {
      // The wall time first, so the read itself is outside the strand.
      const wall = performance.now();
      read();
      const exact = wall - markWall - (waited - markWaited);
      const coarse = onCpu - markOnCpu;
      return Math.max(0, exact <= coarse + TICK_MS ? exact : coarse);
    },
  };
}

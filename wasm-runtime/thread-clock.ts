// The profile's strand clock on Linux (Node), from /proc/thread-self/schedstat:
// "<on-CPU ns> <runnable-but-waiting ns> <times switched in>".
//
// On a loaded machine a strand's wall time includes other programs' turns on the CPU. Two
// corrections, each with a weakness the other covers:
//   - wall time minus the growth of the wait-for-CPU figure: exact to the microsecond, but blind
//     to pauses of the whole virtual CPU (an overcommitted host), which look like running;
//   - the growth of the on-CPU figure: never counts a pause, but the kernel updates it only at
//     scheduler ticks and switches, so it lags by up to one tick.
// A strand takes the first unless it exceeds the second by more than a tick (the first then
// includes a pause), in which case it takes the second. Sleeping (Atomics.wait) is never inside
// a strand. Without the file (another OS, a browser) the profile uses performance.now().

import { openSync, readSync } from "node:fs";
import type { StrandClock } from "./profile.js";

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

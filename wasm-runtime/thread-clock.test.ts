// The profile's strand clocks: a thread's CPU time counts its computing and never its sleeping,
// whatever else the machine is doing.

import { describe, expect, it } from "vitest";
import { threadCpuClock, threadRunningClock, TICK_MS } from "./thread-clock.js";
import type { StrandClock } from "./profile.js";

function busyFor(wallMs: number): number {
  const until = performance.now() + wallMs;
  let x = 0;
  while (performance.now() < until) x = (x * 31 + 7) % 1000003;
  return x;
}

function sleepFor(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

const clocks: [string, () => StrandClock | undefined][] = [
  ["the CPU clock", threadCpuClock],
  ["the schedstat clock", threadRunningClock],
];

describe.runIf(process.platform === "linux")("strand clocks on Linux", () => {
  it("the CPU clock is available here (through Node's WASI binding)", () => {
    expect(threadCpuClock()).toBeDefined();
  });

  for (const [name, make] of clocks) {
    it(`${name}: a sleeping thread runs for no time`, () => {
      const clock = make()!;
      clock.mark();
      sleepFor(60);
      // The schedstat clock may be up to a tick off at each end; the CPU clock counts only the wake-up.
      expect(clock.sinceMark()).toBeLessThan(name === "the CPU clock" ? 1 : 2 * TICK_MS);
    });

    it(`${name}: a computing thread runs for at most the wall time`, () => {
      const clock = make()!;
      const wall0 = performance.now();
      clock.mark();
      busyFor(40);
      const ran = clock.sinceMark();
      const wall = performance.now() - wall0;
      expect(ran).toBeGreaterThan(0);
      expect(ran).toBeLessThanOrEqual(wall + (name === "the CPU clock" ? 0.5 : 2 * TICK_MS));
    });
  }

  it("the CPU clock reads exactly between ticks: consecutive short strands add up to one long one", () => {
    const clock = threadCpuClock()!;
    clock.mark();
    let parts = 0;
    const whole = (() => {
      const outer = threadCpuClock()!;
      outer.mark();
      for (let i = 0; i < 20; i++) {
        clock.mark();
        busyFor(0.5);
        parts += clock.sinceMark();
      }
      return outer.sinceMark();
    })();
    // Twenty half-millisecond strands, each far below a 4 ms scheduler tick, all measured.
    expect(parts).toBeGreaterThan(0);
    expect(parts).toBeLessThanOrEqual(whole + 0.01);
    // Reads and loop control outside the strands are the only difference.
    expect(whole - parts).toBeLessThan(Math.max(1, 0.5 * whole));
  });
});

// How runs end and what reaches the output: ordering, volume, timeouts, stop, deadlock,
// traps, re-run latency, and the sequential (single-worker, unshared) mode.

import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunOptions, RunResult, Runner, WorkerLike } from "./api.js";
import { createNodeRunner } from "./node.js";
import { WorkerPool } from "./pool.js";
import {
  bigOutputProgram,
  counterProgram,
  deadlockProgram,
  exitCodeProgram,
  floatRoundTripProgram,
  fibProgram,
  outputProgram,
  panicProgram,
  rendezvousProgram,
  spinForeverProgram,
  trapProgram,
} from "./testing/programs.js";

let runner: Runner;

beforeAll(() => {
  runner = createNodeRunner(4);
});
afterAll(() => runner.dispose());

async function runOn(r: Runner, wasm: Uint8Array, options: Partial<RunOptions> = {}): Promise<{ result: RunResult; out: string; err: string }> {
  let out = "";
  let err = "";
  const result = await r.run({ wasm, onOutput: (fd, text) => (fd === 1 ? (out += text) : (err += text)), ...options });
  return { result, out, err };
}
const run = (wasm: Uint8Array, options: Partial<RunOptions> = {}) => runOn(runner, wasm, options);

function checkTaskOutput(out: string, tasks: number, lines: number): void {
  const all = out.split("\n");
  expect(all.pop()).toBe(""); // ends with a newline: nothing cut off
  expect(all[0]).toBe("-1");
  expect(all[all.length - 1]).toBe("-2");
  const body = all.slice(1, -1).map(Number);
  expect(body.length).toBe(tasks * lines);
  const next = new Array<number>(tasks).fill(0);
  for (const v of body) {
    const k = Math.floor(v / 100000);
    expect(v % 100000).toBe(next[k]); // each task's lines arrive complete and in its order
    next[k]++;
  }
  expect(next.every((c) => c === lines)).toBe(true);
}

describe("output", () => {
  it("lines written from many tasks arrive complete, in each task's order, none lost", async () => {
    const wasm = outputProgram(24, 40, 20000);
    for (const workers of [1, 2, 4]) {
      for (let i = 0; i < 10; i++) {
        const { result, out } = await run(wasm, { workers });
        expect(result.status).toBe("ok");
        checkTaskOutput(out, 24, 40);
      }
    }
  });

  it("output much larger than the ring arrives whole, on the right stream", async () => {
    const { result, out } = await run(bigOutputProgram(100, 65536), { workers: 2 });
    expect(result.status).toBe("ok");
    expect(out.length).toBe(100 * 65536);
    expect(out).toBe(("a".repeat(65535) + "\n").repeat(100));
    const e = await run(bigOutputProgram(3, 1000, 2), { workers: 2 });
    expect(e.out).toBe("");
    expect(e.err).toBe(("a".repeat(999) + "\n").repeat(3));
  });

  it("floats print and parse like Rust", async () => {
    const cases: [string, string][] = [
      ["1.0", "1"],
      ["-0.0", "-0"],
      ["1e21", "1000000000000000000000"],
      ["1e-7", "0.0000001"],
      ["0.1", "0.1"],
      ["inf", "inf"],
      ["-infinity", "-inf"],
      ["NaN", "NaN"],
      ["1.5e300", "15" + "0".repeat(299)],
      [".5", "0.5"],
      ["5.", "5"],
      ["+2.25", "2.25"],
      ["1e", "err\n"],
      ["0x10", "err\n"],
      [" 1", "err\n"],
      ["", "err\n"],
    ];
    for (const [input, expected] of cases) {
      const { result, out } = await run(floatRoundTripProgram(input), { workers: 1 });
      expect(result.status).toBe("ok");
      expect(out, input).toBe(expected);
    }
  });
});

describe("ending a run", () => {
  it("a run that never finishes times out, keeps its output, and the next run works", async () => {
    const t0 = performance.now();
    const { result, out } = await run(spinForeverProgram(), { workers: 2, timeoutMs: 300 });
    expect(result.status).toBe("timeout");
    expect(result.exitCode).toBe(1);
    expect(out).toBe("7\n");
    expect(performance.now() - t0).toBeLessThan(2000);
    const after = await run(counterProgram(8, 100), { workers: 4 });
    expect(after.result.status).toBe("ok");
    expect(after.out).toBe("800\n");
  });

  it("stop() ends a run at once and the pool recovers", async () => {
    const pending = run(spinForeverProgram(), { workers: 4 });
    await new Promise((r) => setTimeout(r, 100));
    const t0 = performance.now();
    runner.stop();
    const { result } = await pending;
    expect(result.status).toBe("stopped");
    expect(performance.now() - t0).toBeLessThan(500);
    const after = await run(fibProgram(12), { workers: 4 });
    expect(after.result.status).toBe("ok");
    expect(after.out).toBe("144\n");
  });

  it("main's RESULT word is the exit code: non-zero ends the run as error-result", async () => {
    const failed = await run(exitCodeProgram(1), { workers: 2 });
    expect(failed.result.status).toBe("error-result");
    expect(failed.result.exitCode).toBe(1);
    expect(failed.out).toBe("9\n");
    const custom = await run(exitCodeProgram(3), { workers: 1 });
    expect(custom.result.exitCode).toBe(3);
    const fine = await run(exitCodeProgram(0), { workers: 2 });
    expect(fine.result.status).toBe("ok");
    expect(fine.result.exitCode).toBe(0);
  });

  it("a trap in a task ends the run as a crash, naming the trap", async () => {
    const { result, out } = await run(trapProgram(), { workers: 2 });
    expect(result.status).toBe("crash");
    expect(result.exitCode).toBe(1);
    expect(result.message).toMatch(/wasm trap: unreachable/);
    expect(out).toBe("5\n");
  });

  it("a program where every worker is blocked is reported as a deadlock naming the waiting tasks", async () => {
    for (const workers of [1, 3]) {
      const direct = await run(deadlockProgram(true), { workers });
      expect(direct.result.status).toBe("deadlock");
      expect(direct.result.exitCode).toBe(1);
      expect(direct.result.message).toMatch(/task 1 \(main\) waits on address \d+/);
      expect(direct.out).toBe("1\n");
      const viaJoin = await run(deadlockProgram(false), { workers });
      expect(viaJoin.result.status).toBe("deadlock");
      expect(viaJoin.result.message).toMatch(/task 2 \(par, line 12\) waits on address \d+/);
      // Whether main joins from its own worker or another one stole the child depends on timing.
      expect(viaJoin.out).toBe("1\n");
    }
  });

  it("par branches that meet through wait/notify finish on any number of workers, even one", async () => {
    for (const workers of [1, 2, 4]) {
      for (let i = 0; i < 10; i++) {
        const { result, out } = await run(rendezvousProgram(), { workers });
        expect(result.status).toBe("ok");
        expect(out).toBe("42\n");
      }
    }
  });

  it("a re-run on a warm pool takes well under 100 ms", async () => {
    const wasm = fibProgram(10);
    await run(wasm, { workers: 4 });
    // Best of five, so a busy machine's scheduling hiccup does not decide the outcome.
    let best = Infinity;
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const { result } = await run(wasm, { workers: 4 });
      best = Math.min(best, performance.now() - t0);
      expect(result.status).toBe("ok");
    }
    expect(best).toBeLessThan(100);
  });

  it("refuses a second run while one is in progress", async () => {
    const first = run(fibProgram(10), { workers: 2 });
    await expect(runner.run({ wasm: fibProgram(5) })).rejects.toThrow(/in progress/);
    expect((await first).result.status).toBe("ok");
  });

  it("reports a module that cannot be compiled as a crash", async () => {
    const { result } = await run(new Uint8Array([1, 2, 3]), { workers: 1 });
    expect(result.status).toBe("crash");
    expect(result.message).toMatch(/cannot start/);
  });
});

describe("sequential mode (no memory shared with the coordinator)", () => {
  let seq: WorkerPool;
  beforeAll(() => {
    const factory = (): WorkerLike => {
      const w = new Worker(new URL("./node-worker.mjs", import.meta.url));
      w.unref();
      return {
        postMessage: (m) => w.postMessage(m),
        onMessage: (h) => void w.on("message", h),
        onError: (h) => void w.on("error", h),
        terminate: () => void w.terminate(),
      };
    };
    seq = new WorkerPool(factory, 4, "sequential");
  });
  afterAll(() => seq.dispose());

  it("runs the same programs on one worker with the same output", async () => {
    expect(seq.size).toBe(1);
    const c = await runOn(seq, counterProgram(64, 1000), { workers: 4 });
    expect(c.result.status).toBe("ok");
    expect(c.out).toBe("64000\n");
    const o = await runOn(seq, outputProgram(5, 10, 100));
    checkTaskOutput(o.out, 5, 10);
    const p = await runOn(seq, panicProgram("before\n", "panic: no", 3));
    expect(p.result.status).toBe("panic");
    expect(p.out).toBe("before\npanic: no\n");
    const d = await runOn(seq, deadlockProgram(false));
    expect(d.result.status).toBe("deadlock");
    const r = await runOn(seq, rendezvousProgram());
    expect(r.out).toBe("42\n");
  });
});

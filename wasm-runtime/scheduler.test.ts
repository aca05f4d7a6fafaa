// The pool and scheduler on real worker_threads, driven by hand-written ABI modules.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunOptions, RunResult, Runner } from "./api.js";
import { createNodeRunner } from "./node.js";
import { counterProgram, fibProgram, nestedParProgram, panicAmongProgram, panicProgram } from "./testing/programs.js";

let runner: Runner;

beforeAll(() => {
  runner = createNodeRunner(8);
});
afterAll(() => runner.dispose());

async function run(wasm: Uint8Array, options: Partial<RunOptions> = {}): Promise<{ result: RunResult; out: string; err: string }> {
  let out = "";
  let err = "";
  const result = await runner.run({ wasm, onOutput: (fd, text) => (fd === 1 ? (out += text) : (err += text)), ...options });
  return { result, out, err };
}

function fib(n: number): number {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

describe("fork / join", () => {
  const counter = counterProgram(64, 1000);

  for (const workers of [1, 2, 8]) {
    it(`64 tasks x 1000 atomic adds give the exact count, 200 runs on ${workers} worker(s)`, async () => {
      for (let i = 0; i < 200; i++) {
        const { result, out } = await run(counter, { workers });
        expect(result.status).toBe("ok");
        expect(result.exitCode).toBe(0);
        expect(out).toBe(`${64 * 1000}\n`);
      }
    });
  }

  it("exact count with random delays shaking the schedule", async () => {
    const shaken = counterProgram(32, 2000, 20000);
    for (const workers of [2, 3, 8]) {
      for (let i = 0; i < 15; i++) {
        const { result, out } = await run(shaken, { workers });
        expect(result.status).toBe("ok");
        expect(out).toBe(`${32 * 2000}\n`);
      }
    }
  });

  it("nested par 4 levels deep (fork, run_inline, join at every level)", async () => {
    for (const workers of [1, 2, 8]) {
      for (let i = 0; i < 20; i++) {
        const { result, out } = await run(nestedParProgram(4, 3, i % 2 === 0 ? 1 : 3000), { workers });
        expect(result.status).toBe("ok");
        expect(out).toBe(`${3 ** 4}\n`);
      }
    }
  });

  it("recursive fan-out: fib with a fork at every level, depth 18", async () => {
    const wasm = fibProgram(18);
    for (const workers of [1, 2, 8]) {
      for (let i = 0; i < 5; i++) {
        const { result, out } = await run(wasm, { workers });
        expect(result.status).toBe("ok");
        expect(out).toBe(`${fib(18)}\n`);
      }
    }
  });

  it("records which worker ran each task and marks stolen tasks", async () => {
    const { result } = await run(fibProgram(14, 2000), { workers: 2, trace: true });
    expect(result.status).toBe("ok");
    const tasks = result.trace!.tasks;
    // fib(14) makes one task per call: 2 * fib(15) - 1, plus main.
    expect(tasks.length).toBe(2 * fib(15) - 1 + 1);
    expect(new Set(tasks.map((t) => t.id)).size).toBe(tasks.length);
    for (const t of tasks) {
      expect(t.worker === 0 || t.worker === 1).toBe(true);
      expect(t.end_us).toBeGreaterThanOrEqual(t.start_us);
    }
    // Worker 1 can only have obtained tasks by stealing (or as descendants of stolen ones).
    const main = tasks.find((t) => t.kind === "main")!;
    expect(main.worker).toBe(0);
    expect(main.parent).toBe(0);
    expect(tasks.filter((t) => t.stolen).every((t) => t.kind === "par")).toBe(true);
  });
});

describe("panics", () => {
  it("a panic three levels deep ends the run with status panic, exit 1, prior output kept", async () => {
    const line = "panic at deep.kara:7:9 in leaf: boom";
    for (const workers of [1, 2, 8]) {
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        const { result, out } = await run(panicProgram("before\n", line, 3, 2), { workers });
        expect(performance.now() - t0).toBeLessThan(1000);
        expect(result.status).toBe("panic");
        expect(result.exitCode).toBe(1);
        expect(result.message).toBe(line);
        // The panic line follows earlier output; main's second print never happens.
        expect(out).toBe(`before\n${line}\n`);
      }
    }
  });

  it("a panic among many concurrent tasks ends every run promptly, whatever the schedule", async () => {
    for (const workers of [2, 8]) {
      for (let i = 0; i < 25; i++) {
        const failing = (i * 7) % 32;
        const t0 = performance.now();
        const { result, out } = await run(panicAmongProgram(32, failing, "panic: task failed", 200000), { workers });
        expect(performance.now() - t0).toBeLessThan(1000);
        expect(result.status).toBe("panic");
        const lines = out.split("\n");
        expect(lines.pop()).toBe("");
        // The panic line is last; before it only whole lines from tasks other than the failing one.
        expect(lines.pop()).toBe("panic: task failed");
        for (const l of lines) {
          expect(Number(l)).toBeGreaterThanOrEqual(0);
          expect(Number(l)).not.toBe(failing);
        }
        expect(new Set(lines).size).toBe(lines.length);
      }
    }
  });

  it("a chain of 3000 nested joins on one worker does not overflow the stack", async () => {
    const { result, out } = await run(panicProgram("x\n", "panic: bottom", 3000), { workers: 1 });
    expect(result.status).toBe("panic");
    expect(out).toBe("x\npanic: bottom\n");
  });

  it("the pool is healthy after a panic", async () => {
    await run(panicProgram("x\n", "panic: first", 2), { workers: 8 });
    const { result, out } = await run(counterProgram(16, 100), { workers: 8 });
    expect(result.status).toBe("ok");
    expect(out).toBe("1600\n");
  });
});

describe("trace", () => {
  it("two CPU-heavy tasks overlap on different workers", async () => {
    // main forks two long leaves through fib(2): one runs inline, one is stolen.
    let overlapped = false;
    for (let attempt = 0; attempt < 5 && !overlapped; attempt++) {
      const { result } = await run(fibProgram(2, 30_000_000), { workers: 2, trace: true });
      expect(result.status).toBe("ok");
      const trace = result.trace!;
      expect(trace.workers).toBe(2);
      const main = trace.tasks.find((t) => t.kind === "main")!;
      const root = trace.tasks.find((t) => t.parent === main.id)!;
      const leaves = trace.tasks.filter((t) => t.parent === root.id);
      expect(leaves.length).toBe(2);
      const [a, b] = leaves;
      overlapped = a.worker !== b.worker && a.start_us < b.end_us && b.start_us < a.end_us;
    }
    expect(overlapped).toBe(true);
  });
});

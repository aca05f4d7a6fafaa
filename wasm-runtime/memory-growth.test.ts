// The run's shared memory starts small and grows on demand (memory-limits.ts); a growth made by
// one worker must be visible to the host code of every other worker (memory-views.ts).

import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MEMORY_MAX_PAGES, MEMORY_MIN_PAGES } from "../compiler/abi.js";
import type { RunOptions, RunResult, Runner, WorkerLike } from "./api.js";
import { DEFAULT_INITIAL_PAGES, PLATFORM_MAX_PAGES, planMemory } from "./memory-limits.js";
import { MemoryViews } from "./memory-views.js";
import { createNodeRunner } from "./node.js";
import { WorkerPool } from "./pool.js";
import { memoryGrowthProgram } from "./testing/programs.js";

async function runOn(runner: Runner, options: RunOptions): Promise<{ result: RunResult; out: string }> {
  let out = "";
  const result = await runner.run({ ...options, onOutput: (_fd, text) => (out += text) });
  return { result, out };
}

describe("memory plan", () => {
  it("starts at the default size and grows to the platform limit unless told otherwise", () => {
    expect(planMemory({}, PLATFORM_MAX_PAGES.node)).toEqual({ initialPages: DEFAULT_INITIAL_PAGES, maxPages: MEMORY_MAX_PAGES, explicitMax: false });
    expect(planMemory({}, PLATFORM_MAX_PAGES.browser).maxPages).toBe(32768);
    expect(planMemory({ memoryPages: 100, maxMemoryPages: 1000 }, PLATFORM_MAX_PAGES.node)).toEqual({ initialPages: 100, maxPages: 1000, explicitMax: true });
  });

  it("clamps to the module's declared limits and never starts above the maximum", () => {
    expect(planMemory({ memoryPages: 1, maxMemoryPages: 1 }, PLATFORM_MAX_PAGES.node)).toMatchObject({ initialPages: MEMORY_MIN_PAGES, maxPages: MEMORY_MIN_PAGES });
    expect(planMemory({ maxMemoryPages: 1e9 }, PLATFORM_MAX_PAGES.node).maxPages).toBe(MEMORY_MAX_PAGES);
    expect(planMemory({ memoryPages: 5000, maxMemoryPages: 300 }, PLATFORM_MAX_PAGES.node)).toMatchObject({ initialPages: 300, maxPages: 300 });
  });
});

describe("memory views", () => {
  it("follow a growth of the memory and keep the bytes written before it", () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 4, shared: true });
    const views = new MemoryViews(memory);
    views.u8(10).set([1, 2, 3], 7);
    expect(views.byteLength).toBe(65536);
    memory.grow(2);
    // An access inside the old size needs no refresh; one past it sees the new pages.
    expect(views.byteLength).toBe(65536);
    Atomics.store(views.i32(3 * 65536), (3 * 65536 - 4) >>> 2, 99);
    expect(views.byteLength).toBe(3 * 65536);
    expect(new Int32Array(memory.buffer)[(3 * 65536 - 4) >>> 2]).toBe(99);
    expect(Array.from(views.copy(7, 3))).toEqual([1, 2, 3]);
    expect(views.contains(3 * 65536 - 4, 4)).toBe(true);
    expect(views.contains(3 * 65536, 4)).toBe(false);
  });
});

describe("growth across workers", () => {
  let runner: Runner;
  beforeAll(() => {
    runner = createNodeRunner(4);
  });
  afterAll(() => runner.dispose());

  const text = "written into the new pages\n";

  for (const workers of [2, 4]) {
    it(`a worker grows the memory; the host code of the others reads the new pages (${workers} workers, 20 runs)`, async () => {
      for (let i = 0; i < 20; i++) {
        const { result, out } = await runOn(runner, { wasm: memoryGrowthProgram(16, text), workers, memoryPages: 64, maxMemoryPages: 200, trace: true, jitterUs: i % 2 ? 30 : 0 });
        expect(result.status).toBe("ok");
        // printer (in the new pages), old size, new size, the limit the host wrote, main's read.
        expect(out).toBe(`${text}64\n80\n200\n${text}`);
        const tasks = result.trace!.tasks;
        const main = tasks.find((t) => t.kind === "main")!;
        const grower = tasks.find((t) => t.line === 2)!;
        // main never joined the grower, so another worker ran it and main's worker read the growth.
        expect(grower.worker).not.toBe(main.worker);
      }
    });
  }

  it("stops growing at the configured maximum", async () => {
    const { result, out } = await runOn(runner, { wasm: memoryGrowthProgram(16, text), workers: 2, memoryPages: 64, maxMemoryPages: 72 });
    expect(result.status).toBe("ok");
    expect(out).toBe("-1\n64\n72\n");
  });

  it("grows in sequential mode too (the worker creates the memory)", async () => {
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
    const seq = new WorkerPool(factory, 1, "sequential");
    try {
      // One worker: main's wait runs the grower itself (every other worker is "waiting").
      const { result, out } = await runOn(seq, { wasm: memoryGrowthProgram(16, text), memoryPages: 64, maxMemoryPages: 100 });
      expect(result.status).toBe("ok");
      expect(out).toBe(`${text}64\n80\n100\n${text}`);
    } finally {
      seq.dispose();
    }
  });
});

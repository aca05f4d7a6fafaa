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

describe("memory views on a thread the growth has not reached yet", () => {
  // What a worker sees right after another one grew the memory (V8 updates each thread's
  // `memory.buffer` only when that thread handles an interrupt): the new pages are in use, but
  // `memory.buffer` on this thread is still the old buffer until a grow on this thread refreshes it.
  function laggingMemory(initial: number) {
    const real = new WebAssembly.Memory({ initial, maximum: 64, shared: true });
    let seen: ArrayBuffer | undefined;
    const memory = {
      get buffer() {
        return seen ?? real.buffer;
      },
      grow(delta: number) {
        seen = undefined;
        return real.grow(delta);
      },
    } as unknown as WebAssembly.Memory;
    const growElsewhere = (delta: number) => {
      seen = real.buffer;
      real.grow(delta);
    };
    return { memory, real, growElsewhere };
  }

  it("reach an address in pages another thread has just added", () => {
    const { memory, real, growElsewhere } = laggingMemory(1);
    const views = new MemoryViews(memory);
    growElsewhere(3);
    new Int32Array(real.buffer)[(4 * 65536 - 4) >>> 2] = 7;
    const last = 4 * 65536 - 4;
    expect(Atomics.load(views.i32(last + 4), last >>> 2)).toBe(7);
    expect(views.byteLength).toBe(4 * 65536);
    expect(Array.from(views.u8(4 * 65536).subarray(last, last + 1))).toEqual([7]);
    expect(views.contains(last, 4)).toBe(true);
  });

  it("tell a bad pointer from a growth they have not seen", () => {
    const { memory, growElsewhere } = laggingMemory(1);
    const views = new MemoryViews(memory);
    growElsewhere(1);
    expect(views.contains(2 * 65536 - 4, 4)).toBe(true);
    expect(views.contains(2 * 65536, 4)).toBe(false);
    expect(() => Atomics.load(views.i32(2 * 65536 + 4), (2 * 65536) >>> 2)).toThrow(RangeError);
  });

  it("read ends at or above 2 GiB, where wasm's i32 addresses turn negative, as unsigned", () => {
    // 2 GiB, then one page more: the word at 0x8000_0000 is reached by an i32 address < 0.
    const memory = new WebAssembly.Memory({ initial: 32768, maximum: 32769, shared: true });
    const views = new MemoryViews(memory);
    memory.grow(1);
    const addr = 0x80000000 | 0;
    Atomics.store(new Int32Array(memory.buffer), addr >>> 2, 5);
    expect(Atomics.load(views.i32(addr + 4), addr >>> 2)).toBe(5);
    expect(views.contains(addr, 4)).toBe(true);
    expect(views.contains(addr + 65536, 4)).toBe(false);
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

describe("growth seen by another thread at once", () => {
  // V8 hands another thread a grown shared memory's longer `buffer` only when that thread next
  // handles an interrupt, so right after a growth elsewhere `memory.buffer` can still be the old,
  // shorter one. A worker that learns of a new address (a stolen task, a wait word) and touches it
  // straight away must still get a view that covers it.
  it("an address in pages another thread has just added is always accessible (1500 growths)", async () => {
    const rounds = 1500;
    const memory = new WebAssembly.Memory({ initial: 1, maximum: rounds + 1, shared: true });
    const signal = new Int32Array(new SharedArrayBuffer(8));
    const grower = new Worker(
      `const { workerData: { memory, signal, rounds } } = require("node:worker_threads");
       for (let r = 1; r <= rounds; r++) {
         memory.grow(1);
         new Int32Array(memory.buffer)[(r + 1) * 16384 - 1] = r;
         Atomics.store(signal, 0, r);
         while (Atomics.load(signal, 1) !== r) {}
       }`,
      { eval: true, workerData: { memory, signal, rounds } },
    );
    const views = new MemoryViews(memory);
    const failures: string[] = [];
    // Warm the access path up so the engine optimises (and inlines) it, as in a busy scheduler.
    let sum = 0;
    for (let i = 0; i < 200_000; i++) sum += Atomics.load(views.i32(8), 1);
    expect(sum).toBe(0);
    try {
      for (let r = 1; r <= rounds; r++) {
        while (Atomics.load(signal, 0) !== r) {}
        const last = (r + 1) * 65536 - 4;
        try {
          const word = Atomics.load(views.i32(last + 4), last >>> 2);
          if (word !== r) failures.push(`round ${r}: read ${word}`);
        } catch (e) {
          failures.push(`round ${r}: ${(e as Error).message}`);
        }
        Atomics.store(signal, 1, r);
      }
    } finally {
      await grower.terminate();
    }
    expect(failures).toEqual([]);
  });
});

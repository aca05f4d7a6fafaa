// Generated modules on the real worker pool (wasm-runtime, worker_threads): the chapter
// programs and a nested par/spawn program, repeated on several workers so tasks are stolen
// and interleave for real. Output must be byte-identical to the sequential order.

import { readFileSync, readdirSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { createNodeRunner } from "../../wasm-runtime/node.js";
import { build } from "./test/pipeline.js";

const runner = createNodeRunner(4);
afterAll(() => runner.dispose());

async function runReal(wasm: Uint8Array, workers: number) {
  let stdout = "";
  let stderr = "";
  const r = await runner.run({
    wasm,
    workers,
    timeoutMs: 60_000,
    onOutput: (fd, text) => {
      if (fd === 1) stdout += text;
      else stderr += text;
    },
  });
  return { ...r, stdout, stderr };
}

const dir = new URL("../../examples/chapter/", import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith(".kara"));

describe("chapter programs on the worker pool", () => {
  for (const f of files) {
    it(`${f} on 4 workers`, async () => {
      const wasm = build(readFileSync(new URL(f, dir), "utf8"), { fileName: f });
      const expected = readFileSync(new URL(f.replace(/\.kara$/, ".out"), dir), "utf8");
      const r = await runReal(wasm, 4);
      expect(r.status).toBe("ok");
      expect(r.stdout).toBe(expected);
    });
  }
});

const nested = readFileSync(new URL("./test/programs/nested_par_spawn.kara", import.meta.url), "utf8");
const nestedOut = readFileSync(new URL("./test/programs/nested_par_spawn.out", import.meta.url), "utf8");

describe("captured output under real parallelism", () => {
  it("keeps source order across 30 runs with 1..4 workers", async () => {
    const wasm = build(nested);
    const expected = nestedOut;
    for (let k = 0; k < 30; k++) {
      const r = await runReal(wasm, 1 + (k % 4));
      expect(r.status).toBe("ok");
      expect(r.stdout).toBe(expected);
      expect(r.stderr).toBe("err line\n");
    }
  });

  it("counts correctly with many branches hammering one atomic and the allocator", async () => {
    const src = `par struct Counter { count: Atomic[i64] }
fn work(c: ref Counter, n: i64) {
    let mut i = 0;
    while i < n {
        let s = f"item {i}";
        if s.len() > 0 { let _ = c.count.fetch_add(1, MemoryOrdering.Relaxed); }
        i = i + 1;
    }
}
fn main() {
    let c: Counter = Counter { count: Atomic.new(0) };
    par {
        work(c, 20000);
        work(c, 20000);
        work(c, 20000);
        work(c, 20000);
    }
    println(c.count.load(MemoryOrdering.SeqCst));
}`;
    const wasm = build(src);
    for (let k = 0; k < 5; k++) {
      const r = await runReal(wasm, 4);
      expect(r.stdout).toBe("80000\n");
    }
  });

  it("reports a panic in a stolen branch with its location", async () => {
    const wasm = build(`fn boom(n: i64) -> i64 { 10 / n }
fn main() {
    par {
        let a = boom(1);
        let b = boom(0);
    }
    println(a + b);
}`);
    const r = await runReal(wasm, 2);
    expect(r.status).toBe("panic");
    expect(r.exitCode).toBe(1);
    expect(r.message).toBe("panic at main.kara:1:26 in boom: division by zero");
  });

  // The panicking branch comes first: it runs uncaptured, so its panic ends the run, and the later
  // sibling's loop must notice the abort flag at its back-edge. (A panic in a *later* branch waits for
  // the earlier ones, whose output precedes it — see panic-capture.test.ts in wasm-runtime.)
  it("stops a long-running sibling loop promptly when a branch panics", async () => {
    const wasm = build(`fn spin(n: i64) -> i64 {
    let mut i = 0;
    let mut acc = 0;
    while i < n { acc = (acc + i) % 1000; i = i + 1; }
    acc
}
fn boom() -> i64 { panic("boom") }
fn main() {
    par {
        let b = boom();
        let a = spin(5000000000);
    }
    println(a + b);
}`);
    const r = await runReal(wasm, 2);
    expect(r.status).toBe("panic");
    expect(r.message).toBe("panic at main.kara:7:20 in boom: boom");
    expect(r.wallMs).toBeLessThan(10_000);
  });
});

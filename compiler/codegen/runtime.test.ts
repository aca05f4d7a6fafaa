// Runtime support under test: output capture and replay order, stderr routing, the
// allocator's reuse of freed blocks (bounded memory), and the out-of-memory panic.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { RT } from "./runtime/memory.js";
import { build, run, runWasm } from "./test/pipeline.js";

// Nested par + TaskGroup program shared with pool.test.ts; its exact output is next to it.
const nestedPar = readFileSync(new URL("./test/programs/nested_par_spawn.kara", import.meta.url), "utf8");
const nestedOut = readFileSync(new URL("./test/programs/nested_par_spawn.out", import.meta.url), "utf8");

describe("output capture", () => {
  it("replays captured branch and task output in source / join order", () => {
    const r = run(nestedPar);
    expect(r.stdout).toBe(nestedOut);
    expect(r.stderr).toBe("err line\n");
    expect(r.tasksRun).toBe(1 + 3 + 3 + 3 + 2);
  });
  it("gives the same output under many task orders", () => {
    const wasm = build(nestedPar);
    for (let seed = 1; seed <= 50; seed++) {
      const r = runWasm(wasm, { shuffleSeed: seed });
      expect(r.stdout).toBe(nestedOut);
      expect(r.stderr).toBe("err line\n");
    }
  });
});

describe("panics inside captured tasks", () => {
  it("come after the output that precedes them in source order, whatever the task order", () => {
    const src = readFileSync(new URL("./test/programs/par_panic_order.kara", import.meta.url), "utf8");
    const wasm = build(src, { fileName: "par_panic_order.kara" });
    const expected = readFileSync(new URL("./test/programs/par_panic_order.out", import.meta.url), "utf8");
    // In fork order (one worker) the branches run in source order: the sequential output.
    expect(runWasm(wasm).stdout).toBe(expected);
    // Shuffled: the panic cancels the branches that have not reached their call yet; whatever
    // ran is printed in source order, and the panic line comes last.
    const seen = new Set<string>();
    for (let seed = 1; seed <= 30; seed++) {
      const r = runWasm(wasm, { shuffleSeed: seed });
      expect(r.stdout).toMatch(/^start\nboom 1\n(boom 2\n)?boom 3\n(boom 4\n)?panic at par_panic_order\.kara:4:17 in boom: three\n$/);
      expect(r.exitCode).toBe(1);
      seen.add(r.stdout);
    }
    expect(seen.size).toBeGreaterThan(1);
  });
});

describe("allocator", () => {
  it("reuses freed memory: building and dropping a 1 KB string a million times stays small", () => {
    const r = run(`fn main() {
    let base = "0123456789".repeat(100);
    let mut i = 0;
    let mut total = 0;
    while i < 1000000 {
        let s = base + "!";
        total = total + s.len();
        i = i + 1;
    }
    println(total);
}
`, { pages: 64 });
    expect(r.stdout).toBe("1001000000\n");
    const heapTop = new Int32Array(r.memory.buffer)[RT.HEAP_TOP >>> 2];
    expect(heapTop).toBeLessThan(64 * 1024);
  });
  it("panics with out of memory (not a trap) when the heap reaches its limit", () => {
    const r = run(`fn main() {
    let mut keep: Vec[String] = Vec.new();
    let mut i = 0;
    while i < 100000 {
        keep.push("0123456789".repeat(100));
        i = i + 1;
    }
    println(keep.len());
}
`, { pages: 64, limitPages: 64 });
    expect(r.stdout).toMatch(/^panic: out of memory: requested \d+ bytes, limit 4 MiB\n$/);
    expect(r.exitCode).toBe(1);
  });
});

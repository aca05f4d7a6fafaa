// defer / errdefer cleanup and parallel failure (core.md F12.5, effects-concurrency §4):
// cleanup order on every exit path on the sequential host, and cancellation of running
// siblings on the real worker pool, repeated so branches are stolen and interleave.

import { afterAll, describe, expect, it } from "vitest";
import { createNodeRunner } from "../../wasm-runtime/node.js";
import { build, compileSource, run } from "./test/pipeline.js";

describe("defer / errdefer", () => {
  it("runs defers LIFO and errdefers first only on the error path", () => {
    const r = run(`fn work(fail: bool) -> Result[i64, String] {
    defer print("[d1]");
    errdefer print("[e1]");
    defer print("[d2]");
    if fail { return Err("x"); }
    Ok(1)
}
fn main() {
    let _ = work(false);
    println();
    let _ = work(true);
    println();
}`);
    expect(r.stdout).toBe("[d2][d1]\n[e1][d2][d1]\n");
  });

  it("binds the error in errdefer(e) for `?` and a tail Err", () => {
    const r = run(`fn parse(n: i64) -> Result[i64, String] { if n < 0 { Err(f"bad {n}") } else { Ok(n) } }
fn twice(n: i64) -> Result[i64, String] {
    errdefer(e) print(f"<{e}>");
    let v = parse(n)?;
    if v > 100 { Err(String.from("big")) } else { Ok(v * 2) }
}
fn main() { println(twice(4)); println(twice(-1)); println(twice(500)); }`);
    expect(r.stdout).toBe("Ok(8)\n<bad -1>Err(bad -1)\n<big>Err(big)\n");
  });

  it("registers a defer only when reached and runs it at its own block's exit", () => {
    const r = run(`fn f(stop: i64) {
    defer print("a");
    let mut k = 0;
    while k < 3 {
        k = k + 1;
        if k == stop { break; }
        defer print(k);
        if k == 2 { continue; }
        print("-");
    }
    if stop == 0 { return; }
    defer print("b");
    println();
}
fn main() { f(0); println(); f(2); println(); }`);
    expect(r.stdout).toBe("-12-3a\n-1\nba\n");
  });

  it("rejects `?` and `return` inside a defer body", () => {
    const src = `fn g() -> Result[i64, i64] { Ok(1) }
fn f() -> Result[i64, i64] {
    defer { let _ = g()?; }
    defer { return Ok(2); }
    Ok(3)
}
fn main() { let _ = f(); }`;
    expect(() => compileSource(src)).toThrow("check: E0228 3:21 the `?` operator is not allowed inside `defer`; E0299 4:13 `return` cannot leave a `defer` body");
  });
});

describe("par failure", () => {
  it("evaluates to the Err of the failed branch, else to the join expression", () => {
    const r = run(`fn ok(n: i64) -> Result[i64, String] { Ok(n) }
fn bad(s: String) -> Result[i64, String] { Err(s) }
fn main() {
    let out: Result[i64, String] = par {
        let a: Result[i64, String] = ok(1);
        let b: Result[i64, String] = bad(String.from("second"));
        let c: Result[i64, String] = ok(3);
        Ok(0)
    };
    println(out);
    let fine: Result[i64, String] = par {
        let a: Result[i64, String] = ok(1);
        let b: Result[i64, String] = ok(2);
        Ok(3)
    };
    println(fine);
}`);
    expect(r.stdout).toBe("Err(second)\nOk(3)\n");
  });
});

const runner = createNodeRunner(2);
afterAll(() => runner.dispose());

async function runPool(wasm: Uint8Array, workers: number) {
  let stdout = "";
  const r = await runner.run({ wasm, workers, timeoutMs: 60_000, onOutput: (fd, text) => { if (fd === 1) stdout += text; } });
  return { ...r, stdout };
}

// The failing branch waits (bounded) until its sibling is running, so on two workers the
// sibling is cancelled mid-loop rather than skipped; it then runs errdefer and defer.
const cancelProgram = `fn fail(started: ref Atomic[i64]) -> Result[i64, String] {
    let mut spins = 0;
    while started.load(MemoryOrdering.SeqCst) == 0 and spins < 200000000 { spins = spins + 1; }
    Err(String.from("boom"))
}
fn main() {
    let started: Atomic[i64] = Atomic.new(0);
    let finished: Atomic[i64] = Atomic.new(0);
    let out: Result[i64, String] = par {
        let r: Result[i64, String] = fail(started);
        {
            let _ = started.fetch_add(1, MemoryOrdering.SeqCst);
            defer println("sibling: defer");
            errdefer println("sibling: cancelled");
            let mut i = 0i64;
            while i < 1000000000000 { i = i + 1; }
            let _ = finished.fetch_add(1, MemoryOrdering.SeqCst);
        };
        Ok(0)
    };
    println(out);
    println(finished.load(MemoryOrdering.SeqCst));
}`;

describe("cooperative cancellation on the worker pool", () => {
  it("returns an Err recorded by one of two failing branches, 20 runs on 2 workers", async () => {
    const wasm = build(`fn bad(s: String) -> Result[i64, String] { Err(s) }
fn main() {
    let out: Result[i64, String] = par {
        let a: Result[i64, String] = bad(String.from("first"));
        let b: Result[i64, String] = bad(String.from("second"));
        Ok(0)
    };
    println(out);
}`);
    for (let k = 0; k < 20; k++) {
      const r = await runPool(wasm, 2);
      expect(r.status).toBe("ok");
      expect(["Err(first)\n", "Err(second)\n"]).toContain(r.stdout);
    }
  }, 120_000);

  it("stops a running sibling at a loop back-edge and runs its cleanup, 15 runs on 2 workers", async () => {
    const wasm = build(cancelProgram);
    let cancelledMidLoop = 0;
    for (let k = 0; k < 15; k++) {
      const r = await runPool(wasm, 2);
      expect(r.status).toBe("ok");
      expect(r.stdout.endsWith("Err(boom)\n0\n")).toBe(true);
      // Either skipped before it started (no output) or cancelled while running (both lines).
      const head = r.stdout.slice(0, r.stdout.length - "Err(boom)\n0\n".length);
      expect(["", "sibling: cancelled\nsibling: defer\n"]).toContain(head);
      if (head) cancelledMidLoop++;
    }
    expect(cancelledMidLoop).toBeGreaterThan(0);
  }, 120_000);

  it("reaches the branches of a nested par and stops the enclosing branch after its join, 10 runs on 2 workers", async () => {
    const wasm = build(`fn fail(started: ref Atomic[i64]) -> Result[i64, String] {
    let mut spins = 0;
    while started.load(MemoryOrdering.SeqCst) < 2 and spins < 200000000 { spins = spins + 1; }
    Err(String.from("boom"))
}
fn main() {
    let started: Atomic[i64] = Atomic.new(0);
    let after: Atomic[i64] = Atomic.new(0);
    let out: Result[i64, String] = par {
        let r: Result[i64, String] = fail(started);
        {
            let _ = started.fetch_add(1, MemoryOrdering.SeqCst);
            defer println("outer: defer");
            par {
                {
                    let _ = started.fetch_add(1, MemoryOrdering.SeqCst);
                    defer println("inner: defer");
                    let mut i = 0i64;
                    while i < 1000000000000 { i = i + 1; }
                };
                println("inner sibling");
            }
            let _ = after.fetch_add(1, MemoryOrdering.SeqCst);
        };
        Ok(0)
    };
    println(out);
    println(after.load(MemoryOrdering.SeqCst));
}`);
    let reached = 0;
    for (let k = 0; k < 10; k++) {
      const r = await runPool(wasm, 2);
      expect(r.status).toBe("ok");
      expect(r.stdout.endsWith("Err(boom)\n0\n")).toBe(true);
      const head = r.stdout.slice(0, r.stdout.length - "Err(boom)\n0\n".length);
      // The inner sibling prints unless it was cancelled before its call (then skipped).
      expect(["", "inner: defer\nouter: defer\n", "inner: defer\ninner sibling\nouter: defer\n"]).toContain(head);
      if (head) reached++;
    }
    expect(reached).toBeGreaterThan(0);
  }, 120_000);

  it("TaskGroup.cancel() stops a running task at its loop back-edge, 10 runs on 2 workers", async () => {
    const wasm = build(`fn main() {
    let started: Atomic[i64] = Atomic.new(0);
    let mut g = TaskGroup.new();
    let h: TaskHandle[i64] = g.spawn(|| {
        let _ = started.fetch_add(1, MemoryOrdering.SeqCst);
        defer println("task: cleanup");
        let mut i = 0;
        while i < 1000000000000 { i = i + 1; }
        7
    });
    let mut spins = 0;
    while started.load(MemoryOrdering.SeqCst) == 0 and spins < 200000000 { spins = spins + 1; }
    g.cancel();
    let v: i64 = h.join();
    println(v);
}`);
    let ran = 0;
    for (let k = 0; k < 10; k++) {
      const r = await runPool(wasm, 2);
      expect(r.status).toBe("ok");
      expect(["0\n", "task: cleanup\n0\n"]).toContain(r.stdout);
      if (r.stdout !== "0\n") ran++;
    }
    expect(ran).toBeGreaterThan(0);
  }, 120_000);

  it("skips a sibling that had not started on 1 worker", async () => {
    const r = await runPool(build(cancelProgram), 1);
    expect(r.status).toBe("ok");
    expect(r.stdout).toBe("Err(boom)\n0\n");
  }, 60_000);
});

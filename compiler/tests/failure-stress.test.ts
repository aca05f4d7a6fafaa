// Structured failure under stress (effects-concurrency §4, the chapter's promise): a failing `par`
// branch or TaskGroup child cancels its siblings, every sibling that ran runs its cleanup, the
// first error comes back (or the panic surfaces once, last), and a group leaving its scope joins
// its children. Each program runs many times on 1, 2 and 8 workers with random scheduling pauses.

import { afterAll, describe, expect, it } from "vitest";
import { compile } from "../compile.js";
import { createNodeRunner } from "../../wasm-runtime/node.js";
import type { RunResult } from "../../wasm-runtime/api.js";

const runner = createNodeRunner(8);
afterAll(() => runner.dispose());

/** Runs per worker count: one worker is deterministic, more workers meet many interleavings. */
const PLAN: [workers: number, runs: number][] = [
  [1, 10],
  [2, 40],
  [8, 25],
];
const JITTER_US = 300;

async function build(source: string, fileName = "main.kara"): Promise<Uint8Array> {
  const r = await compile(source, { fileName });
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  if (!r.wasm || errors.length) throw new Error(`does not compile: ${errors.map((d) => `${d.code} ${d.message}`).join("; ")}`);
  return r.wasm;
}

async function run(wasm: Uint8Array, workers: number): Promise<RunResult & { out: string }> {
  let out = "";
  const r = await runner.run({ wasm, workers, trace: true, timeoutMs: 30_000, jitterUs: JITTER_US, onOutput: (fd, t) => void (fd === 1 && (out += t)) });
  return { ...r, out };
}

const lineOf = (src: string, marker: string) => src.split("\n").findIndex((l) => l.includes(marker)) + 1;

// Eight branches; branch 2 fails (by `?` or by a panic) once a later sibling has started (or after
// a bounded wait). Branches 0 and 1 finish on their own; branches 3..7 count forever unless cancelled.
function eightBranches(failure: "try" | "panic"): string {
  const failing = failure === "try" ? "fail(started)?" : "boom(started)";
  const branch = (k: number) => {
    if (k === 2) return `        let v2 = { errdefer println("errdefer 2"); defer println("defer 2"); ${failing} };`;
    const limit = k < 2 ? "1000000" : "1000000000000";
    const start = k < 2 ? "" : "let _ = started.fetch_add(1, MemoryOrdering.SeqCst); ";
    return `        let v${k} = { defer println("defer ${k}"); ${start}let mut i = 0i64; while i < ${limit} { i = i + 1; } let _ = finished.fetch_add(1, MemoryOrdering.SeqCst); ${k} };`;
  };
  return `fn wait_for(started: ref Atomic[i64]) {
    let mut spins = 0;
    while started.load(MemoryOrdering.SeqCst) == 0 and spins < 20000000 { spins = spins + 1; }
}
fn fail(started: ref Atomic[i64]) -> Result[i64, String] {
    wait_for(started);
    Err(String.from("branch 2 failed"))
}
fn boom(started: ref Atomic[i64]) -> i64 {
    wait_for(started);
    panic("branch 2 panicked")
}
fn work(started: ref Atomic[i64], finished: ref Atomic[i64]) -> Result[i64, String] {
    par {
${Array.from({ length: 8 }, (_, k) => branch(k)).join("\n")}
    }
    Ok(v0 + v1 + v2 + v3 + v4 + v5 + v6 + v7)
}
fn main() {
    let started: Atomic[i64] = Atomic.new(0);
    let finished: Atomic[i64] = Atomic.new(0);
    let r = work(started, finished);
    println(r);
    println(finished.load(MemoryOrdering.SeqCst));
}
`;
}

/** What the eight-branch program must print, given which branches ran (from the trace). */
function cleanupLines(ran: boolean[]): string {
  let s = "";
  ran.forEach((r, k) => {
    if (!r) return;
    s += k === 2 ? "errdefer 2\ndefer 2\n" : `defer ${k}\n`;
  });
  return s;
}

async function eightBranchStress(failure: "try" | "panic") {
  const src = eightBranches(failure);
  const wasm = await build(src);
  const lines = Array.from({ length: 8 }, (_, k) => lineOf(src, `let v${k} =`));
  let stoppedMidLoop = 0;
  for (const [workers, runs] of PLAN) {
    for (let i = 0; i < runs; i++) {
      const r = await run(wasm, workers);
      const tasks = (r.trace?.tasks ?? []).filter((t) => t.kind === "par");
      expect(tasks.map((t) => t.line).sort((a, b) => a - b)).toEqual(lines);
      const ran = lines.map((line) => !tasks.find((t) => t.line === line)!.cancelled);
      // The failing branch always runs; a skipped sibling never printed anything.
      expect(ran[2]).toBe(true);
      if (workers === 1) expect(ran).toEqual([true, true, true, false, false, false, false, false]);
      const ctx = { workers, run: i, out: r.out, status: r.status };
      if (failure === "try") {
        // Siblings 3..7 never finish their count: they were stopped (or skipped), and each that
        // ran printed its defer; the par's value is branch 2's Err. Branches 0 and 1 may finish.
        expect(ctx).toEqual({ ...ctx, status: "ok" });
        const finished = Number(r.out.trim().split("\n").pop());
        expect(finished).toBeLessThanOrEqual(2);
        expect(r.out).toBe(`${cleanupLines(ran)}Err(branch 2 failed)\n${finished}\n`);
      } else {
        expect(ctx).toEqual({ ...ctx, status: "panic" });
        expect(r.exitCode).toBe(1);
        const line = `panic at main.kara:${lineOf(src, 'panic("branch 2 panicked")')}:5 in boom: branch 2 panicked`;
        expect(r.message).toBe(line);
        // The panicking branch itself does not unwind (no cleanup of its own), as in karac.
        const expected = cleanupLines(ran.map((x, k) => x && k !== 2));
        expect(r.out).toBe(`${expected}${line}\n`);
      }
      // Siblings 3..7 would count for ages: each that ran ended soon after the failing branch.
      const failedEnd = tasks.find((t) => t.line === lines[2])!.end_us;
      for (let k = 3; k < 8; k++) {
        const t = tasks.find((x) => x.line === lines[k])!;
        if (!t.cancelled) expect(t.end_us - failedEnd).toBeLessThan(2_000_000);
      }
      if (ran.slice(3).some((x) => x)) stoppedMidLoop++;
    }
  }
  // On several workers, siblings were running when the failure came and were stopped mid-loop.
  expect(stoppedMidLoop).toBeGreaterThan(0);
}

describe("one failing par branch among eight", () => {
  it("`?` in a branch: siblings stop, every defer runs, the Err comes back (1, 2, 8 workers)", async () => {
    await eightBranchStress("try");
  }, 300_000);

  it("a panicking branch: siblings stop and clean up, then the panic line, exit 1 (1, 2, 8 workers)", async () => {
    await eightBranchStress("panic");
  }, 300_000);
});

describe("panics in tasks", () => {
  it("a panic three task levels deep (par branch > group task > spawned task) ends the run with its line", async () => {
    const src = `fn leaf(n: i64) -> i64 {
    if n == 3 { panic("leaf failed"); }
    n
}
fn middle(n: i64) -> i64 {
    let h: TaskHandle[i64] = spawn(|| leaf(n));
    let v: i64 = h.join();
    v
}
fn top() -> i64 {
    let mut g = TaskGroup.new();
    let a: TaskHandle[i64] = g.spawn(|| middle(1));
    let b: TaskHandle[i64] = g.spawn(|| middle(3));
    let x: i64 = a.join();
    let y: i64 = b.join();
    x + y
}
fn main() {
    println("start");
    par {
        let p = top();
        let q = { defer println("q cleanup"); let mut i = 0; while i < 100000000 { i = i + 1; } 5 };
    }
    println(p + q);
}
`;
    const wasm = await build(src);
    const line = "panic at main.kara:2:17 in leaf: leaf failed";
    for (const [workers, runs] of PLAN) {
      for (let i = 0; i < runs; i++) {
        const r = await run(wasm, workers);
        expect({ workers, status: r.status, exit: r.exitCode, message: r.message }).toEqual({ workers, status: "panic", exit: 1, message: line });
        expect(r.out).toMatch(/^start\n(q cleanup\n)?panic at main\.kara:2:17 in leaf: leaf failed\n$/);
        expect(r.out.split(line).length).toBe(2);
      }
    }
  }, 300_000);
});

describe("TaskGroup", () => {
  it("joins the children nobody joined when the group leaves its scope", async () => {
    const src = `fn work(tag: i64, total: ref Atomic[i64]) -> i64 {
    let mut i = 0;
    while i < 20000 * tag { i = i + 1; }
    let _ = total.fetch_add(tag, MemoryOrdering.SeqCst);
    println(f"task {tag}");
    tag
}
fn fan_out(total: ref Atomic[i64]) -> i64 {
    let mut g = TaskGroup.new();
    let mut handles: Vec[TaskHandle[i64]] = Vec.new();
    let mut k = 1;
    while k <= 6 {
        let n = k;
        handles.push(g.spawn(|| work(n, total)));
        k = k + 1;
    }
    let first: i64 = handles.remove(0).join();
    println(f"joined {first}, leaving the scope");
    first
}
fn main() {
    let total: Atomic[i64] = Atomic.new(0);
    let first = fan_out(total);
    println(f"{first} {total.load(MemoryOrdering.SeqCst)}");
}
`;
    const wasm = await build(src);
    const expected = "task 1\njoined 1, leaving the scope\ntask 2\ntask 3\ntask 4\ntask 5\ntask 6\n1 21\n";
    for (const [workers, runs] of PLAN) {
      for (let i = 0; i < runs; i++) {
        const r = await run(wasm, workers);
        expect({ workers, status: r.status, out: r.out }).toEqual({ workers, status: "ok", out: expected });
      }
    }
  }, 300_000);

  it("a panicking child cancels its running siblings, which clean up before the panic surfaces", async () => {
    // The panicking child is spawned last, so one worker (which helps LIFO) runs it first.
    const sibling = (tag: string) =>
      `g.spawn(|| { defer println("${tag} cleanup"); let _ = started.fetch_add(1, MemoryOrdering.SeqCst); let mut i = 0; while i < 1000000000000 { i = i + 1; } println("${tag} finished"); 1 })`;
    const src = `fn main() {
    let started: Atomic[i64] = Atomic.new(0);
    let mut g = TaskGroup.new();
    let a: TaskHandle[i64] = ${sibling("a")};
    let c: TaskHandle[i64] = ${sibling("c")};
    let b: TaskHandle[i64] = g.spawn(|| {
        let mut spins = 0;
        while started.load(MemoryOrdering.SeqCst) == 0 and spins < 20000000 { spins = spins + 1; }
        panic("child failed");
        0
    });
    let x: i64 = a.join();
    println(f"joined {x}");
}
`;
    const wasm = await build(src);
    const line = `panic at main.kara:${lineOf(src, 'panic("child failed")')}:9 in main: child failed`;
    let cancelledMidLoop = 0;
    for (const [workers, runs] of PLAN) {
      for (let i = 0; i < runs; i++) {
        const r = await run(wasm, workers);
        expect({ workers, status: r.status, exit: r.exitCode, message: r.message }).toEqual({ workers, status: "panic", exit: 1, message: line });
        expect(r.out).toMatch(/^(a cleanup\n)?(c cleanup\n)?panic at .* child failed\n$/);
        if (workers === 1) expect(r.out).toBe(`${line}\n`);
        if (r.out.includes("cleanup")) cancelledMidLoop++;
      }
    }
    expect(cancelledMidLoop).toBeGreaterThan(0);
  }, 300_000);

  it("cancel() stops the group's running tasks; a join then returns and the scope exit joins the rest", async () => {
    const src = `fn main() {
    let started: Atomic[i64] = Atomic.new(0);
    let mut g = TaskGroup.new();
    let a: TaskHandle[i64] = g.spawn(|| { defer println("a cleanup"); let _ = started.fetch_add(1, MemoryOrdering.SeqCst); let mut i = 0; while i < 1000000000000 { i = i + 1; } 7 });
    let b: TaskHandle[i64] = g.spawn(|| { defer println("b cleanup"); let _ = started.fetch_add(1, MemoryOrdering.SeqCst); let mut i = 0; while i < 1000000000000 { i = i + 1; } 8 });
    let mut spins = 0;
    while started.load(MemoryOrdering.SeqCst) == 0 and spins < 20000000 { spins = spins + 1; }
    g.cancel();
    let x: i64 = a.join();
    println(f"a gave {x}");
}
`;
    const wasm = await build(src);
    for (const [workers, runs] of PLAN) {
      for (let i = 0; i < runs; i++) {
        const r = await run(wasm, workers);
        expect({ workers, status: r.status }).toEqual({ workers, status: "ok" });
        // Cancelled before it finished: a gives 0 (skipped or stopped); output in spawn order.
        expect(r.out).toMatch(/^(a cleanup\n)?(b cleanup\n)?a gave 0\n$/);
      }
    }
  }, 300_000);
});

// Whole pipeline with and without automatic parallelisation, on the real worker pool: a program
// must print exactly the same bytes either way, under any number of workers, run after run.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import type { Runner, TraceTask } from "../../wasm-runtime/api.js";
import { createNodeRunner } from "../../wasm-runtime/node.js";
import { generate } from "../codegen/index.js";
import { runWasm } from "../codegen/test/host.js";
import { analyzeEffects } from "../effects/index.js";
import { compile } from "../compile.js";
import { parallelize, type FunctionReport } from "./index.js";
import { REDUCE_CHUNKS } from "./reduce-lowering.js";
import { checked, reportOf } from "./testutil.js";

let runner: Runner;
beforeAll(() => {
  runner = createNodeRunner(4);
});
afterAll(() => runner.dispose());

function build(src: string, autoPar: boolean): Uint8Array {
  const program = checked(src);
  const effects = analyzeEffects(program);
  const { program: out } = parallelize(program, effects, { autoPar });
  const g = generate(out, { fileName: "t.kara" });
  expect(g.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
  return g.wasm!;
}

async function exec(wasm: Uint8Array, workers: number): Promise<{ out: string; status: string; tasks: TraceTask[] }> {
  let out = "";
  const r = await runner.run({ wasm, workers, trace: true, onOutput: (fd, t) => (out += fd === 1 ? t : `[${fd}]${t}`), timeoutMs: 30_000 });
  return { out, status: r.status, tasks: r.trace?.tasks ?? [] };
}

const example = (name: string) => readFileSync(new URL(`../../examples/chapter/${name}`, import.meta.url), "utf8");

/** Branch and chunk tasks (not main, not spawned). */
const branchTasks = (tasks: TraceTask[]) => tasks.filter((t) => t.kind === "auto" || t.kind === "reduce" || t.kind === "par");

describe("auto-par end to end", () => {
  it("runs the dashboard fetches as parallel branches and prints what the sequential program prints", async () => {
    const src = example("build_dashboard.kara");
    const expected = example("build_dashboard.out");
    const seq = build(src, false);
    const par = build(src, true);
    const s = await exec(seq, 4);
    expect(s.status).toBe("ok");
    expect(s.out).toBe(expected);
    expect(branchTasks(s.tasks)).toEqual([]);
    for (const workers of [1, 2, 4]) {
      const p = await exec(par, workers);
      expect(p.status).toBe("ok");
      expect(p.out).toBe(expected);
      expect(branchTasks(p.tasks).map((t) => t.line).sort()).toEqual([41, 42, 43]);
    }
  });

  it("keeps output order, hoisted strings and outer writes across many runs", async () => {
    const src = `
fn spin(n: i64) -> i64 {
    let mut i = 0;
    let mut acc = 0;
    while i < n { acc = (acc * 31 + i) % 1000003; i = i + 1; }
    acc
}
fn label(tag: String, n: i64) -> String {
    let v = spin(n);
    println(f"computing {tag}");
    f"{tag}={v}"
}
fn report(seed: i64) -> i64 {
    let mut total = seed;
    if seed < 0 { return 0; }
    let a = label("alpha", 20000 + seed);
    let b = label("beta", 30000);
    total = total + spin(40000);
    let (c, d) = (spin(10000), label("gamma", 5000));
    println(a);
    println(b);
    println(d);
    total + c
}
fn main() {
    println(report(1));
    println(report(2));
}
`;
    const seq = build(src, false);
    const par = build(src, true);
    const expected = (await exec(seq, 1)).out;
    expect(expected).toContain("computing alpha\ncomputing beta\ncomputing gamma\nalpha=");
    for (let i = 0; i < 12; i++) {
      const p = await exec(par, 1 + (i % 4));
      expect(p.status).toBe("ok");
      expect(p.out).toBe(expected);
      expect(branchTasks(p.tasks).length).toBeGreaterThan(0);
    }
  });

  it("fans out integer reductions and computes what the sequential loops compute", async () => {
    const src = `
fn mix(i: i64) -> i64 {
    let mut h = i;
    let mut k = 0;
    while k < 3 { h = (h * 31 + 7) % 1000003; k += 1; }
    h
}
fn f(n: i64) -> i64 {
    let mut s = 7;
    for i in 0..n { s += mix(i) % 1000; }
    let mut x = 0;
    for i in 3..=n { x ^= mix(i); }
    let mut lo = 1000000007;
    for i in 0..n { if mix(i) + 5 < lo { lo = mix(i) + 5; } }
    let mut hi = -1;
    for i in 0..n { hi = max(hi, mix(i) % 99991); }
    let mut o = 0;
    for i in 0..n { o = o | (mix(i) % 4096); }
    let mut a = -1;
    for i in 1..n { a &= mix(i) + 1048576; }
    let mut small: i32 = 0;
    for i in 0..n as i32 { small += i % 3; }
    s + x + lo + hi + o + a + small as i64
}
fn main() {
    println(f(200000));
    println(f(9));
    println(f(0));
    println(f(-5));
}
`;
    const seq = build(src, false);
    const par = build(src, true);
    const expected = (await exec(seq, 1)).out;
    expect(expected.split("\n")).toHaveLength(5);
    for (let i = 0; i < 6; i++) {
      const p = await exec(par, 1 + (i % 4));
      expect(p.status).toBe("ok");
      expect(p.out).toBe(expected);
      // Six loops fan out (8 chunks each) in f(200000) and f(9); f(0) and f(-5) take the sequential
      // path; main's four independent printing calls are one more group of four.
      expect(branchTasks(p.tasks).length).toBe(2 * 6 * REDUCE_CHUNKS + 4);
    }
  });

  it("reports an overflowing reduction at the same place either way", async () => {
    const src = `
fn spin(i: i64) -> i64 {
    let mut h = i;
    let mut k = 0;
    while k < 3 { h = (h * 31 + 7) % 1000003; k += 1; }
    h
}
fn main() {
    println("start");
    let mut s = 9223372036854000000;
    for i in 0..100000 {
        s += spin(i);
    }
    println(s);
}
`;
    const runOnce = async (wasm: Uint8Array, workers: number) => {
      let out = "";
      const r = await runner.run({ wasm, workers, onOutput: (fd, t) => (out += t), timeoutMs: 30_000 });
      return { status: r.status, message: r.message, out };
    };
    expect(reportOf(src, "main").loop_reductions.map((r) => r.fanned_out)).toEqual([true]);
    const expected = await runOnce(build(src, false), 1);
    expect(expected.status).toBe("panic");
    expect(expected.message).toMatch(/^panic at t\.kara:12:9 in main: /);
    const par = build(src, true);
    for (const workers of [1, 4]) expect(await runOnce(par, workers)).toEqual(expected);
  });

  it("prints the same under many random task orders (stress)", () => {
    const src = `
effect resource Log;
fn note(tag: String) -> i64 writes(Log) {
    println(f"note {tag}");
    tag.len() as i64
}
fn spin(n: i64) -> i64 {
    let mut i = 0;
    let mut acc = 1;
    while i < n { acc = (acc * 17 + i) % 65521; i = i + 1; }
    println(f"spin {n} -> {acc}");
    acc
}
fn build(k: i64) -> String {
    let a = spin(100 + k);
    let b = spin(200 + k);
    let c = note("x");
    let d = spin(300);
    let mut total = 0;
    for i in 0..5000 { total += spin(i % 7); }
    f"{a} {b} {c} {d} {total}"
}
fn quiet(n: i64) -> i64 {
    let mut i = 0;
    let mut acc = 1;
    while i < n { acc = (acc * 17 + i) % 65521; i = i + 1; }
    acc
}
fn nested(k: i64) -> i64 {
    let mut s = k;
    if k < 0 { return 0; }
    let a = spin(50 + k);
    for i in 0..20000 { s += quiet(i % 5); }
    a + s
}
fn main() {
    let x = build(1);
    let y = build(2);
    println(x);
    println(y);
    println(nested(3));
}
`;
    // A fanned-out reduction inside a statement that is itself an automatic branch.
    const nested = reportOf(src, "nested");
    expect(nested.parallel_groups).toEqual([{ statements: [2, 3], reason: "pure computations", dispatched: true }]);
    expect(nested.loop_reductions.map((r) => [r.statement, r.fanned_out])).toEqual([[3, true]]);
    const seq = runWasm(build(src, false));
    expect(seq.panic).toBeUndefined();
    const par = build(src, true);
    for (let seed = 1; seed <= 40; seed++) {
      const r = runWasm(par, { shuffleSeed: seed });
      expect(r.panic).toBeUndefined();
      expect(r.stdout).toBe(seq.stdout);
      expect(r.tasksRun).toBeGreaterThan(seq.tasksRun);
    }
  });

  it("is wired into compile(): report always, rewrite only with auto-par on", async () => {
    const src = example("build_dashboard.kara");
    const group = async (autoPar: boolean) => {
      const r = await compile(src, { fileName: "dash.kara", autoPar });
      expect(r.ok).toBe(true);
      expect(r.timings.map((t) => t.phase)).toContain("concurrency");
      const report = r.concurrency as { file: string; functions: FunctionReport[] };
      expect(report.file).toBe("dash.kara");
      return { wasm: r.wasm!, groups: report.functions.find((f) => f.function === "build_dashboard")!.parallel_groups };
    };
    const on = await group(true);
    const off = await group(false);
    expect(on.groups).toEqual([{ statements: [0, 1, 2], reason: "independent reads on different resources", dispatched: true }]);
    expect(off.groups).toEqual([{ statements: [0, 1, 2], reason: "independent reads on different resources", dispatched: false }]);
    expect(branchTasks((await exec(off.wasm, 2)).tasks)).toEqual([]);
    expect(branchTasks((await exec(on.wasm, 2)).tasks)).toHaveLength(3);
  });

  it("prints the same for every chapter program with auto-par on and off", async () => {
    for (const name of ["par_counter", "par_heavy", "task_group"]) {
      const src = example(`${name}.kara`);
      const expected = example(`${name}.out`);
      for (const autoPar of [false, true]) {
        const r = await exec(build(src, autoPar), 4);
        expect(r.status, `${name} autoPar=${autoPar}`).toBe("ok");
        expect(r.out, `${name} autoPar=${autoPar}`).toBe(expected);
      }
    }
  });
});

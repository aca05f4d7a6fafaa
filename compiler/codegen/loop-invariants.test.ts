// Loop facts (lower/loop-invariants.ts): sequence headers read once per loop and bounds checks
// left out where the loop range proves them. Every program is built with and without the facts
// and both builds must print the same output and raise the same panic; programs that resize,
// reassign or alias the sequence inside the loop must still panic exactly where they did. The
// fact must also show in the code (fewer index checks), so a proof that silently stops applying
// fails here. Overflow checks the range proves (`i + 1`, `i - c`) are dropped the same way. Also: chunks of a loop fanned out from a function nothing cancels carry no
// cancellation polls (lower/uncancellable.ts), and chunks inside a cancellable branch keep them.

import { describe, expect, it } from "vitest";
import { parse } from "../syntax/parser.js";
import { check } from "../check/index.js";
import { analyzeEffects } from "../effects/index.js";
import { parallelize } from "../concurrency/index.js";
import { createNodeRunner } from "../../wasm-runtime/node.js";
import { generate } from "./index.js";
import { runWasm } from "./test/pipeline.js";
import { uncancellableBranches } from "./lower/uncancellable.js";
import { walkBlock } from "../tir/walk.js";
import type { FnId, TExpr, TProgram } from "../tir/nodes.js";

function typed(src: string) {
  const p = parse(src, "main.kara");
  expect(p.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const c = check(p.program);
  expect(c.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.span.line}:${d.span.column} ${d.message}`)).toEqual([]);
  return c.program!;
}

function gen(src: string, loopFacts: boolean) {
  const g = generate(typed(src), { fileName: "main.kara", loopFacts, emitText: true });
  expect(g.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return g;
}

/** The text of one wasm function of a module's WAT. */
function funcText(wat: string, name: string): string {
  const start = wat.search(new RegExp(`\\(func \\$${name.replace(/[$]/g, "\\$&")}[ \n]`));
  expect(start).toBeGreaterThanOrEqual(0);
  const next = wat.indexOf("\n (func ", start + 1);
  return wat.slice(start, next < 0 ? undefined : next);
}

const count = (text: string, what: string) => text.split(what).length - 1;

/** The text of each outermost `(loop …)` of a function's WAT, parentheses balanced. */
function outermostLoops(text: string): string[] {
  const out: string[] = [];
  for (let at = text.indexOf("(loop "); at >= 0; at = text.indexOf("(loop ", at)) {
    let depth = 0;
    let end = at;
    for (; end < text.length; end++) {
      if (text[end] === "(") depth++;
      else if (text[end] === ")" && --depth === 0) break;
    }
    out.push(text.slice(at, end + 1));
    at = end;
  }
  return out;
}

/** Runs both builds; they must behave the same. Returns the outcome and the index checks of each build's whole module. */
function same(src: string) {
  const on = gen(src, true);
  const off = gen(src, false);
  const shape = (w: Uint8Array) => {
    const r = runWasm(w);
    return { stdout: r.stdout, stderr: r.stderr, panic: r.panic, exitCode: r.exitCode };
  };
  const a = shape(on.wasm!);
  expect(a).toEqual(shape(off.wasm!));
  return { ...a, checksOn: count(on.wat!, "call $rt_panic_index"), checksOff: count(off.wat!, "call $rt_panic_index"), watOn: on.wat!, watOff: off.wat! };
}

describe("loop-invariant sequence headers and proven bounds", () => {
  it("drops the checks `for i in lo..v.len()` proves, for Vec, Array and slices, forward, reversed and stepped", () => {
    const r = same(`fn main() {
    let mut v: Vec[i64] = Vec.new();
    for i in 0..10 { v.push(i * i); }
    let mut s = 0;
    for i in 0..v.len() { s = s + v[i]; }
    for i in 1..v.len() { v[i] = v[i] + v[i - 1]; }
    for i in (0..v.len()).rev() { s = s + v[i] * i; }
    for i in (2..v.len()).step_by(3) { s = s + v[i]; }
    let a: Array[i64, 4] = Array[4, 3, 2, 1];
    for i in 0..a.len() { s = s + a[i]; }
    let sl = v[2..5];
    for i in 0..sl.len() { s = s + sl[i]; }
    for x in v { s = s + x; }
    println(s);
    println(v[9]);
}`);
    const v = Array.from({ length: 10 }, (_, i) => i * i);
    let s = v.reduce((a, b) => a + b, 0);
    for (let i = 1; i < 10; i++) v[i] += v[i - 1];
    for (let i = 9; i >= 0; i--) s += v[i] * i;
    for (let i = 2; i < 10; i += 3) s += v[i];
    s += 4 + 3 + 2 + 1;
    s += v[2] + v[3] + v[4];
    s += v.reduce((a, b) => a + b, 0);
    expect(r.stdout).toBe(`${s}\n${v[9]}\n`);
    // Left: v[i - 1] and v[9]. Without the facts every v[i], a[i] and sl[i] is checked too.
    expect(r.checksOn).toBe(2);
    expect(r.checksOff).toBe(9);
  });

  it("an out-of-range index in a proven loop still panics with the same message", () => {
    const r = same(`fn main() {
    let v: Vec[i64] = Vec.filled(5, 3);
    let mut s = 0;
    for i in 0..v.len() { s = s + v[i + 1]; }
    println(s);
}`);
    expect(r.panic).toBe("panic at main.kara:4:35 in main: index 5 out of bounds (len 5)");
    expect(r.stdout).toBe(`${r.panic}\n`);
  });

  it("drops the overflow checks of `i + 1` below an exclusive bound and `i - c` above zero; an inclusive range keeps them", () => {
    const src = `fn main() {
    let mut s = 0;
    for i in 0..5 { s = s + (i + 1) * (i - 1); }
    let big = 9223372036854775807;
    for i in (big - 2)..big { s = s + (i + 1 - big); }
    println(s);
    for i in (big - 2)..=big { println(i + 1 - big); }
}`;
    const r = same(src);
    expect(r.stdout).toBe("24\n-1\n0\npanic at main.kara:7:40 in main: integer overflow\n");
    const overflowChecks = (wat: string) => (funcText(wat, "f0:main").match(/call \$rt_panic\n/g) ?? []).length;
    expect(overflowChecks(r.watOff) - overflowChecks(r.watOn)).toBe(3);
  });

  it("a range starting below zero proves nothing", () => {
    const r = same(`fn main() {
    let v: Vec[i64] = Vec.filled(5, 3);
    let mut s = 0;
    for i in -1..v.len() { s = s + v[i]; }
    println(s);
}`);
    expect(r.panic).toMatch(/^panic at main\.kara:4:36 in main: index \d+ out of bounds \(len 5\)$/);
  });

  it("pushing, popping or reassigning the sequence inside the loop keeps every check", () => {
    const pushed = same(`fn main() {
    let mut v: Vec[i64] = Vec.new();
    for i in 0..5 { v.push(i); }
    let mut s = 0;
    for i in 0..v.len() {
        if i == 2 { v.push(100); }
        s = s + v[i + 3];
    }
    println(s);
}`);
    expect(pushed.panic).toBe("panic at main.kara:7:17 in main: index 6 out of bounds (len 6)");
    const popped = same(`fn main() {
    let mut v: Vec[i64] = Vec.filled(6, 1);
    let mut s = 0;
    for i in 0..v.len() {
        if i == 3 { v.pop(); v.pop(); v.pop(); }
        s = s + v[i];
    }
    println(s);
}`);
    expect(popped.panic).toBe("panic at main.kara:6:17 in main: index 3 out of bounds (len 3)");
    const reassigned = same(`fn main() {
    let mut v: Vec[i64] = Vec.filled(6, 1);
    let mut s = 0;
    for i in 0..v.len() {
        if i == 2 { v = Vec.filled(2, 5); }
        s = s + v[i];
    }
    println(s);
}`);
    expect(reassigned.panic).toBe("panic at main.kara:6:17 in main: index 2 out of bounds (len 2)");
    const whileLoop = same(`fn main() {
    let mut v: Vec[i64] = Vec.filled(3, 2);
    let mut i = 0;
    let mut s = 0;
    while i < 5 {
        s = s + v[i];
        if i == 1 { v.clear(); }
        i = i + 1;
    }
    println(s);
}`);
    expect(whileLoop.panic).toBe("panic at main.kara:6:17 in main: index 2 out of bounds (len 0)");
  });

  it("a closure that grows the captured sequence, called in the loop, is seen", () => {
    const r = same(`fn main() {
    let mut v: Vec[i64] = Vec.filled(4, 2);
    let grow = || { v.push(7); };
    let mut s = 0;
    let mut i = 0;
    while i < 6 {
        grow();
        s = s + v[i + 4];
        i = i + 1;
    }
    println(s);
}`);
    expect(r.stdout).toBe("42\n");
  });

  it("a `ref` parameter aliasing a module-level binding a callee grows is read afresh", () => {
    const r = same(`let mut POOL: Vec[i64] = Vec.new();
fn grow() { POOL.push(3); }
fn total(v: ref Vec[i64]) -> i64 {
    let mut s = 0;
    let mut i = 0;
    while i < 4 {
        grow();
        s = s + v[i];
        i = i + 1;
    }
    s
}
fn main() {
    POOL.push(1);
    println(total(POOL));
}`);
    expect(r.stdout).toBe("10\n");
  });

  it("a user Drop run in the loop (no call node) that grows the aliased binding is seen", () => {
    const r = same(`let mut POOL: Vec[i64] = Vec.new();
struct Guard { k: i64 }
impl Drop for Guard {
    fn drop(mut ref self) { POOL.push(self.k); }
}
fn total(v: ref Vec[i64]) -> i64 {
    let mut s = 0;
    let mut i = 0;
    while i < 4 {
        let g = Guard { k: 3 };
        s = s + v[i] + g.k;
        i = i + 1;
    }
    s
}
fn main() {
    POOL.push(1);
    println(total(POOL));
}`);
    expect(r.stdout).toBe("22\n");
  });

  it("a defer of an outer scope run by a return inside the loop sees the sequence as it is then", () => {
    const r = same(`fn pick(k: i64) -> i64 {
    let mut v: Vec[i64] = Vec.filled(3, 1);
    defer {
        v.clear();
        println(v[0]);
    }
    for i in 0..v.len() {
        if i == k { return v[i]; }
    }
    0
}
fn main() {
    println(pick(1));
}`);
    expect(r.panic).toBe("panic at main.kara:5:17 in pick: index 0 out of bounds (len 0)");
  });

  it("element writes and element mutation keep the header; `mut ref` parameters without calls are cached", () => {
    const r = same(`fn fill(v: mut ref Vec[i64], x: i64) {
    for i in 0..v.len() { v[i] = v[i] * x + i; }
}
fn main() {
    let mut v: Vec[i64] = Vec.filled(5, 2);
    fill(mut v, 3);
    let mut rows: Vec[Vec[i64]] = Vec.new();
    for i in 0..3 { rows.push(Vec.new()); }
    for i in 0..rows.len() {
        for k in 0..i + 2 { rows[i].push(k * 10 + i); }
        rows[i][0] = v[i];
    }
    println(v);
    println(rows);
    println(rows[2][4]);
}`);
    expect(r.stdout.split("\n").slice(0, 2)).toEqual(["[6, 7, 8, 9, 10]", "[[6, 10], [7, 11, 21], [8, 12, 22, 32]]"]);
    expect(r.panic).toBe("panic at main.kara:15:13 in main: index 4 out of bounds (len 4)");
    expect(r.checksOn).toBeLessThan(r.checksOff);
  });

  it("a sequence bound by the enclosing `for` itself is read anew for every element", () => {
    const r = same(`fn main() {
    let mut all: Vec[Vec[i64]] = Vec.new();
    all.push([1, 2, 3]);
    all.push([1, 5, 3, 9]);
    all.push([]);
    let mut fixed = 0;
    for p in all {
        for i in 0..p.len() {
            if p[i] == i + 1 { fixed += 1; }
        }
    }
    println(fixed);
    let rows: Vec[Vec[i64]] = [[4, 5], [6]];
    let mut s = 0;
    for r in rows { s = s + r[0] * 10 + r[r.len() - 1]; }
    println(s);
}`);
    expect(r.stdout).toBe("5\n111\n");
  });

  it("a loop over a stable sequence reads its header before the loop, not on every iteration", () => {
    const src = `fn main() {
    let n = 1000;
    let mut flags: Vec[bool] = Vec.filled(n, false);
    let mut j = 0;
    while j < n {
        flags[j] = j % 3 == 0;
        j = j + 1;
    }
    let mut c = 0;
    for f in flags { if f { c = c + 1; } }
    println(c);
}`;
    const r = same(src);
    expect(r.stdout).toBe("334\n");
    // Header loads are `i32.load offset=4` (length) and `i32.load` of the header; inside the loops
    // of main none remain with the facts.
    const loopsOf = (wat: string) => outermostLoops(funcText(wat, "f0:main")).join("\n");
    expect(count(loopsOf(r.watOn), "i32.load offset=4")).toBe(0);
    expect(count(loopsOf(r.watOff), "i32.load offset=4")).toBeGreaterThanOrEqual(2);
  });
});

describe("cancellation polls in fanned-out loops", () => {
  const image = (where: string) => `fn render(img: mut ref Vec[i64], w: i64, h: i64) {
    for row in 0..h {
        for x in 0..w {
            img[row * w + x] = (row * 7 + x * 3) % 11;
        }
    }
}
${where}`;
  const mainLoop = `fn main() {
    let w = 300;
    let h = 200;
    let mut img: Vec[i64] = Vec.filled(w * h, 0);
    for row in 0..h {
        let mut k = 0;
        while k < w {
            img[row * w + k] = (row * 7 + k * 3) % 11;
            k = k + 1;
        }
    }
    let mut sum = 0;
    for i in 0..w * h { sum = sum + img[i] * (i % 5); }
    println(sum);
}`;

  function build(src: string, autoPar: boolean) {
    const program = typed(src);
    const r = parallelize(program, analyzeEffects(program), { autoPar, strict: true });
    const g = generate(r.program, { fileName: "main.kara", emitText: true });
    expect(g.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    return g;
  }
  const chunkFns = (wat: string) => [...wat.matchAll(/\n \(func \$(f\d+:[^\s]*\$chunk) /g)].map((m) => funcText(wat, m[1]));

  it("chunks of a loop in main poll only the abort flag", async () => {
    const par = build(image(mainLoop), true);
    const chunks = chunkFns(par.wat!);
    expect(chunks.length).toBe(1);
    expect(count(chunks[0], "call $rt_cancelled")).toBe(0);
    expect(count(chunks[0], "i32.atomic.load")).toBeGreaterThan(0);
    const runner = createNodeRunner(2);
    try {
      const outs: string[] = [];
      for (const [wasm, workers] of [[build(image(mainLoop), false).wasm!, 1], [par.wasm!, 1], [par.wasm!, 2]] as const) {
        let out = "";
        const r = await runner.run({ wasm, workers, onOutput: (fd, t) => void (out += t), timeoutMs: 60_000 });
        expect(r.status).toBe("ok");
        outs.push(out);
      }
      expect(new Set(outs).size).toBe(1);
    } finally {
      runner.dispose();
    }
  });

  it("branches keep their polls when their par can fail or sits in a cancellable branch", () => {
    const src = `fn main() {
    par {
        let x = {
            par {
                let a = 1 + 2;
                let b = 3 + 4;
            }
            a + b
        };
        let y = 10;
    }
    println(x + y);
}`;
    const program = typed(src);
    // The walker does not enter lifted bodies: main holds the outer par, a branch the inner one.
    const parsIn = (kind: string) => {
      const found: Extract<TExpr, { kind: "par" }>[] = [];
      for (const fn of program.functions) {
        if (fn?.body && fn.kind === kind) walkBlock(fn.body, { expr: (e) => void (e.kind === "par" && found.push(e)) });
      }
      return found;
    };
    const [outer] = parsIn("fn");
    const [inner] = parsIn("parBranch");
    expect(outer && inner).toBeTruthy();
    const fnsOf = (p: typeof outer) => p.branches.map((b) => b.fn);
    // Both written by the program: every branch observes cancellation.
    expect(fnsOf(outer).concat(fnsOf(inner)).filter((f) => quietIn(program, f))).toEqual([]);
    // The inner par made by the compiler, in a branch the program wrote: still cancellable.
    inner.origin = "auto";
    expect(fnsOf(inner).filter((f) => quietIn(program, f))).toEqual([]);
    // Both made by the compiler in main: nothing can set their words.
    outer.origin = "auto";
    expect(fnsOf(outer).concat(fnsOf(inner)).every((f) => quietIn(program, f))).toBe(true);
  });
});

/** Classifies a copy of the program, since the analysis caches its answer per program. */
function quietIn(program: TProgram, fn: FnId): boolean {
  return uncancellableBranches({ ...program }).has(fn);
}



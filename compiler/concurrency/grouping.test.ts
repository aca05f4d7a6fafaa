import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { analyzeEffects } from "../effects/index.js";
import { parallelize } from "./index.js";
import type { FunctionReport } from "./report.js";
import { checked, fnNamed, reportOf, run } from "./testutil.js";

const dashboard = readFileSync(new URL("../../examples/chapter/build_dashboard.kara", import.meta.url), "utf8");

describe("parallel groups", () => {
  it("runs the three dashboard fetches as one dispatched group", () => {
    const r = reportOf(dashboard, "build_dashboard");
    expect(r.total_statements).toBe(3);
    expect(r.parallel_groups).toEqual([
      { statements: [0, 1, 2], reason: "independent reads on different resources", dispatched: true },
    ]);
    expect(r.serialization_points).toEqual([]);
  });

  it("reproduces the Stock/Rates/Journal worked example", () => {
    const src = `
effect resource Stock;
effect resource Rates;
effect resource Journal;
fn on_hand(sku: i64) -> i64 reads(Stock) { sku }
fn rate(sku: i64) -> i64 reads(Rates) { sku }
fn restock() writes(Stock) { }
fn record(sku: i64) writes(Journal) { }
fn quote(sku: i64) -> i64 {
    let q = on_hand(sku);
    let r = rate(sku);
    restock();
    record(sku);
    q * r
}
fn main() { println(quote(3)); }
`;
    const r = reportOf(src, "quote");
    expect(r.parallel_groups.map(({ statements, reason }) => ({ statements, reason }))).toEqual([
      { statements: [0, 1], reason: "independent reads on different resources" },
      { statements: [2, 3], reason: "independent effects on different resources" },
    ]);
    expect(r.serialization_points).toEqual([
      {
        statements: [0, 2],
        reason: "reads(Stock) conflicts with writes(Stock)",
        resource: "Stock",
        blocking_callees: ["on_hand", "restock"],
        serialized_by: { category: "effect_conflict", resource: "Stock", verbs: ["reads", "writes"] },
      },
    ]);
    // Tiny bodies: not worth a fork.
    expect(r.parallel_groups.every((g) => !g.dispatched)).toBe(true);
  });

  it("serialises reads and writes of one resource", () => {
    const src = `
effect resource R;
fn get() -> i64 reads(R) { 1 }
fn put(v: i64) writes(R) { }
fn f() -> i64 {
    let a = get();
    put(2);
    a
}
fn main() { println(f()); }
`;
    const r = reportOf(src, "f");
    expect(r.parallel_groups).toEqual([]);
    expect(r.serialization_points[0].statements).toEqual([0, 1]);
    expect(r.serialization_points[0].serialized_by).toEqual({ category: "effect_conflict", resource: "R", verbs: ["reads", "writes"] });
    expect(r.serialization_points[0].reason).toBe("reads(R) conflicts with writes(R)");
  });

  it("groups concurrent reads of one resource", () => {
    const src = `
effect resource R;
fn get(k: i64) -> i64 reads(R) { k }
fn f() -> i64 {
    let a = get(1);
    let b = get(2);
    a + b
}
fn main() { println(f()); }
`;
    expect(reportOf(src, "f").parallel_groups.map((g) => [g.statements, g.reason])).toEqual([[[0, 1], "concurrent reads on same resource"]]);
  });

  it("reports read-after-write, write-after-read and write/write dependencies", () => {
    const src = `
fn g(x: i64) -> i64 { x + 1 }
fn raw() -> i64 {
    let a = g(1);
    let b = g(a);
    b
}
fn war() -> i64 {
    let mut x = 1;
    let b = g(x);
    x = g(5);
    b + x
}
fn ww() -> i64 {
    let mut x = 1;
    x = g(2);
    x = g(3);
    x
}
fn main() { println(raw() + war() + ww()); }
`;
    const dep = (fn: string) => reportOf(src, fn).serialization_points.map((p) => [p.statements, p.reason, p.resource, p.serialized_by]);
    expect(dep("raw")).toEqual([[[0, 1], "data dependency on `a`", "", { category: "data_dependency", kind: "raw", vars: ["a"] }]]);
    expect(dep("war")).toContainEqual([[1, 2], "data dependency on `x`", "", { category: "data_dependency", kind: "war", vars: ["x"] }]);
    expect(dep("ww")).toContainEqual([[1, 2], "both assign `x`", "", { category: "data_dependency", kind: "ww", vars: ["x"] }]);
  });

  it("treats a mutated collection as written", () => {
    const src = `
fn f() -> i64 {
    let mut v: Vec[i64] = Vec.new();
    v.push(1);
    let n = v.len();
    n as i64
}
fn main() { println(f()); }
`;
    const r = reportOf(src, "f");
    expect(r.serialization_points.map((p) => [p.statements, p.serialized_by])).toContainEqual([[1, 2], { category: "data_dependency", kind: "raw", vars: ["v"] }]);
    expect(r.parallel_groups).toEqual([]);
  });

  it("orders a seq block against its neighbours", () => {
    const src = `
effect resource A;
effect resource B;
fn a() -> i64 reads(A) { 1 }
fn b() -> i64 reads(B) { 2 }
fn f() -> i64 {
    let x = a();
    seq { b(); };
    let y = b();
    x + y
}
fn main() { println(f()); }
`;
    const program = checked(src);
    // The checker lowers \`seq { }\` to a block flagged \`seq\`.
    const stmt = fnNamed(program, "f").body.stmts[1];
    expect(stmt.kind === "expr" && stmt.expr.kind === "block" && stmt.expr.seq).toBe(true);
    const r = parallelize(program, analyzeEffects(program), { autoPar: true }).reportFor("f") as FunctionReport;
    expect(r.parallel_groups).toEqual([]);
    expect(r.serialization_points.map((p) => [p.statements, p.reason, p.serialized_by])).toEqual([
      [[0, 1], "explicit seq ordering", { category: "seq_ordering" }],
      [[1, 2], "explicit seq ordering", { category: "seq_ordering" }],
    ]);
    // Without the seq the three reads group.
    const plain = reportOf(src.replace("seq {", "{"), "f");
    expect(plain.parallel_groups.map((g) => g.statements)).toEqual([[0, 1, 2]]);
  });

  it("keeps updates of one atomic cell in order", () => {
    const src = `
fn f() -> i64 {
    let c = Atomic.new(0);
    let a = c.fetch_add(1, MemoryOrdering.SeqCst);
    let b = c.fetch_add(1, MemoryOrdering.SeqCst);
    a * 10 + b
}
fn main() { println(f()); }
`;
    const r = reportOf(src, "f");
    expect(r.parallel_groups).toEqual([]);
    expect(r.serialization_points.map((p) => [p.statements, p.serialized_by])).toContainEqual([[1, 2], { category: "data_dependency", kind: "raw", vars: ["c"] }]);
  });

  it("keeps moves of owned values out of groups", () => {
    const src = `
fn take(s: String) -> i64 { s.len() as i64 }
fn g(x: i64) -> i64 { x * 3 }
fn f() -> i64 {
    let a = String.from("abc");
    let b = g(1);
    let c = take(a);
    let d = g(2);
    let e = g(3);
    b + c + d + e
}
fn main() { println(f()); }
`;
    // 0 produces a value statement 2 moves; 2 consumes a captured String: neither may join a group.
    expect(reportOf(src, "f").parallel_groups.map((g) => g.statements)).toEqual([[3, 4]]);
  });

  it("treats a call with unknown effects as conflicting", () => {
    const src = `
effect resource R;
fn apply(f: Fn() -> i64 with _) -> i64 with _ { f() }
fn get() -> i64 reads(R) { 1 }
fn g() -> i64 { 2 }
fn f() -> i64 {
    let a = apply(|| 5);
    let b = get();
    let c = g();
    a + b + c
}
fn main() { println(f()); }
`;
    const r = reportOf(src, "f");
    expect(r.serialization_points.map((p) => [p.statements, p.reason, p.serialized_by])).toEqual([
      [[0, 1], "polymorphic-effect call — effects unknown at analysis time", { category: "polymorphic_effect" }],
    ]);
    expect(r.parallel_groups.map((g) => g.statements)).toEqual([[1, 2]]);
  });

  it("orders every use of a value with interior mutability", () => {
    const src = `
par struct Counter { count: Atomic[i64] }
fn bump(c: ref Counter) -> i64 { c.count.fetch_add(1, MemoryOrdering.Relaxed) }
fn f() -> i64 {
    let counter = Counter { count: Atomic.new(0) };
    let a = bump(counter);
    let b = bump(counter);
    let seen = counter.count.load(MemoryOrdering.Relaxed);
    a * 100 + b * 10 + seen
}
fn main() { println(f()); }
`;
    const r = reportOf(src, "f");
    expect(r.parallel_groups).toEqual([]);
    expect(r.serialization_points.map((p) => p.statements)).toEqual([[0, 1], [1, 2], [2, 3]]);
  });

  it("keeps statements with early exits out of groups", () => {
    const src = `
fn g(x: i64) -> i64 { x * 2 }
fn f(c: bool) -> i64 {
    let a = g(1);
    if c { return 0; }
    let b = g(2);
    let d = g(3);
    a + b + d
}
fn main() { println(f(false)); }
`;
    expect(reportOf(src, "f").parallel_groups.map((g) => [g.statements, g.reason])).toEqual([[[2, 3], "pure computations"]]);
  });

  it("drops groups that call the enclosing function (self-recursion gate)", () => {
    const src = `
fn fib(n: i64) -> i64 {
    if n < 2 { return n; }
    let a = fib(n - 1);
    let b = fib(n - 2);
    a + b
}
fn main() { println(fib(10)); }
`;
    const r = reportOf(src, "fib");
    expect(r.total_statements).toBe(3);
    expect(r.parallel_groups).toEqual([]);
  });

  it("never regroups an explicit par", () => {
    const src = `
fn g(x: i64) -> i64 { x * 2 }
fn f() -> i64 {
    let a = g(1);
    par {
        let p = g(2);
        let q = g(3);
    }
    let b = g(4);
    a + b + p + q
}
fn main() { println(f()); }
`;
    expect(reportOf(src, "f").parallel_groups).toEqual([]);
  });

  it("marks groups of constant initialisers as not dispatched", () => {
    const src = `
fn f() -> i64 {
    let a = 1;
    let b = 2;
    a + b
}
fn main() { println(f()); }
`;
    expect(reportOf(src, "f").parallel_groups).toEqual([{ statements: [0, 1], reason: "pure computations", dispatched: false }]);
  });

  it("dispatches pure groups whose cost cannot be bounded", () => {
    const src = `
fn spin(n: i64) -> i64 {
    let mut i = 0;
    let mut acc = 0;
    while i < n { acc = (acc * 7 + i) % 1009; i = i + 1; }
    acc
}
fn f() -> i64 {
    let a = spin(1000);
    let b = spin(2000);
    a + b
}
fn main() { println(f()); }
`;
    expect(reportOf(src, "f").parallel_groups).toEqual([{ statements: [0, 1], reason: "pure computations", dispatched: true }]);
    expect(reportOf(src, "f", false).parallel_groups).toEqual([{ statements: [0, 1], reason: "pure computations", dispatched: false }]);
  });

  it("records reorder opportunities for independent statements that are not adjacent", () => {
    const src = `
effect resource A;
fn get() -> i64 reads(A) { 1 }
fn put(v: i64) writes(A) { }
fn h(x: i64) -> i64 { x }
fn f() -> i64 {
    let a = get();
    put(a);
    let c = h(7);
    a + c
}
fn main() { println(f()); }
`;
    const r = reportOf(src, "f");
    expect(r.parallel_groups.map((g) => g.statements)).toEqual([[1, 2]]);
    expect(r.reorder_opportunities).toEqual([
      {
        statements: [0, 2],
        movable_statement: 2,
        reason: "statements 0 and 2 are independent but separated by 1 intervening statement; moving statement 2 adjacent to statement 0 would let them parallelize",
      },
    ]);
  });
});

describe("reorder opportunities", () => {
  it("never suggests moving a statement across an early exit", () => {
    const src = `
effect resource A;
fn get() -> i64 reads(A) { 1 }
fn put(v: i64) writes(A) { }
fn h(x: i64) -> i64 { x }
fn f(c: bool) -> i64 {
    let a = get();
    put(a);
    if c { return 0; }
    let d = h(7);
    a + d
}
fn main() { println(f(false)); }
`;
    expect(reportOf(src, "f").reorder_opportunities).toEqual([]);
  });
});

describe("report", () => {
  it("finds a generic function by its source name", () => {
    const src = `
fn twice[T](x: T, f: Fn(T) -> T) -> T { let a = f(x); let b = f(a); b }
fn inc(x: i64) -> i64 { x + 1 }
fn main() { println(twice(1, inc)); }
`;
    const r = run(src).result.reportFor("twice") as FunctionReport | undefined;
    expect(r?.function).toMatch(/^twice\[/);
    expect(r?.total_statements).toBe(2);
  });

  it("uses karac's keys in karac's order", () => {
    const r = reportOf(dashboard, "build_dashboard");
    expect(Object.keys(r)).toEqual([
      "function", "total_statements", "statement_spans", "parallel_groups", "loop_reductions",
      "declined_par_loops", "disjoint_write_loops", "serialization_points", "reorder_opportunities",
    ]);
    // karac's keys (our source offsets come after them).
    expect(r.statement_spans.map(({ file, line, column }) => ({ file, line, column }))).toEqual([
      { file: "t.kara", line: 41, column: 5 },
      { file: "t.kara", line: 42, column: 5 },
      { file: "t.kara", line: 43, column: 5 },
    ]);
  });

  it("returns undefined for a missing function and finds methods as Type.method", () => {
    const src = `
struct C { n: i64 }
impl C {
    fn two(self) -> i64 { let a = self.n; let b = self.n; a + b }
}
fn main() { let c = C { n: 2 }; println(c.two()); }
`;
    const { result } = run(src);
    expect(result.reportFor("nope")).toBeUndefined();
    expect((result.reportFor("C.two") as { function: string }).function).toBe("C.two");
    const whole = result.report() as { file: string; functions: { function: string }[] };
    expect(whole.file).toBe("t.kara");
    expect(whole.functions.map((f) => f.function)).toEqual(["C.two", "main"]);
  });
});

import { describe, expect, it } from "vitest";
import { analyze, errors, fnEffects, inferredOf, where } from "./testing.js";
import { effectsOfExpr, effectsOfExprDetailed, renderAtom } from "./index.js";

describe("leaf effects", () => {
  it("division, remainder and indexing panic; arithmetic alone does not", () => {
    const a = analyze(`
fn div(a: i64, b: i64) -> i64 { a / b }
fn rem(a: i64, b: i64) -> i64 { a % b }
fn idx(v: Vec[i64]) -> i64 { v[0] }
fn add(a: i64, b: i64) -> i64 { a * b + 1 }
fn main() { println(div(1, 1) + rem(1, 1) + idx([1]) + add(1, 2)); }
`);
    expect(inferredOf(a, "div")).toEqual(["panics"]);
    expect(inferredOf(a, "rem")).toEqual(["panics"]);
    expect(inferredOf(a, "idx")).toEqual(["panics"]);
    expect(inferredOf(a, "add")).toEqual([]);
  });

  it("unwrap, expect, panic, todo, unreachable and assert panic", () => {
    const a = analyze(`
fn u(o: Option[i64]) -> i64 { o.unwrap() }
fn e(r: Result[i64, String]) -> i64 { r.expect("bad") }
fn p() { panic("no") }
fn t() -> i64 { todo() }
fn n() -> i64 { unreachable() }
fn s(x: i64) { assert(x > 0); }
fn main() { s(1); }
`);
    for (const f of ["u", "e", "p", "t", "n", "s"]) expect(inferredOf(a, f)).toEqual(["panics"]);
  });

  it("Vec construction and push allocate; println, atomics and lock add nothing", () => {
    const a = analyze(`
fn build() -> Vec[i64] {
    let mut v: Vec[i64] = Vec.new();
    v.push(1);
    v
}
fn say(x: i64) { println(x); print("a"); eprintln("b"); }
fn tick(c: ref Atomic[i64]) -> i64 { c.fetch_add(1, MemoryOrdering.Relaxed) }
fn guard() {
    let m = Mutex.new(0);
    lock m { m = m + 1; }
}
fn main() { say(build().len()); guard(); }
`);
    expect(inferredOf(a, "build")).toEqual(["allocates(Heap)"]);
    expect(inferredOf(a, "say")).toEqual([]);
    expect(inferredOf(a, "tick")).toEqual([]);
    expect(inferredOf(a, "guard")).toEqual([]);
  });
});

describe("collection leaves", () => {
  it("Map insertion allocates and reading a missing key panics", () => {
    const a = analyze(`
fn fill() -> Map[String, i64] {
    let mut m: Map[String, i64] = Map.new();
    m.insert("a", 1);
    m
}
fn look(m: ref Map[String, i64]) -> i64 { m["a"] }
fn size(m: ref Map[String, i64]) -> i64 { m.len() }
fn main() { let m = fill(); println(look(m) + size(m)); }
`);
    expect(inferredOf(a, "fill")).toEqual(["allocates(Heap)"]);
    expect(inferredOf(a, "look")).toEqual(["panics"]);
    expect(inferredOf(a, "size")).toEqual([]);
  });
});

describe("propagation", () => {
  it("a declared clause is seeded even into an empty body and flows to callers", () => {
    const a = analyze(`
effect resource Ledger;
fn post(x: i64) writes(Ledger) { }
fn audit() with reads(Ledger) { }
fn step() { post(1); audit(); }
fn main() { step(); }
`);
    expect(inferredOf(a, "post")).toEqual(["writes(Ledger)"]);
    expect(inferredOf(a, "step")).toEqual(["reads(Ledger)", "writes(Ledger)"]);
    expect(inferredOf(a, "main")).toEqual(["reads(Ledger)", "writes(Ledger)"]);
    expect(fnEffects(a, "post").declared?.map(renderAtom)).toEqual(["writes(Ledger)"]);
    expect(fnEffects(a, "step").declared).toBeUndefined();
  });

  it("mutual recursion reaches the least fixed point and gets one L0002 note", () => {
    const a = analyze(`
effect resource Db;
fn ping(n: i64) -> i64 { if n == 0 { 0 } else { pong(n - 1) } }
fn pong(n: i64) -> i64 { if n == 1 { load() } else { ping(n - 1) } }
fn load() -> i64 with reads(Db) { 1 }
fn lonely(n: i64) -> i64 { if n == 0 { 0 } else { lonely(n - 1) } }
fn main() { println(ping(3) + lonely(2)); }
`);
    expect(inferredOf(a, "ping")).toEqual(["reads(Db)"]);
    expect(inferredOf(a, "pong")).toEqual(["reads(Db)"]);
    expect(inferredOf(a, "lonely")).toEqual([]);
    const notes = a.result.diagnostics.filter((d) => d.code === "L0002");
    expect(notes).toHaveLength(1);
    expect(notes[0].severity).toBe("note");
    expect(notes[0].message).toContain("ping, pong");
    expect(where(notes)).toEqual(["L0002@3:1"]);
    expect(errors(a.result.diagnostics)).toEqual([]);
  });

  it("a pub fn is an inference firewall: callers see its declared set", () => {
    const a = analyze(`
effect resource Db;
fn secret() with writes(Db) { }
pub fn api() -> i64 with writes(Db) panics {
    secret();
    let mut v: Vec[i64] = Vec.new();
    v.push(1);
    v[0]
}
fn main() { println(api()); }
`);
    expect(inferredOf(a, "api")).toEqual(["writes(Db)", "allocates(Heap)", "panics"]);
    // allocates(Heap) of the body is not in the declared set, so callers do not see it
    expect(inferredOf(a, "main")).toEqual(["writes(Db)", "panics"]);
    expect(errors(a.result.diagnostics)).toEqual([]);
  });

  it("closures are inferred, and calling a known closure performs its effects", () => {
    const a = analyze(`
fn main() {
    let half = |x: i64| x / 2;
    println(half(8));
}
`);
    expect(inferredOf(a, "main")).toEqual(["panics"]);
    const closure = a.program.functions.find((f) => f.kind === "closure")!;
    expect(a.result.functions.get(closure.id)!.inferred.map(renderAtom)).toEqual(["panics"]);
  });

  it("calling an unknown Fn value makes a function polymorphic; call sites bind the closure's effects", () => {
    const a = analyze(`
effect resource Log;
fn log(x: i64) with writes(Log) { }
fn apply(f: Fn(i64) -> i64, x: i64) -> i64 { f(x) }
fn quiet() -> i64 { apply(|x: i64| x + 1, 1) }
fn loud() -> i64 { apply(|x: i64| { log(x); x }, 1) }
fn main() { println(quiet() + loud()); }
`);
    expect(fnEffects(a, "apply").polymorphic).toBe(true);
    expect(inferredOf(a, "apply")).toEqual([]);
    expect(inferredOf(a, "quiet")).toEqual([]);
    expect(fnEffects(a, "quiet").polymorphic).toBe(false);
    expect(inferredOf(a, "loud")).toEqual(["writes(Log)"]);
  });

  it("handing an unknown Fn value on to a polymorphic function keeps the caller polymorphic", () => {
    const a = analyze(`
fn apply(f: Fn(i64) -> i64, x: i64) -> i64 { f(x) }
fn twice(g: Fn(i64) -> i64, x: i64) -> i64 { apply(g, apply(g, x)) }
fn main() { println(twice(|x: i64| x / 2, 8)); }
`);
    expect(fnEffects(a, "apply").polymorphic).toBe(true);
    expect(fnEffects(a, "twice").polymorphic).toBe(true);
    expect(fnEffects(a, "main").polymorphic).toBe(false);
    expect(inferredOf(a, "main")).toEqual(["panics"]);
  });

  it("par branches and spawned tasks contribute to the enclosing function", () => {
    const a = analyze(`
effect resource A;
effect resource B;
fn fa() -> i64 with reads(A) { 1 }
fn fb() -> i64 with writes(B) { 2 }
fn forks() {
    par {
        let x = fa();
        let y = fb();
    }
    println(x + y);
}
fn tasks() -> i64 {
    let mut tg = TaskGroup.new();
    let h: TaskHandle[i64] = tg.spawn(|| fa());
    h.join()
}
fn main() { forks(); println(tasks()); }
`);
    expect(inferredOf(a, "forks")).toEqual(["reads(A)", "writes(B)"]);
    expect(inferredOf(a, "tasks")).toEqual(["reads(A)"]);
  });

  it("module-level let mut reads and writes become per-binding resources", () => {
    const a = analyze(`
let mut COUNT: i64 = 0;
let LIMIT: i64 = 3;
fn bump() { COUNT = COUNT + 1; }
fn peek() -> i64 { COUNT + LIMIT }
fn main() { bump(); println(peek()); }
`);
    expect(inferredOf(a, "bump")).toEqual(["reads(COUNT_resource)", "writes(COUNT_resource)"]);
    expect(inferredOf(a, "peek")).toEqual(["reads(COUNT_resource)"]);
  });

  it("user verbs are kept and transparent verbs are erased", () => {
    const a = analyze(`
effect resource Ledger;
effect verb audits;
transparent effect verb traces;
fn f() with audits(Ledger) traces(Ledger) { }
fn main() { f(); }
`);
    expect(inferredOf(a, "f")).toEqual(["audits(Ledger)"]);
    expect(inferredOf(a, "main")).toEqual(["audits(Ledger)"]);
  });
});

describe("report and per-expression effects", () => {
  it("reports every source function with karac's atom spelling", () => {
    const a = analyze(`
effect resource UserDB;
fn fetch(id: i64) -> i64 with reads(UserDB) { id / 2 }
pub fn size() -> i64 { 3 }
fn main() { println(fetch(4) + size()); }
`);
    const report = a.result.report() as { functions: { function: string }[] };
    expect(report.functions.map((f) => f.function)).toEqual(["fetch", "size", "main"]);
    expect(a.result.reportFor("fetch")).toEqual({
      function: "fetch",
      declared: ["reads(UserDB)"],
      inferred: ["reads(UserDB)", "panics"],
      pub: false,
      polymorphic: false,
      origins: [
        { effect: "reads(UserDB)", from: "declared", line: 3, column: 1 },
        { effect: "panics", from: "direct", line: 3, column: 47 },
      ],
    });
    expect(a.result.reportFor("size")).toEqual({ function: "size", declared: null, inferred: [], pub: true, polymorphic: false, origins: [] });
    expect(a.result.reportFor("nope")).toBeUndefined();
    expect(JSON.parse(JSON.stringify(a.result.report()))).toEqual(a.result.report());
  });

  it("effectsOfExpr includes forked branches and spawned tasks, and flags unknown Fn calls", () => {
    const a = analyze(`
effect resource A;
fn fa() -> i64 with reads(A) { 1 }
fn run(f: Fn() -> i64) -> i64 {
    let h = spawn(|| fa());
    let got: i64 = h.join();
    par {
        let x = fa() / 1;
        println(2);
    }
    got + x + f()
}
fn main() { println(run(|| 3)); }
`);
    const run = a.program.functions.find((f) => f.name === "run")!;
    const [spawnLet, , parStmt] = run.body.stmts;
    if (spawnLet.kind !== "let" || !spawnLet.init || parStmt.kind !== "expr") throw new Error("unexpected lowering");
    expect(effectsOfExpr(a.program, a.result, spawnLet.init).map(renderAtom)).toEqual(["reads(A)"]);
    expect(effectsOfExpr(a.program, a.result, parStmt.expr).map(renderAtom)).toEqual(["reads(A)", "panics"]);
    const tail = run.body.tail!;
    expect(effectsOfExprDetailed(a.program, a.result, tail).opaque).toBe(true);
    expect(effectsOfExprDetailed(a.program, a.result, parStmt.expr).opaque).toBe(false);
  });

  it("effectsOfExpr gives each statement its own effects", () => {
    const a = analyze(`
effect resource A;
effect resource B;
fn fa() -> i64 with reads(A) { 1 }
fn fb(x: i64) -> i64 with writes(B) { x }
fn main() {
    let x = fa();
    let y = fb(x) / 2;
    println(x + y);
}
`);
    const main = a.program.functions.find((f) => f.name === "main")!;
    const perStmt = main.body.stmts.map((s) => {
      const e = s.kind === "let" ? s.init! : s.kind === "expr" ? s.expr : s.value;
      return effectsOfExpr(a.program, a.result, e).map(renderAtom);
    });
    expect(perStmt).toEqual([["reads(A)"], ["writes(B)", "panics"], []]);
    const first = main.body.stmts[0];
    if (first.kind !== "let" || !first.init) throw new Error("expected a let");
    expect(effectsOfExprDetailed(a.program, a.result, first.init).opaque).toBe(false);
  });
});

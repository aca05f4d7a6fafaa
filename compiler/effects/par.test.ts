import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { TStmt } from "../tir/nodes.js";
import { analyzeEffects } from "./index.js";
import { analyze, errors, pipeline, where } from "./testing.js";

const chapter = (name: string): string =>
  readFileSync(fileURLToPath(new URL(`../../examples/chapter/${name}`, import.meta.url)), "utf8");

describe("E0408: writes to a captured let mut from a par branch", () => {
  // The chapter's promise: a branch writing a plain `let mut` shared with its siblings is rejected,
  // and the message points at Atomic, Mutex and par struct.
  it("a branch assigning a captured local is rejected, naming Atomic, Mutex and par struct", () => {
    // The checker lowers this program with the branch only reading `total`; turning that read into a
    // write gives exactly the TIR a branch assignment lowers to, whichever phase reports it first.
    const a = analyze(`
fn main() {
    let mut total = 0;
    par {
        let seen = total + 1;
        println(2);
    }
    println(total + seen);
}
`);
    expect(a.result.diagnostics).toEqual([]);
    const branch = a.program.functions.find((f) => f.kind === "parBranch")!;
    const slot = branch.captures.find((c) => c.name === "total")!;
    const first = branch.body.stmts[0] as TStmt & { kind: "let" };
    branch.body.stmts[0] = {
      kind: "assign",
      place: { kind: "local", local: slot.local, type: slot.type, span: first.span },
      value: first.init!,
      span: first.span,
    };
    const ds = errors(analyzeEffects(a.program).diagnostics);
    expect(where(ds)).toEqual(["E0408@5:9"]);
    expect(ds[0].message).toMatch(/^local let mut 'total' cannot be written from inside par \{ \}/);
    for (const name of ["Atomic", "Mutex", "par struct"]) expect(ds[0].message).toContain(name);
  });

  it("the pipeline rejects assignment, a mutating method and a mut ref argument, once each", () => {
    for (const [body, at] of [
      ["total = total + 1;", "E0408@4:11"],
      ["items.push(1);", "E0408@4:11"],
      ["bump(mut total);", "E0408@4:20"],
    ] as const) {
      const ds = errors(pipeline(`
fn bump(x: mut ref i64) { x = x + 1; }
fn main() { let mut total = 0; let mut items: Vec[i64] = Vec.new();
    par { ${body}
        println(1);
    }
}
`));
      expect(where(ds)).toEqual([at]);
      expect(ds[0].message).toContain("Atomic");
      expect(ds[0].message).toContain("Mutex");
    }
  });

  it("a closure that assigns a captured let mut, called from branches, is rejected once per binding", () => {
    const ds = errors(pipeline(`
fn twice(f: Fn() -> ()) { f(); f(); }
fn main() {
    let mut n = 0;
    let inc = || { n = n + 1; };
    par {
        inc();
        twice(inc);
    }
    println(n);
}
`));
    expect(where(ds)).toEqual(["E0408@7:9"]);
    for (const name of ["local let mut 'n'", "Atomic", "Mutex", "par struct"]) expect(ds[0].message).toContain(name);
  });

  it("near miss: the same closure called outside any par block", () => {
    const ds = pipeline(`
fn main() {
    let mut n = 0;
    let inc = || { n = n + 1; };
    inc();
    par {
        println(1);
        println(2);
    }
    println(n);
}
`);
    expect(ds).toEqual([]);
  });

  it("a module-level let mut written by a branch (directly or via a callee) is rejected", () => {
    const a = analyze(`
let mut HITS: i64 = 0;
fn hit() { HITS = HITS + 1; }
fn main() {
    par {
        hit();
        println(1);
    }
    println(HITS);
}
`);
    const ds = errors(a.result.diagnostics);
    expect(where(ds)).toEqual(["E0408@6:9"]);
    expect(ds[0].message).toContain("module-level let mut 'HITS' cannot be written from inside par { }");
    for (const name of ["Atomic", "Mutex", "par struct", "line 2"]) expect(ds[0].message).toContain(name);
  });

  it("near misses: reading shared lets, hoisted branch bindings, Atomic and Mutex shared by branches", () => {
    const a = analyze(`
let mut SEED: i64 = 7;
fn work(n: i64) -> i64 { n * 2 + SEED }
fn main() {
    let limit = 10;
    let mut scale = 3;
    let hits = Atomic.new(0);
    let best = Mutex.new(0);
    par {
        let a = work(limit * scale);
        let b = work(limit + scale);
        hits.fetch_add(1, MemoryOrdering.Relaxed);
        hits.fetch_add(2, MemoryOrdering.Relaxed);
        lock best { best = best + 1; }
    }
    scale = a + b;
    println(scale + hits.load(MemoryOrdering.SeqCst));
}
`);
    expect(a.result.diagnostics).toEqual([]);
  });

  it("the chapter's par counter and a par struct with Atomic and Mutex fields compile cleanly", () => {
    expect(analyze(chapter("par_counter.kara")).result.diagnostics).toEqual([]);
    const a = analyze(`
par struct Score { total: Atomic[i64], best: Mutex[i64] }
fn weigh(s: ref Score, v: i64) {
    let _ = s.total.fetch_add(v, MemoryOrdering.Relaxed);
    lock s.best b { if v > b { b = v; } }
}
fn main() {
    let s = Score { total: Atomic.new(0), best: Mutex.new(0) };
    par { weigh(s, 4); weigh(s, 9); weigh(s, 2); }
    let mut tg = TaskGroup.new();
    let h: TaskHandle[i64] = tg.spawn(|| s.total.load(MemoryOrdering.SeqCst));
    let got: i64 = h.join();
    println(got);
}
`);
    expect(a.result.diagnostics).toEqual([]);
  });
});

describe("E_CONCURRENT_*: one struct binding used from two branches", () => {
  it("a shared struct reachable from two branches", () => {
    const a = analyze(`
shared struct Node { mut value: i64 }
fn main() {
    let n = Node { value: 1 };
    par {
        n.value = 2;
        println(n.value);
    }
}
`);
    const ds = errors(a.result.diagnostics);
    expect(where(ds)).toEqual(["E_CONCURRENT_SHARED_STRUCT@7:17"]);
    expect(ds[0].message).toContain("shared struct `Node` cannot be accessed from multiple concurrent tasks");
    expect(ds[0].message).toContain("first use at line 6:9");
    expect(ds[0].notes?.[0]).toContain("par struct");
  });

  it("near miss: a shared struct used by one branch only", () => {
    const a = analyze(`
shared struct Node { mut value: i64 }
fn main() {
    let n = Node { value: 1 };
    par {
        n.value = 2;
        println(3);
    }
    println(n.value);
}
`);
    expect(a.result.diagnostics).toEqual([]);
  });

  it("a plain struct whose fields two branches read", () => {
    const a = analyze(`
struct Point { x: i64, y: i64 }
fn main() {
    let p = Point { x: 1, y: 2 };
    par {
        println(p.x);
        println(p.y);
    }
}
`);
    const ds = errors(a.result.diagnostics);
    expect(where(ds)).toEqual(["E_CONCURRENT_PLAIN_STRUCT@7:17"]);
    expect(ds[0].message).toContain("plain struct `Point`");
  });

  it("near miss: a plain struct passed to each branch only as a bare ref argument", () => {
    const a = analyze(`
struct Point { x: i64, y: i64 }
fn norm(p: ref Point) -> i64 { p.x * p.x + p.y * p.y }
fn main() {
    let p = Point { x: 1, y: 2 };
    par {
        let a = norm(p);
        let b = norm(p);
    }
    println(a + b);
}
`);
    expect(a.result.diagnostics).toEqual([]);
  });

  it("a plain struct holding a shared struct is not safe even as a ref argument", () => {
    const a = analyze(`
shared struct Cell { mut v: i64 }
struct Holder { cell: Cell }
fn peek(h: ref Holder) -> i64 { h.cell.v }
fn main() {
    let h = Holder { cell: Cell { v: 1 } };
    par {
        let a = peek(h);
        let b = peek(h);
    }
    println(a + b);
}
`);
    expect(where(errors(a.result.diagnostics))).toEqual(["E_CONCURRENT_PLAIN_STRUCT@9:22"]);
  });
});

describe("E0254: values that cannot cross a task boundary", () => {
  it("a spawned thunk capturing a shared struct", () => {
    const a = analyze(`
shared struct Node { mut value: i64 }
fn main() {
    let n = Node { value: 1 };
    let h = spawn(|| n.value + 1);
    let v: i64 = h.join();
    println(v);
}
`);
    const ds = errors(a.result.diagnostics);
    expect(where(ds)).toEqual(["E0254@5:22"]);
    expect(ds[0].message).toBe("capture of `n` (type `Node`) cannot cross a spawn task boundary — type `Node` reaches `shared struct Node`");
    expect(ds[0].notes?.[0]).toContain("par struct");
  });

  it("a TaskGroup task capturing a struct that holds a shared struct", () => {
    const a = analyze(`
shared struct Cell { mut v: i64 }
struct Holder { cell: Cell }
fn main() {
    let h = Holder { cell: Cell { v: 1 } };
    let mut tg = TaskGroup.new();
    let t: TaskHandle[i64] = tg.spawn(|| h.cell.v);
    let v: i64 = t.join();
    println(v);
}
`);
    const ds = errors(a.result.diagnostics);
    expect(where(ds)).toEqual(["E0254@7:42"]);
    expect(ds[0].message).toContain("cannot cross a TaskGroup.spawn task boundary");
    expect(ds[0].message).toContain("reaches `shared struct Cell` at cell");
  });

  it("near miss: tasks capturing plain values, a par struct and an Atomic", () => {
    const a = analyze(`
par struct Counter { count: Atomic[i64] }
struct Point { x: i64, y: i64 }
fn main() {
    let c = Counter { count: Atomic.new(0) };
    let p = Point { x: 1, y: 2 };
    let hits = Atomic.new(0);
    let mut tg = TaskGroup.new();
    let a: TaskHandle[i64] = tg.spawn(|| c.count.fetch_add(p.x, MemoryOrdering.Relaxed));
    let b: TaskHandle[i64] = tg.spawn(|| hits.fetch_add(p.y, MemoryOrdering.Relaxed));
    let total: i64 = a.join() + b.join();
    println(total);
}
`);
    expect(a.result.diagnostics).toEqual([]);
  });
});

describe("E0258: mut ref self on a par type", () => {
  it("the pipeline reports it exactly once", () => {
    const ds = errors(pipeline(`
par struct Score { total: Atomic[i64] }
impl Score {
    fn reset(mut ref self) { }
}
fn main() { }
`));
    expect(ds.map((d) => d.code)).toEqual(["E0258"]);
    expect(ds[0].span.line).toBe(4);
  });

  it("the effect phase reports it on a par type's method", () => {
    const a = analyze(`
struct Score { total: i64 }
impl Score {
    fn reset(mut ref self) { }
    fn peek(ref self) -> i64 { self.total }
}
fn main() { let mut s = Score { total: 1 }; s.reset(); println(s.peek()); }
`);
    expect(a.result.diagnostics).toEqual([]);
    a.program.structs.get("Score")!.flavor = "par";
    const ds = errors(analyzeEffects(a.program).diagnostics);
    expect(ds.map((d) => `${d.code}@${d.span.line}`)).toEqual(["E0258@4"]);
    expect(ds[0].message).toContain("method 'reset' of par type Score cannot take `mut ref self`");
  });
});

describe("L0003: loops in par branches without an effect boundary", () => {
  it("warns on a pure loop and not on loops with a boundary or loops inside callees", () => {
    const a = analyze(`
effect resource Log;
fn note(x: i64) with writes(Log) { }
fn spin(n: i64) -> i64 { let mut i = 0; while i < n { i = i + 1; } i }
fn main() {
    par {
        {
            let mut i = 0;
            while i < 100 { i = i + 1; }
        }
        {
            let mut j = 0;
            while j < 100 { note(j); j = j + 1; }
        }
        for k in 0..10 { println(k); }
        let s = spin(5);
    }
    println(s);
}
`);
    const ds = a.result.diagnostics;
    expect(where(ds)).toEqual(["L0003@9:13"]);
    expect(ds[0].severity).toBe("warning");
    expect(ds[0].message).toContain("no effect boundary");
  });

  it("the chapter's heavy branches (loops inside callees) do not warn", () => {
    expect(analyze(chapter("par_heavy.kara")).result.diagnostics).toEqual([]);
  });
});

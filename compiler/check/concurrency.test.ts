import { describe, expect, it } from "vitest";
import { errs, fn, local, localType, messages, nodes, ok } from "./testutil.js";

const main = (body: string, items = ""): string => `${items}\nfn main() {\n${body}\n}\n`;

describe("Atomic[T]", () => {
  it("types every atomic operation with its literal orderings", () => {
    const p = ok(
      main(
        "let a = Atomic.new(0);\nlet x = a.load(MemoryOrdering.Acquire);\na.store(5, MemoryOrdering.Release);\nlet y = a.fetch_add(1, MemoryOrdering.Relaxed);\nlet z = a.fetch_sub(1, MemoryOrdering.SeqCst);\nlet w = a.swap(3, MemoryOrdering.AcqRel);\nlet r = a.compare_exchange(3, 4, MemoryOrdering.SeqCst, MemoryOrdering.Relaxed);\nprintln(x + y + z + w);\nprintln(r);",
      ),
    );
    expect(localType(p, "main", "a")).toBe("Atomic[i64]");
    expect(localType(p, "main", "r")).toBe("Result[i64, i64]");
    const ops = nodes(fn(p, "main"), "builtin").filter((b) => String(b.op).startsWith("atomic."));
    expect(ops.map((o) => [o.op, o.orderings])).toEqual([
      ["atomic.new", undefined],
      ["atomic.load", ["Acquire"]],
      ["atomic.store", ["Release"]],
      ["atomic.fetch_add", ["Relaxed"]],
      ["atomic.fetch_sub", ["SeqCst"]],
      ["atomic.swap", ["AcqRel"]],
      ["atomic.compare_exchange", ["SeqCst", "Relaxed"]],
    ]);
    // an atomic local lives in memory so its address can be used
    expect(local(fn(p, "main"), "a").addressTaken).toBe(true);
  });

  it("adopts the inner type from an annotation", () => {
    const p = ok(main("let a: Atomic[u32] = Atomic.new(1);\nprintln(a.load(MemoryOrdering.SeqCst));"));
    expect(localType(p, "main", "a")).toBe("Atomic[u32]");
  });

  it("E0270 when the ordering is missing or not a literal", () => {
    const src = main("let a = Atomic.new(0);\nlet x = a.load();\nprintln(x);");
    expect(errs(src)).toEqual(["E0270 4:9"]);
    expect(messages(src)[0]).toContain("every atomic operation requires an explicit MemoryOrdering");
    expect(errs(main("let a = Atomic.new(0);\nlet o = 1;\nlet x = a.fetch_add(1, o);"))).toEqual(["E0270 5:24"]);
    expect(errs(main("let a = Atomic.new(0);\nlet x = a.fetch_add(1, Relaxed);"))[0]).toMatch(/^E0270 4:24$/);
  });

  it("rejects orderings an operation cannot use", () => {
    expect(errs(main("let a = Atomic.new(0);\nlet x = a.load(MemoryOrdering.Release);"))).toEqual(["E0283 4:9"]);
    expect(errs(main("let a = Atomic.new(0);\na.store(1, MemoryOrdering.Acquire);"))).toEqual(["E0283 4:1"]);
  });

  it("E0272 for an inner type that is not an integer or bool", () => {
    expect(errs(main('let a = Atomic.new("x");'))).toEqual(["E0272 3:20"]);
    expect(errs("struct S { a: Atomic[f64] }\nfn main() {}")).toEqual(["E0272 1:15"]);
    ok(main("let b = Atomic.new(true);\nlet old = b.swap(false, MemoryOrdering.SeqCst);\nprintln(old);"));
  });

  it("Atomic[bool] has no fetch_add", () => {
    expect(errs(main("let b = Atomic.new(true);\nlet x = b.fetch_add(1, MemoryOrdering.SeqCst);"))).toEqual(["E0236 4:11"]);
  });
});

describe("par structs", () => {
  it("E0257: mut fields of a par struct must be Atomic or Mutex", () => {
    const src = "par struct S { mut n: i64, mut ok: Atomic[i64], mut m: Mutex[i64], fixed: i64 }\nfn main() {}";
    expect(errs(src)).toEqual(["E0257 1:16"]);
    expect(messages(src)[0]).toContain("Atomic[T] or Mutex[T]");
  });

  it("E0258: par type methods cannot take mut ref self", () => {
    expect(errs("par struct S { n: Atomic[i64] }\nimpl S { fn f(mut ref self) { } }\nfn main() {}")).toEqual(["E0258 2:13"]);
  });
});

describe("par blocks", () => {
  it("each top-level statement is a lifted branch", () => {
    const p = ok(main("par {\nprintln(1);\nprintln(2);\n}"));
    const par = nodes(fn(p, "main"), "par")[0] as { branches: { fn: number; span: { line: number } }[] };
    expect(par.branches.map((b) => b.span.line)).toEqual([4, 5]);
    expect(par.branches.map((b) => p.functions[b.fn].panicName)).toEqual(["main", "main"]);
  });

  it("a branch reading a sibling's binding is E0100", () => {
    const src = main("par {\nlet a = 1;\nlet b = a + 1;\n}\nprintln(b);");
    expect(errs(src)).toEqual(["E0100 5:9"]);
    expect(messages(src)[0]).toContain("sibling `par` branch");
  });

  it("the tail expression runs after the join and sees every hoisted binding", () => {
    const p = ok(main("let s = par {\nlet a = 1;\nlet b = 2;\na + b\n};\nprintln(s);"));
    expect(localType(p, "main", "s")).toBe("i64");
  });

  it("branches capture outer values by copy and Atomic locals by address", () => {
    const p = ok(main("let k = 5;\nlet c = Atomic.new(0);\npar {\nc.fetch_add(k, MemoryOrdering.Relaxed);\nc.fetch_add(k, MemoryOrdering.Relaxed);\n}\nprintln(c.load(MemoryOrdering.SeqCst));"));
    const par = nodes(fn(p, "main"), "par")[0] as { branches: { fn: number }[] };
    const b0 = p.functions[par.branches[0].fn];
    expect(b0.captures.map((c) => [c.name, c.byRef]).sort()).toEqual([
      ["c", true],
      ["k", false],
    ]);
  });

  it("E0408: a branch may not write a captured let mut", () => {
    const src = main("let mut total = 0;\npar {\ntotal = total + 1;\nprintln(2);\n}\nprintln(total);");
    expect(errs(src)).toEqual(["E0408 5:1"]);
    const d = messages(src)[0];
    expect(d).toContain("cannot be written from inside par");
    // The chapter's promise: the message points at the concurrency-safe alternatives.
    for (const remedy of ["Atomic", "Mutex", "par struct"]) expect(d).toContain(remedy);
  });
});

describe("TaskGroup", () => {
  it("spawn returns TaskHandle[T] and join returns T", () => {
    const p = ok(main("let mut tg = TaskGroup.new();\nlet h = tg.spawn(|| 6 * 7);\nlet got = h.join();\nprintln(got);"));
    expect(localType(p, "main", "h")).toBe("TaskHandle[i64]");
    expect(localType(p, "main", "got")).toBe("i64");
    const ops = nodes(fn(p, "main"), "builtin").map((b) => b.op);
    expect(ops).toEqual(["taskgroup.new", "taskgroup.spawn", "taskhandle.join", "println"]);
  });

  it("spawn needs a mutable group and a closure literal", () => {
    expect(errs(main("let tg = TaskGroup.new();\nlet h = tg.spawn(|| 1);\nprintln(h.join());"))).toEqual(["E0510 4:9"]);
    expect(errs(main("let mut tg = TaskGroup.new();\nlet f = || 1;\nlet h = tg.spawn(f);"))).toEqual(["E0223 5:18"]);
  });

  it("E0253: TaskHandle and TaskGroup cannot escape as fields or return types", () => {
    expect(errs("struct S { h: TaskHandle[i64] }\nfn main() {}")).toEqual(["E0253 1:12"]);
    expect(errs("fn f() -> TaskGroup { TaskGroup.new() }\nfn main() {}")).toEqual(["E0253 1:11"]);
  });

  it("free spawn works too", () => {
    const p = ok(main("let h = spawn(|| 3);\nprintln(h.join());"));
    expect(localType(p, "main", "h")).toBe("TaskHandle[i64]");
  });
});

describe("effects", () => {
  it("E0100 for an undefined effect resource", () => {
    expect(errs("fn f() with reads(Nope) { }\nfn main() { f(); }")).toEqual(["E0100 1:19"]);
  });

  it("records verbs, groups and declared clauses", () => {
    const p = ok("effect resource Ledger;\neffect verb audits;\nfn post() with writes(Ledger) panics { }\nfn main() { post(); }");
    expect(p.verbs.map((v) => v.name)).toEqual(["audits"]);
    expect(fn(p, "post").effects?.map((e) => (e.kind === "verb" ? e.verb : e.kind))).toEqual(["writes", "panics"]);
  });
});

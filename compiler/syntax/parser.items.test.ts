import { describe, it, expect } from "vitest";
import type * as A from "./ast.js";
import { parseOk, showType, showEffect, show } from "./testutil.js";

function item<K extends A.Item["kind"]>(src: string, kind: K): Extract<A.Item, { kind: K }> {
  const it = parseOk(src).items[0];
  expect(it.kind).toBe(kind);
  return it as Extract<A.Item, { kind: K }>;
}

describe("functions", () => {
  it("generics with bounds and effect variables", () => {
    const f = item("fn apply[T: Ord + Display, with E, F](f: Fn(T) -> T with E, x: T) -> T with E { f(x) }", "fn");
    expect(f.generics.map((g) => [g.name, g.bounds.map(showType), g.isEffectVar])).toEqual([
      ["T", ["Ord", "Display"], false],
      ["E", [], true],
      ["F", [], true],
    ]);
    expect(showType(f.params[0].type)).toBe("Fn(T) -> T with var:E");
    expect(f.effects!.items.map(showEffect)).toEqual(["var:E"]);
  });

  it("default parameter values and pub", () => {
    const f = item("pub fn f(a: i64, b: i64 = 3) -> i64 { a + b }", "fn");
    expect(f.pub).toBe(true);
    expect(show(f.params[1].defaultValue)).toBe("3");
    expect(f.params[0].defaultValue).toBeUndefined();
  });

  it("attributes on items", () => {
    const s = item("#[derive(Display, Eq)]\n#[par_order_free]\nstruct P { x: i64 }", "struct");
    expect(s.attrs.map((a) => [a.name, a.args])).toEqual([
      ["derive", ["Display", "Eq"]],
      ["par_order_free", []],
    ]);
    const f = item('#[allow(mutual_recursion_note)]\n#[profile(name = "x")]\nfn f() {}', "fn");
    expect(f.attrs.map((a) => [a.name, a.args])).toEqual([
      ["allow", ["mutual_recursion_note"]],
      ["profile", ['name="x"']],
    ]);
    const g = item("#[attr::path]\nfn g() {}", "fn");
    expect(g.attrs[0].name).toBe("attr::path");
  });

  it("fn types with and without effects and returns", () => {
    const f = item("fn k(a: Fn(i64, i64) -> i64, b: Fn(), c: Fn(i64) -> i64 reads(X)) -> Fn(i64) -> i64 { |x| x }", "fn");
    expect(f.params.map((p) => showType(p.type))).toEqual(["Fn(i64, i64) -> i64", "Fn()", "Fn(i64) -> i64 with reads(X)"]);
    expect(showType(f.ret)).toBe("Fn(i64) -> i64");
  });

  it("types: tuples, refs, unit, Self, infer, dotted paths, const args", () => {
    const f = item("fn t(a: (i64, String), b: ref Vec[i64], c: (), d: Array[i64, 3], e: db.Users, g: Option[ref V], h: mut ref i64) -> Self { x }", "fn");
    expect(f.params.map((p) => showType(p.type))).toEqual(["(i64, String)", "Vec[i64]", "()", "Array[i64, 3]", "db.Users", "Option[ref V]", "i64"]);
    expect(f.params[6].mode).toBe("mutref");
    expect(f.ret?.kind).toBe("self");
  });

  it("`frozen T` parameters; `frozen` stays an ordinary name elsewhere", () => {
    const f = item("fn t(a: frozen Graph, frozen: i64, c: frozen.Kind, d: i64) -> i64 { frozen }", "fn");
    expect(f.params.map((p) => [p.name.name, p.mode, showType(p.type)])).toEqual([
      ["a", "frozen", "Graph"],
      ["frozen", "owned", "i64"],
      ["c", "owned", "frozen.Kind"],
      ["d", "owned", "i64"],
    ]);
  });

  it("trait method signatures without bodies and default methods", () => {
    const t = item("trait Area { fn area(ref self) -> f64; fn twice(ref self) -> f64 { self.area() * 2.0 } type Item; }", "trait");
    expect(t.methods.map((m) => [m.name.name, m.body === undefined])).toEqual([
      ["area", true],
      ["twice", false],
    ]);
  });

  it("trait supertraits are kept in source order, and absent when there are none", () => {
    const t = item("trait Named: Shape + Display { fn name(ref self) -> String; }", "trait");
    expect(t.supertraits?.map(showType)).toEqual(["Shape", "Display"]);
    expect(item("trait Plain { fn f(ref self); }", "trait").supertraits).toBeUndefined();
  });

  it("impl forms", () => {
    const a = item("impl Area for Sq { fn area(ref self) -> f64 { self.s } }", "impl");
    expect(showType(a.trait)).toBe("Area");
    expect(showType(a.target)).toBe("Sq");
    const b = item("impl[T: Ord] Heap[T] { pub fn len(ref self) -> i64 { 0 } }", "impl");
    expect(b.generics.map((g) => g.name)).toEqual(["T"]);
    expect(showType(b.target)).toBe("Heap[T]");
    expect(b.methods[0].pub).toBe(true);
    const c = item("impl Drop for T { fn drop(mut ref self) { } }", "impl");
    expect(c.methods[0].receiver).toBe("mutref");
  });
});

describe("data types", () => {
  it("enum variants of every shape", () => {
    const e = item("enum Cmd { Quit, Move(i64, i64), Say { text: String }, }", "enum");
    expect(e.variants.map((v) => [v.name.name, v.shape, v.tupleTypes.length, v.fields.length])).toEqual([
      ["Quit", "unit", 0, 0],
      ["Move", "tuple", 2, 0],
      ["Say", "struct", 0, 1],
    ]);
    expect(item("shared enum T { Leaf }", "enum").flavor).toBe("shared");
    expect(item("par enum T { A { x: Atomic[i64] } }", "enum").flavor).toBe("par");
    expect(item("enum Opt[T] { Some(T), None }", "enum").generics[0].name).toBe("T");
  });

  it("empty struct and generic struct", () => {
    expect(item("struct M {}", "struct").fields).toEqual([]);
    const p = item("struct Pair[A, B] { a: A, b: B }", "struct");
    expect(p.generics.map((g) => g.name)).toEqual(["A", "B"]);
  });

  it("struct invariants among the fields, plain and `impl`, the comma after one optional", () => {
    const s = item("struct R { lo: i64, invariant self.lo <= self.hi, hi: i64, impl invariant self.hi < 9 }", "struct");
    expect(s.fields.map((f) => f.name.name)).toEqual(["lo", "hi"]);
    expect(s.invariants?.map((i) => [i.everyMethod, i.expr.kind])).toEqual([[false, "binary"], [true, "binary"]]);
    expect(item("struct Q { n: i64, invariant self.n > 0 impl invariant self.n < 5 }", "struct").invariants?.length).toBe(2);
    expect(item("struct P { n: i64 }", "struct").invariants).toBeUndefined();
  });
});

describe("module-level bindings and aliases", () => {
  it("const and let", () => {
    const c = item("const MAX_SIDE: i64 = 3;", "const");
    expect([c.isLet, c.mut, showType(c.type), show(c.value)]).toEqual([false, false, "i64", "3"]);
    const l = item("let mut COUNTER: i64 = 0;", "const");
    expect([l.isLet, l.mut]).toEqual([true, true]);
    const l2 = item("let LIMIT: i64 = 10;", "const");
    expect([l2.isLet, l2.mut]).toEqual([true, false]);
  });

  it("type aliases and distinct types", () => {
    const a = item("type UserId = i64;", "typeAlias");
    expect([a.name.name, a.distinct, showType(a.type)]).toEqual(["UserId", false, "i64"]);
    const d = item("distinct type Meters = f64;", "typeAlias");
    expect(d.distinct).toBe(true);
    expect(item("type P = i64 where self > 0;", "typeAlias").name.name).toBe("P");
  });

  it("imports", () => {
    const items = parseOk("import a.b.Item;\nimport a.b.{X, Y};\nimport a.b.X as Z;\nimport a.b.*;\npub import std.io;").items as A.ImportDecl[];
    expect(items.map((i) => [i.path.join("."), i.names.join(","), i.alias ?? "", i.pub])).toEqual([
      ["a.b.Item", "", "", false],
      ["a.b", "X,Y", "", false],
      ["a.b.X", "", "Z", false],
      ["a.b", "*", "", false],
      ["std.io", "", "", true],
    ]);
  });
});

describe("effect declarations (effects-concurrency.md §1.1)", () => {
  it("resources", () => {
    const items = parseOk(
      "effect resource Ledger;\nresource Short;\neffect resource Mailer: MailProvider;\neffect resource Both: A + B[Req];\neffect resource Shard[key: i64];",
    ).items as A.EffectResourceDecl[];
    expect(items.map((r) => [r.name.name, r.bounds.map(showType).join("+"), r.keyParam ? `${r.keyParam.name.name}:${showType(r.keyParam.type)}` : ""])).toEqual([
      ["Ledger", "", ""],
      ["Short", "", ""],
      ["Mailer", "MailProvider", ""],
      ["Both", "A+B[Req]", ""],
      ["Shard", "", "key:i64"],
    ]);
  });

  it("groups and verbs", () => {
    const g = item("effect group bookkeeping = reads(Ledger) + writes(Ledger) + other_group;", "effectGroup");
    expect(g.terms.map(showEffect)).toEqual(["reads(Ledger)", "writes(Ledger)", "group:other_group"]);
    const v = item("effect verb audits;", "effectVerb");
    expect([v.name.name, v.transparent]).toEqual(["audits", false]);
    expect(item("transparent effect verb traces;", "effectVerb").transparent).toBe(true);
  });
});

describe("effect clauses (effects-concurrency.md §1.3)", () => {
  const clause = (sig: string): A.EffectClause | undefined => item(`fn f()${sig} { }`, "fn").effects;

  it("with is optional; only verbs without it", () => {
    const c = clause(" writes(Ledger)")!;
    expect(c.withKeyword).toBe(false);
    expect(c.items.map(showEffect)).toEqual(["writes(Ledger)"]);
    expect(clause(" -> i64 reads(A) panics")!.items.map(showEffect)).toEqual(["reads(A)", "panics"]);
  });

  it("several resources, trailing comma, dotted paths and keys", () => {
    expect(clause(" with reads(A, B,) writes(db.Users) writes(Shard[k + 1])")!.items.map(showEffect)).toEqual([
      "reads(A, B)",
      "writes(db.Users)",
      "writes(Shard[(k + 1)])",
    ]);
  });

  it("bare execution verbs, all resource verbs", () => {
    expect(clause(" with panics blocks suspends sends(Network) receives(Network) allocates(Heap)")!.items.map(showEffect)).toEqual([
      "panics",
      "blocks",
      "suspends",
      "sends(Network)",
      "receives(Network)",
      "allocates(Heap)",
    ]);
  });

  it("wildcard, effect variables, user verbs and groups", () => {
    expect(clause(" with _")!.items.map(showEffect)).toEqual(["var:_"]);
    expect(clause(" with E reads(Config)")!.items.map(showEffect)).toEqual(["var:E", "reads(Config)"]);
    expect(clause(" with audits(Ledger) io_ops")!.items.map(showEffect)).toEqual(["audits(Ledger)", "group:io_ops"]);
    expect(clause(" audits(Ledger)")!.items.map(showEffect)).toEqual(["audits(Ledger)"]);
  });

  it("clause spans cover the written clause", () => {
    const src = "fn f() -> i64 with reads(A) writes(B) { 1 }";
    const c = item(src, "fn").effects!;
    expect(src.slice(c.span.offset, c.span.offset + c.span.length)).toBe("with reads(A) writes(B)");
    const r = c.items[1];
    expect(src.slice(r.span.offset, r.span.offset + r.span.length)).toBe("writes(B)");
  });

  it("contract clauses after the effect clause are accepted", () => {
    const f = item("fn f[T](x: i64) -> i64 with panics requires x > 0 ensures true where T: Ord + Eq { x }", "fn");
    expect(f.effects!.items.map(showEffect)).toEqual(["panics"]);
    expect(f.body).toBeDefined();
  });
});

describe("identifiers", () => {
  it("raw identifiers escape keywords", () => {
    const f = item("fn r#match(r#fn: i64) -> i64 { r#fn }", "fn");
    expect(f.name.name).toBe("match");
    expect(f.params[0].name.name).toBe("fn");
    expect(show(f.body!.tail)).toBe("fn");
  });

  it("contextual words are ordinary identifiers", () => {
    const f = item("fn host(providers: i64) -> i64 { providers }", "fn");
    expect(f.name.name).toBe("host");
  });
});

describe("corpus of valid programs", async () => {
  const { CORPUS } = await import("./corpus.testdata.js");
  CORPUS.forEach((src, i) => {
    it(`program ${i + 1} parses cleanly`, () => {
      expect(parseOk(src).items.length).toBeGreaterThan(0);
    });
  });
});

describe("parallel assignment and fn-type spellings", () => {
  it("`a, b = b, a;` is a tuple assigned a tuple", () => {
    const f = item("fn f() { a, b = b, a; }", "fn");
    const s = f.body!.stmts[0];
    expect(s).toMatchObject({ kind: "assign", op: "=", target: { kind: "tuple" }, value: { kind: "tuple" } });
    if (s.kind === "assign") {
      expect(show(s.target)).toBe("(a, b,)");
      expect(show(s.value)).toBe("(b, a,)");
    }
  });

  it("stdlib fn-type names such as OnceFn", () => {
    const f = item("fn f(g: OnceFn() -> i64) {}", "fn");
    expect(showType(f.params[0].type)).toBe("Fn() -> i64");
  });

  it("where clauses on impls", () => {
    const im = item("impl[T] Stack[T] where T: Ord { fn n(ref self) -> i64 { 0 } }", "impl");
    expect(im.methods.length).toBe(1);
  });
});

import { describe, expect, it } from "vitest";
import { errs, fn, lets, local, localType, messages, nodes, ok } from "./testutil.js";

const main = (body: string, items = ""): string => `${items}\nfn main() {\n${body}\n}\n`;

describe("integer literals and numeric rules", () => {
  it("unsuffixed literals default to i64 and adopt annotations", () => {
    const p = ok(main("let a = 5;\nlet b: u8 = 200;\nlet c = 7u16;\nlet d: f64 = 5;\nprintln(a);\nprintln(b);\nprintln(c);\nprintln(d);"));
    expect(localType(p, "main", "a")).toBe("i64");
    expect(localType(p, "main", "b")).toBe("u8");
    expect(localType(p, "main", "c")).toBe("u16");
    expect(localType(p, "main", "d")).toBe("f64");
    // the integer literal in a float slot becomes a float constant
    const ls = lets(fn(p, "main")) as { init: { kind: string } }[];
    expect(ls[3].init.kind).toBe("float");
  });

  it("a literal adopts the other operand's type, but a bound literal is already i64 / f64", () => {
    const p = ok(main("let x: i32 = 3;\nlet z = x + 4;\nlet w = 4 + x;\nprintln(z + w);"));
    expect(localType(p, "main", "z")).toBe("i32");
    expect(localType(p, "main", "w")).toBe("i32");
    expect(errs(main("let x: i32 = 3;\nlet y = 4;\nlet z = x + y;"))).toEqual(["E0200 5:9"]);
    expect(errs(main("let a = 1.5;\nlet b = 2;\nprintln(a + b);"))).toEqual(["E0200 5:9"]);
  });

  it("Vec.from_fn lowers to a loop", () => {
    const p = ok(main("let e = Vec.from_fn(4, |i| i * i);\nprintln(e);"));
    expect(localType(p, "main", "e")).toBe("Vec[i64]");
    expect((nodes(fn(p, "main"), "for")[0] as { iter: { kind: string } }).iter.kind).toBe("range");
  });

  it("128-bit integers are reported as unsupported once", () => {
    expect(errs(main("println(i128.MAX);"))).toEqual(["E0223 3:9"]);
  });

  it("rejects a literal that does not fit", () => {
    expect(errs(main("let b: u8 = 256;"))).toEqual(["E0282 3:13"]);
    expect(errs(main("let c: i8 = -129;"))).toEqual(["E0282 3:13"]);
    expect(errs(main("let c: i8 = -128;\nprintln(c);"))).toEqual([]);
  });

  it("does not mix integer types in operators", () => {
    const src = main("let a: i32 = 1;\nlet b: i64 = 2;\nlet c = a + b;");
    expect(errs(src)).toEqual(["E0200 5:9"]);
    expect(messages(src)[0]).toContain("cannot mix integer types i32 and i64");
  });

  it("widens implicitly at let, argument, return and field sites only", () => {
    const p = ok(
      main(
        "let a: i32 = 5;\nlet b: i64 = a;\nlet s = S { v: a };\nprintln(take(a) + b + s.v + give(a));",
        "struct S { v: i64 }\nfn take(x: i64) -> i64 { x }\nfn give(x: i32) -> i64 { x }",
      ),
    );
    expect(nodes(fn(p, "main"), "coerce").length).toBe(3);
    expect(nodes(fn(p, "give"), "coerce").length).toBe(1);
    const c = nodes(fn(p, "main"), "coerce")[0] as { from: { name: string }; to: { name: string } };
    expect([c.from.name, c.to.name]).toEqual(["i32", "i64"]);
  });

  it("widens u32 into i64 and integers into floats, but never narrows or changes sign", () => {
    ok(main("let a: u32 = 5;\nlet b: i64 = a;\nlet f: f64 = b;\nprintln(f);"));
    expect(errs(main("let a: i64 = 5;\nlet b: i32 = a;"))).toEqual(["E0200 4:14"]);
    expect(errs(main("let a: i64 = 5;\nlet b: u64 = a;"))).toEqual(["E0200 4:14"]);
    expect(errs(main("let a: f64 = 5.0;\nlet b: i64 = a;"))).toEqual(["E0200 4:14"]);
  });

  it("checks `as` casts", () => {
    const p = ok(main("let big: i64 = 300;\nprintln(big as u8);\nprintln('A' as u32);\nprintln(-2.7 as i64);\nprintln(true as i64);"));
    expect(nodes(fn(p, "main"), "cast").length).toBe(4);
    expect(errs(main("let c = 'a' as u8;"))).toEqual(["E0210 3:9"]);
    expect(errs(main("let c = 65 as char;"))).toEqual(["E0210 3:9"]);
    expect(errs(main('let c = "1" as i64;'))).toEqual(["E0210 3:9"]);
  });

  it("types floats, f32 and bit operators", () => {
    const p = ok(main("let x = 1.5;\nlet y = 0.1f32;\nlet m = 6 & 3 | 1 << 4;\nlet n = ~0;\nprintln(x);\nprintln(y);\nprintln(m);\nprintln(n);"));
    expect(localType(p, "main", "x")).toBe("f64");
    expect(localType(p, "main", "y")).toBe("f32");
    expect(localType(p, "main", "m")).toBe("i64");
    const bins = nodes(fn(p, "main"), "binary");
    expect(bins.every((b) => (b.operand as { kind: string }).kind === "int")).toBe(true);
  });

  it("rejects arithmetic on bools and strings mixed with ints", () => {
    expect(errs(main("let a = true + 1;"))).toEqual(["E0200 3:9"].map(() => errs(main("let a = true + 1;"))[0]));
    expect(errs(main('let a = "x" + 1;'))[0]).toMatch(/^E0200 3:15$/);
  });

  it("reports the integer constants and overflow-checked operand types", () => {
    const p = ok(main("let m = i64.MAX;\nlet k = u8.MIN;\nprintln(m);\nprintln(k);"));
    expect(localType(p, "main", "k")).toBe("u8");
    expect(nodes(fn(p, "main"), "builtin").map((b) => b.op)).toContain("int.MAX");
  });
});

describe("bindings and mutability", () => {
  it("supports shadowing with a type change", () => {
    const p = ok(main('let v = "12345";\nlet v = v.len();\nlet v = v * 2;\n{ let v = 0; println(v); }\nprintln(v);'));
    const vs = fn(p, "main").locals.filter((l) => l.name === "v");
    expect(vs.map((l) => l.type.kind)).toEqual(["string", "int", "int", "int"]);
  });

  it("rejects assignment to an immutable binding", () => {
    expect(errs(main("let x = 1;\nx = 2;"))).toEqual(["E0506 4:1"]);
    expect(errs(main("let x = 1;\nx += 2;"))).toEqual(["E0506 4:1"]);
    expect(errs(main("let mut x = 1;\nx += 2;\nprintln(x);"))).toEqual([]);
  });

  it("rejects mutating methods on immutable bindings", () => {
    expect(errs(main("let v: Vec[i64] = Vec.new();\nv.push(1);"))).toEqual(["E0510 4:1"]);
  });

  it("reports undefined names once", () => {
    expect(errs(main("let a = b + 1;\nprintln(a);"))).toEqual(["E0100 3:9"]);
    expect(errs(main("println(nope(1));"))).toEqual(["E0100 3:9"]);
  });

  it("uses an annotation-less Vec.new() element type from a later push", () => {
    const p = ok(main("let mut v = Vec.new();\nv.push(3u8);\nprintln(v);"));
    expect(localType(p, "main", "v")).toBe("Vec[u8]");
  });

  it("asks for an annotation when a type is never settled", () => {
    expect(errs(main("let v = Vec.new();"))).toEqual(["E0238 3:5"]);
  });

  it("asks once for an annotation when an unsettled value never reaches a binding", () => {
    expect(errs(main("println(Vec.new());"))).toEqual(["E0238 3:9"]);
    expect(errs(main("println([]);"))).toEqual(["E0238 3:9"]);
    expect(errs(main("let n = Vec.new().len();\nprintln(n);"))).toEqual(["E0238 3:9"]);
    // an unsettled local is reported at its binding only, not again at its uses
    expect(errs(main("let v = Vec.new();\nprintln(v);"))).toEqual(["E0238 3:5"]);
  });

  it("a Slice[T] parameter borrows a Vec, an Array or a sub-slice argument as a view", () => {
    const items = "fn total(xs: Slice[i64]) -> i64 {\nxs.len()\n}";
    const p = ok(main("let v = [1, 2];\nlet a: Array[i64, 2] = Array[3, 4];\nprintln(total(v) + total(a) + total(v[1..]));\nprintln(v.len());", items));
    const calls = nodes(fn(p, "main"), "call") as { args: { mode: string; value: { kind: string; type: { kind: string } } }[] }[];
    expect(calls.map((c) => c.args[0].value.kind)).toEqual(["slice", "slice", "slice"]);
    expect(calls.every((c) => c.args[0].value.type.kind === "slice")).toBe(true);
    // the element types must still agree
    expect(errs(main("let v = [1.5];\nprintln(total(v));", items))).toEqual(["E0200 6:15"]);
  });

  it("a for-range over bare literals is an i64 range, not adapted by a float in the body", () => {
    expect(errs(main("for k in 0..4 {\nlet t = k % 3.5;\n}"))).toEqual(["E0200 4:9"]);
    expect(errs(main("for k in 0..=4 {\nprintln(k + 3.5);\n}"))).toEqual(["E0200 4:9"]);
    const p = ok(main("for k in 0..4 {\nlet t = k * 2;\nprintln(t);\n}"));
    expect(localType(p, "main", "k")).toBe("i64");
    expect(localType(p, "main", "t")).toBe("i64");
    const q = ok(main("let n: u8 = 4;\nfor k in 0..n {\nprintln(k);\n}"));
    expect(localType(q, "main", "k")).toBe("u8");
  });
});

describe("functions, structs and methods", () => {
  const counter = `
struct Counter { hits: i64 }
impl Counter {
    fn new() -> Counter { Counter { hits: 0 } }
    fn tick(mut ref self, by: i64) { self.hits = self.hits + by; }
    fn value(ref self) -> i64 { self.hits }
}`;

  it("checks impl methods, associated functions and UFCS", () => {
    const p = ok(main("let mut c = Counter.new();\nc.tick(2);\nprintln(c.value());\nprintln(Counter.value(c));", counter));
    const tick = fn(p, "Counter.tick");
    expect(tick.receiver).toBe("mutref");
    expect(tick.params[0].mode).toBe("mutref");
    const calls = nodes(fn(p, "main"), "call") as { fn: number; args: { mode: string }[] }[];
    expect(calls.map((c) => p.functions[c.fn].name)).toEqual(["Counter.new", "Counter.tick", "Counter.value", "Counter.value"]);
    expect(calls[1].args.map((a) => a.mode)).toEqual(["mutref", "owned"]);
    expect(calls[2].args.map((a) => a.mode)).toEqual(["ref"]);
  });

  it("needs `let mut` for a mut ref self call", () => {
    expect(errs(main("let c = Counter.new();\nc.tick(1);", counter))).toEqual(["E0510 10:1"]);
  });

  it("requires every struct field and rejects unknown ones", () => {
    const s = "struct P { x: i64, y: i64 }";
    expect(errs(main("let p = P { x: 1 };", s))).toEqual(["E0203 3:9"]);
    expect(errs(main("let p = P { x: 1, y: 2, z: 3 };", s))).toEqual(["E0204 3:25"]);
    expect(errs(main("let p = P { x: 1, y: 2 };\nprintln(p.z);", s))).toEqual(["E0201 4:11"]);
  });

  it("resolves field access and update to field indices", () => {
    const p = ok(main("let mut p = P { y: 1, x: 2 };\np.y = 5;\nprintln(p.x + p.y);", "struct P { x: i64, y: i64 }"));
    const lit = nodes(fn(p, "main"), "struct").find((n) => Array.isArray(n.fields)) as { fields: { index: number }[] };
    expect(lit.fields.map((f) => f.index)).toEqual([1, 0]);
    const assign = nodes(fn(p, "main"), "assign")[0] as { place: { kind: string; index: number } };
    expect(assign.place).toMatchObject({ kind: "field", index: 1 });
  });

  it("checks argument counts and return types", () => {
    const f = "fn add(a: i64, b: i64) -> i64 { a + b }";
    expect(errs(main("println(add(1));", f))).toEqual(["E0202 3:9"]);
    expect(errs("fn f() -> i64 { true }\nfn main() {}")).toEqual(["E0200 1:17"]);
    expect(errs("fn f() -> i64 { return; }\nfn main() {}")).toEqual(["E0200 1:17"]);
    expect(errs("fn f() -> i64 { let x = 1; }\nfn main() {}")).toEqual(["E0200 1:17"]);
  });

  it("allows items in any order and recursion", () => {
    ok("fn main() { println(fact(5)); }\nfn fact(n: i64) -> i64 { if n <= 1 { 1 } else { n * fact(n - 1) } }");
  });

  it("needs the call-site mut marker for mut ref params", () => {
    const f = "fn bump(n: mut ref i64) { n = n + 10; }";
    expect(errs(main("let mut k = 1;\nbump(k);", f))).toEqual(["E0218 4:6"]);
    expect(errs(main("let k = 1;\nbump(mut k);", f))).toEqual(["E0510 4:10"]);
    expect(errs(main("let mut k = 1;\nshow(mut k);", "fn show(n: i64) { println(n); }"))).toEqual(["E0219 4:6"]);
    const p = ok(main("let mut k = 1;\nbump(mut k);\nprintln(k);", f));
    const call = nodes(fn(p, "main"), "call")[0] as { args: { mode: string; place: { kind: string } }[] };
    expect(call.args[0]).toMatchObject({ mode: "mutref", place: { kind: "local" } });
    expect(local(fn(p, "main"), "k").addressTaken).toBe(true);
  });

  it("forwards a mut ref param without a marker, and passes fields with one", () => {
    ok(main("let mut p = P { v: 1 };\nbump(mut p.v);\nouter(mut p.v);\nprintln(p.v);", "struct P { v: i64 }\nfn bump(n: mut ref i64) { n += 1; }\nfn outer(n: mut ref i64) { bump(n); }"));
  });

  it("lets shared struct mut fields be written through any handle", () => {
    const s = "shared struct B { mut n: i64, k: i64 }";
    ok(main("let a = B { n: 1, k: 2 };\nlet b = a;\nb.n = 9;\nprintln(a.n);", s));
    expect(errs(main("let a = B { n: 1, k: 2 };\na.k = 3;", s))).toEqual(["E0269 4:1"]);
  });
});

describe("control flow", () => {
  it("types if as an expression and rejects mismatched branches", () => {
    const p = ok(main('let t = 85;\nlet g = if t >= 90 { "A" } else if t >= 80 { "B" } else { "C" };\nprintln(g);'));
    expect(localType(p, "main", "g")).toBe("String");
    expect(errs(main('let g = if true { 1 } else { "x" };'))).toEqual(["E0200 3:28"]);
    expect(errs(main("if 1 { }"))).toEqual(["E0211 3:4"]);
  });

  it("lets a diverging branch take the other's type", () => {
    ok("fn sign(n: i64) -> i64 {\nif n < 0 { return -1; }\nif n == 0 { 0 } else { 1 }\n}\nfn main() { println(sign(3)); }");
  });

  it("types loop with break value", () => {
    const p = ok(main("let mut n = 1;\nlet first = loop {\nn = n * 3;\nif n > 50 { break n; }\n};\nprintln(first);"));
    expect(localType(p, "main", "first")).toBe("i64");
  });

  it("resolves labels for break and continue", () => {
    const p = ok(
      main(
        "let mut hits = 0;\nouter: for a in 1..5 {\nfor b in 1..5 {\nif a * b == 6 { hits = hits + 1; continue outer; }\nif b > a { break; }\n}\n}\nlet pick = blk: { if hits > 0 { break blk hits * 10; } -1 };\nprintln(pick);",
      ),
    );
    const fors = nodes(fn(p, "main"), "for") as { loopId: number }[];
    const cont = nodes(fn(p, "main"), "continue")[0] as { target: number };
    expect(cont.target).toBe(fors[0].loopId);
    expect(localType(p, "main", "pick")).toBe("i64");
    expect(errs(main("loop { continue nowhere; }"))).toEqual(["E0299 3:8"]);
    expect(errs(main("continue;"))).toEqual(["E0299 3:1"]);
    expect(errs(main("break;"))).toEqual(["E0299 3:1"]);
  });

  it("classifies for loops", () => {
    const p = ok(main('let v = [1, 2, 3];\nfor i in 0..3 { print(i); }\nfor i in 1..=3 { print(i); }\nfor x in v { print(x); }\nfor c in "ab" { print(c); }\nlet a = Array[1, 2];\nfor x in a { print(x); }'));
    const iters = (nodes(fn(p, "main"), "for") as { iter: { kind: string; inclusive?: boolean; collKind?: string } }[]).map((f) => f.iter);
    expect(iters.map((i) => i.kind)).toEqual(["range", "range", "seq", "chars", "seq"]);
    expect(iters[1].inclusive).toBe(true);
    expect(iters[4].collKind).toBe("array");
  });

  it("types while with a bool condition and logical words", () => {
    ok(main("let mut i = 0;\nwhile i < 3 and not (i == 5) or false { i += 1; }\nprintln(i);"));
    expect(errs(main("while 1 { }"))).toEqual(["E0211 3:7"]);
  });
});

describe("output and strings", () => {
  it("println takes 0 or 1 Display argument", () => {
    expect(errs(main("println(1, 2);"))).toEqual(["E0202 3:1"]);
    expect(errs(main("println(());"))).toEqual(["E0298 3:9"]);
    expect(errs(main("let p = P { x: 1 };\nprintln(p);", "struct P { x: i64 }"))).toEqual(["E0298 4:9"]);
    ok(main("let p = P { x: 1 };\nprintln(p);\nprintln();\neprintln(2);", "#[derive(Display)]\nstruct P { x: i64 }"));
  });

  it("lowers f-strings with per-hole types and parsed specs", () => {
    const p = ok(main('let n = 7;\nlet pi = 3.14159;\nprintln(f"[{n:04}] [{n:x}] [{pi:7.3}] {n * 2} \\{lit\\}");'));
    const fs = nodes(fn(p, "main"), "fstring")[0] as { parts: { kind: string; spec?: unknown; value?: { type: { kind: string } } }[] };
    const holes = fs.parts.filter((x) => x.kind === "hole");
    expect(holes.map((h) => h.spec)).toEqual([
      { fill: " ", zero: true, width: 4 },
      { fill: " ", zero: false, radix: "x" },
      { fill: " ", zero: false, width: 7, precision: 3 },
      undefined,
    ]);
    expect(holes[2].value!.type.kind).toBe("float");
  });

  it("rejects Debug specs and ill-fitting specs", () => {
    expect(errs(main('let x = 1;\nprintln(f"{x:?}");'))).toEqual(["E0280 4:11"]);
    expect(errs(main('let f = 1.5;\nprintln(f"{f:x}");'))).toEqual(["E0280 4:11"]);
    expect(errs(main('let f = 1.5;\nprintln(f"{f:8}");'))).toEqual(["E0280 4:11"]);
  });

  it("types String operations", () => {
    const p = ok(main('let mut s = String.new();\ns.push(\'k\');\ns.push_str("ara");\nlet t = s + "!";\nlet mut u = "x";\nu += "yz";\nprintln(f"{t} {u} {t.len()}");'));
    expect(localType(p, "main", "t")).toBe("String");
    expect(errs(main('let mut s = "a";\ns.push("b");'))).toEqual(["E0200 4:8"]);
  });

  it("to_string on any Display value", () => {
    const p = ok(main("let a = 5.to_string();\nlet b = true.to_string();\nprintln(a + b);"));
    expect(localType(p, "main", "a")).toBe("String");
  });
});

describe("collections, tuples and value semantics", () => {
  it("types Vec literals, indexing, and indexed assignment", () => {
    const p = ok(main("let mut v = [1, 2, 3];\nv[0] = 9;\nlet x = v[1];\nlet n = v.len();\nlet last = v.pop();\nprintln(x + n);\nprintln(last);"));
    expect(localType(p, "main", "v")).toBe("Vec[i64]");
    expect(localType(p, "main", "last")).toBe("Option[i64]");
    expect(p.enums.get("Option[i64]")?.variants.map((v) => v.name)).toEqual(["Some", "None"]);
    expect(errs(main("let v = [1, 2];\nv[0] = 1;"))).toEqual(["E0506 4:1"]);
    expect(errs(main("let v = [1, 2];\nlet x = v[true];"))).toEqual(["E0200 4:11"].map(() => errs(main("let v = [1, 2];\nlet x = v[true];"))[0]));
  });

  it("nested Vecs: an element is cloned out (binding it is E0285), whole-local reads are moves", () => {
    expect(errs(main("let g = [[1, 2], [3]];\nlet row = g[0];\nprintln(row);"))).toEqual(["E0285 4:11"]);
    const p = ok(main("let mut g = [[1, 2], [3]];\ng[1][0] = 7;\nlet row = g[0].clone();\nlet h = g;\nprintln(row);\nprintln(h);"));
    const ls = lets(fn(p, "main")) as { init: { kind: string } }[];
    expect(ls.map((l) => l.init.kind)).toEqual(["vecLit", "builtin", "move"]);
    const main_ = fn(p, "main");
    expect(main_.body.drops.map((id) => main_.locals[id].name)).toEqual(["g", "row", "h"]);
  });

  it("scalars are never copied or dropped", () => {
    const p = ok(main("let a = 1;\nlet b = a;\nprintln(b);"));
    expect(nodes(fn(p, "main"), "copy")).toEqual([]);
    expect(nodes(fn(p, "main"), "move")).toEqual([]);
    expect(fn(p, "main").body.drops).toEqual([]);
  });

  it("binding a struct read from a Vec is E0285; a Copy struct element copies", () => {
    expect(errs(main("let mut bags: Vec[Bag] = Vec.new();\nbags.push(Bag { items: [1] });\nlet mut c = bags[0];\nc.items.push(2);\nprintln(c.items);", "struct Bag { items: Vec[i64] }"))).toEqual(["E0285 5:13"]);
    const p = ok(main("let bags = [Pt { x: 1 }];\nlet mut c = bags[0];\nc.x = 2;\nprintln(c.x + bags[0].x);", "#[derive(Copy)]\nstruct Pt { x: i64 }"));
    expect((lets(fn(p, "main")) as { init: { kind: string } }[])[1].init.kind).toBe("copy");
  });

  it("types tuples and destructuring", () => {
    const p = ok(main('let t = (1, "a");\nlet (n, s) = t;\nprintln(t.0 + n);\nprintln(s);'));
    expect(localType(p, "main", "t")).toBe("(i64, String)");
    expect(localType(p, "main", "s")).toBe("String");
    expect(errs(main("let t = (1, 2);\nprintln(t.5);"))).toEqual(["E0201 4:11"]);
  });

  it("types arrays and slices", () => {
    const p = ok(main("let a = Array[1, 2, 3];\nlet b: Array[i64, 3] = [4, 5, 6];\nlet z = Array[0; 8];\nlet s = total(a[0..2]);\nprintln(a.len() + b[0] + z[1] + s);", "fn total(xs: Slice[i64]) -> i64 { let mut t = 0; for x in xs { t += x; } t }"));
    expect(localType(p, "main", "a")).toBe("Array[i64, 3]");
    expect(localType(p, "main", "z")).toBe("Array[i64, 8]");
    expect(errs(main("let b: Array[i64, 2] = [4, 5, 6];"))).toEqual(["E0200 3:24"]);
    expect(errs(main("let mut a = Array[1, 2];\na.push(3);"))).toEqual(["E0236 4:3"]);
  });

  it("Vec.filled and repeat literals", () => {
    const p = ok(main("let mut grid = Vec.filled(2, Vec.filled(3, 0));\ngrid[1][2] = 7;\nlet z = [0; 4];\nprintln(grid);\nprintln(z);"));
    expect(localType(p, "main", "grid")).toBe("Vec[Vec[i64]]");
  });
});

describe("closures", () => {
  it("infers parameter types from context and body", () => {
    const p = ok(main("let add5 = adder(5);\nprintln(apply_twice(|v| v * 3, 2) + add5(1));", "fn apply_twice(f: Fn(i64) -> i64, x: i64) -> i64 { f(f(x)) }\nfn adder(n: i64) -> Fn(i64) -> i64 { |x| x + n }"));
    expect(localType(p, "main", "add5")).toBe("Fn(i64) -> i64");
    const closures = p.functions.filter((f) => f.kind === "closure");
    expect(closures.length).toBe(2);
    const inAdder = closures.find((c) => c.name.startsWith("adder"))!;
    expect(inAdder.captures.map((c) => [c.name, c.byRef])).toEqual([["n", false]]);
  });

  it("captures by reference when the body assigns the capture", () => {
    const p = ok(main("let mut calls = 0;\nlet note = |k: i64| { calls = calls + k; };\nnote(2);\nnote(3);\nprintln(calls);"));
    const c = p.functions.find((f) => f.kind === "closure")!;
    expect(c.captures.map((x) => [x.name, x.byRef])).toEqual([["calls", true]]);
    expect(local(fn(p, "main"), "calls").addressTaken).toBe(true);
    expect(localType(p, "main", "note")).toBe("Fn(i64)");
  });

  it("a mutated capture must be `let mut`", () => {
    expect(errs(main("let calls = 0;\nlet note = || { calls = 1; };\nnote();"))).toEqual(["E0506 4:17"]);
  });

  it("calls through a closure value check their arguments", () => {
    expect(errs(main("let f = |x: i64| x + 1;\nprintln(f(true));"))).toEqual(["E0200 4:11"]);
    expect(errs(main("let f = |x: i64| x + 1;\nprintln(f(1, 2));"))).toEqual(["E0202 4:9"]);
    expect(errs(main("let n = 3;\nprintln(n(1));"))).toEqual(["E0206 4:9"]);
  });
});

describe("enums and match", () => {
  const cmd = "enum Cmd { Quit, Move(i64, i64), Say { text: String } }";
  it("constructs variants and matches them", () => {
    const p = ok(
      `${cmd}\nfn run(c: Cmd) -> String {\nmatch c {\nCmd.Quit => "bye",\nMove(dx, dy) => f"move {dx + dy}",\nCmd.Say { text } => f"say {text}",\n}\n}\nfn main() {\nprintln(run(Cmd.Move(2, 3)));\nprintln(run(Cmd.Say { text: "hi" }));\nprintln(run(Cmd.Quit));\n}`,
    );
    expect(p.enums.get("Cmd")?.variants.map((v) => v.shape)).toEqual(["unit", "tuple", "struct"]);
    const m = nodes(fn(p, "run"), "match")[0] as { arms: { pattern: { kind: string; variant: number } }[] };
    expect(m.arms.map((a) => a.pattern.variant)).toEqual([0, 1, 2]);
  });

  it("types Option values and methods", () => {
    const p = ok(main("let a: Option[i64] = Some(4);\nlet n: Option[i64] = None;\nprintln(a.unwrap_or(0) + n.unwrap_or(-1));\nprintln(a.is_some() and n.is_none());\nif let Some(x) = a { println(x); }"));
    expect(localType(p, "main", "n")).toBe("Option[i64]");
    expect(localType(p, "main", "x")).toBe("i64");
  });

  it("match arms must agree", () => {
    expect(errs(main('let x = 3;\nlet s = match x { 1 => "a", _ => 2 };'))).toEqual(["E0200 4:34"]);
  });
});

describe("use after move", () => {
  it("reports a read of a moved Vec", () => {
    const src = main("let a = [1, 2];\nlet b = a;\nprintln(a);\nprintln(b);");
    expect(errs(src)).toEqual(["E0500 5:9"]);
    expect(messages(src)[0]).toBe("use of moved value 'a'");
  });

  it("passing to an owned parameter or pushing moves; ref parameters and printing do not", () => {
    const f = "fn eat(v: Vec[i64]) { println(v); }\nfn look(v: ref Vec[i64]) { println(v); }";
    ok(main("let a = [1];\nlook(a);\nprintln(a);\neat(a);", f));
    expect(errs(main("let a = [1];\neat(a);\nlook(a);", f))).toEqual(["E0500 6:6"]);
    expect(errs(main('let s = "x";\nlet mut v: Vec[String] = Vec.new();\nv.push(s);\nprintln(s);'))).toEqual(["E0500 6:9"]);
  });

  it("reassignment revives a moved binding; copies and shared values never move", () => {
    ok(main("let mut a = [1];\nlet b = a;\na = [2];\nprintln(a);\nprintln(b);"));
    ok(main("let a = 1;\nlet b = a;\nprintln(a + b);"));
    ok(main("let a = S { n: 1 };\nlet b = a;\nprintln(a.n + b.n);", "shared struct S { n: i64 }"));
  });

  it("a move in a diverging branch does not count afterwards", () => {
    ok(main("let a = [1];\nif a.len() > 5 {\nlet b = a;\nprintln(b);\nreturn;\n}\nprintln(a);"));
    expect(errs(main("let a = [1];\nif a.len() > 5 {\nlet b = a;\nprintln(b);\n}\nprintln(a);"))).toEqual(["E0500 8:9"]);
  });

  it("element reads that do not move leave the container usable", () => {
    ok(main("let g = [[1], [2]];\nlet r = ref g[0];\nprintln(r);\nprintln(g[1].len());\nlet c = g[1].clone();\nprintln(c);\nprintln(g);"));
  });
});

describe("range adaptors", () => {
  it("classifies rev and step_by in for heads and types range sums", () => {
    const p = ok(main("for i in (0..3).rev() { print(i); }\nfor i in (1..=9).step_by(4) { print(i); }\nfor i in (0..10).rev().step_by(3) { print(i); }\nprintln((1..=4).sum());"));
    const iters = (nodes(fn(p, "main"), "for") as { iter: { kind: string; reverse: boolean; step?: { value: bigint } } }[]).map((f) => f.iter).slice(0, 3);
    expect(iters.map((i) => [i.kind, i.reverse, i.step?.value])).toEqual([
      ["range", true, undefined],
      ["range", false, 4n],
      ["range", true, 3n],
    ]);
    expect(localType(p, "main", "$acc")).toBe("i64"); // (1..=4).sum() lowers to a loop
  });

  it("lowers step_by-then-rev by collecting, and rejects adaptors it cannot lower", () => {
    expect(errs(main("for i in (0..9).step_by(2).rev() { print(i); }"))).toEqual([]);
    expect(errs(main("for i in (0..9).dedup() { print(i); }"))).toEqual(["E0236 3:17"]);
  });
});

describe("more receivers and bindings", () => {
  it("dispatches user methods on enum literals, indexed elements, temporaries and tuple fields", () => {
    const p = ok(`enum Dir { North, South }
impl Dir { fn code(self) -> i64 { match self { Dir.North => 1, Dir.South => 2 } } }
struct Sq { s: f64 }
impl Sq {
    fn area(ref self) -> f64 { self.s * self.s }
    fn grow(mut ref self) { self.s = self.s + 1.0; }
}
fn make() -> Vec[Sq] { [Sq { s: 1.0 }, Sq { s: 2.0 }] }
fn main() {
    println(Dir.North.code());
    let mut v = make();
    v[0].grow();
    println(v[0].area());
    println(make()[1].area());
    let t = (Sq { s: 3.0 }, 1);
    println(t.0.area());
}`);
    const calls = (nodes(fn(p, "main"), "call") as { fn: number; args: { mode: string; place?: { kind: string } }[] }[]).map((c) => [
      p.functions[c.fn].name,
      c.args[0]?.mode,
    ]);
    expect(calls).toEqual([
      ["Dir.code", "owned"],
      ["make", undefined],
      ["Sq.grow", "mutref"],
      ["Sq.area", "ref"],
      ["Sq.area", "ref"], // the temporary's call is nested inside this receiver
      ["make", undefined],
      ["Sq.area", "ref"],
    ]);
  });

  it("a `let x: T;` binding may be assigned later without mut", () => {
    const p = ok(main("let x: i64;\nif true { x = 1; } else { x = 2; }\nprintln(x);"));
    expect(local(fn(p, "main"), "x").mut).toBe(false);
  });

  it("field writes on an immutable binding name the binding", () => {
    const src = main("let p = P { x: 1 };\np.x = 2;", "struct P { x: i64 }");
    expect(errs(src)).toEqual(["E0506 4:1"]);
    expect(messages(src)[0]).toContain("let mut p");
  });

  it("negative literals fold and are range-checked", () => {
    expect(errs(main("let a: u8 = -1;"))).toEqual(["E0282 3:13"]);
    expect(errs(main("let a = 99999999999999999999;"))).toEqual(["E0282 3:9"]);
    ok(main("let m = -9223372036854775808;\nprintln(m);"));
  });
});

describe("match exhaustiveness", () => {
  const shape = "enum Shape { Dot, Circle(f64), Rect(f64, f64) }";
  it("accepts matches covering every variant, nested or with a catch-all", () => {
    ok(main("let s = Shape.Dot;\nlet n = match s { Dot => 0, Circle(_) => 1, Rect(a, b) => 2 };\nprintln(n);", shape));
    ok(main("let o: Option[bool] = None;\nmatch o { Some(true) => println(1), Some(false) => println(2), None => println(3) }"));
    ok(main("let x = 4;\nmatch x { 1 | 2 => println(1), k if k > 9 => println(2), _ => println(3) }"));
    ok(main("let t = (true, 1);\nmatch t { (true, _) => println(1), (false, n) => println(n) }"));
    ok(main('let s = "a";\nmatch s { "a" => println(1), other => println(other) }'));
  });

  it("reports the first uncovered pattern", () => {
    const src = main("let s = Shape.Dot;\nmatch s { Dot => println(0), Circle(_) => println(1) }", shape);
    expect(errs(src)).toEqual(["E0205 4:1"]);
    expect(messages(src)[0]).toBe("non-exhaustive match: pattern `Rect(..)` not covered");
    expect(errs(main("let x = 4;\nmatch x { 1 => println(1), k if k > 1 => println(2) }"))).toEqual(["E0205 4:1"]);
    expect(errs(main("let o: Option[bool] = None;\nmatch o { Some(true) => println(1), None => println(3) }"))).toEqual(["E0205 4:1"]);
  });
});

describe("the ? operator and Result-returning main", () => {
  it("unwraps Result and Option inside functions that return them", () => {
    const p = ok(`fn halve(n: i64) -> Result[i64, String] {
    if n % 2 == 0 { Ok(n / 2) } else { Err(f"{n} is odd") }
}
fn quarter(n: i64) -> Result[i64, String] {
    let h = halve(n)?;
    halve(h)
}
fn first(v: Vec[i64]) -> Option[i64] { let x = v.get(0)?; Some(x + 1) }
fn main() -> Result[(), String] {
    println(quarter(12));
    let q = quarter(6)?;
    println(q);
    println(first([1]));
    Ok(())
}`);
    expect(localType(p, "quarter", "h")).toBe("i64");
    // `?` lowers to a match whose failure arm returns
    expect(nodes(fn(p, "quarter"), "return").length).toBe(1);
    expect(p.functions[p.main!].ret).toMatchObject({ kind: "enum", name: "Result[(), String]" });
  });

  it("rejects ? where it cannot return", () => {
    expect(errs("fn f() -> i64 { let x = Some(1)?; x }\nfn main() {}")).toEqual(["E0228 1:25"]);
    expect(errs("fn f() -> Result[i64, i64] { let x = g()?; Ok(x) }\nfn g() -> Result[i64, String] { Ok(1) }\nfn main() {}")).toEqual(["E0228 1:38"]);
    expect(errs("fn f() -> Option[i64] { let x = 5?; Some(x) }\nfn main() {}")).toEqual(["E0228 1:33"]);
  });
});

describe("Map and Set", () => {
  it("types construction, methods, indexing and iteration", () => {
    const p = ok(
      main(
        'let mut counts: Map[String, i64] = Map.new();\ncounts.insert("a", 1);\ncounts["b"] = 2;\ncounts["a"] += 5;\nlet g = counts.get("z");\nprintln(counts["a"] + counts.get_or("q", 0) + counts.len());\nprintln(g);\nfor (k, v) in counts { println(f"{k}={v}"); }\nlet lit = ["x": 1.5, "y": 2.0];\nlet mut s = Set[1, 2];\nlet added = s.insert(3);\nfor x in s { print(x); }\nprintln(added and s.contains(2) and lit.contains_key("x"));',
      ),
    );
    expect(localType(p, "main", "g")).toBe("Option[i64]");
    expect(localType(p, "main", "lit")).toBe("Map[String, f64]");
    expect(localType(p, "main", "s")).toBe("Set[i64]");
    const iters = (nodes(fn(p, "main"), "for") as { iter: { kind: string; coll: { op: string } } }[]).map((f) => [f.iter.kind, f.iter.coll.op]);
    expect(iters).toEqual([
      ["seq", "map.entries"],
      ["seq", "set.to_vec"],
    ]);
    const ops = nodes(fn(p, "main"), "builtin").map((n) => n.op);
    // `counts["a"] += 5` updates the value slot in place; the other reads are map.index.
    expect(ops.filter((o) => o === "map.index").length).toBe(1);
    expect(ops.filter((o) => o === "map.insert").length).toBe(2);
    expect(nodes(fn(p, "main"), "compoundAssign").length).toBe(1);
  });

  it("needs Hash + Eq keys and a mutable map for writes", () => {
    expect(errs(main("let m: Map[f64, i64] = Map.new();"))).toEqual(["E0208 3:24"]);
    expect(errs(main('let m: Map[String, i64] = Map.new();\nm.insert("a", 1);'))).toEqual(["E0510 4:1"]);
    expect(errs(main('let m: Map[String, i64] = Map.new();\nm["a"] = 1;'))).toEqual(["E0506 4:1"]);
    expect(errs(main('let mut m: Map[String, i64] = Map.new();\nm.insert(1, 1);'))).toEqual(["E0200 4:10"]);
  });
});

describe("iterator pipelines lower to loops", () => {
  const clean = (p: ReturnType<typeof ok>): void => {
    for (const f of p.functions) {
      expect(nodes(f, "$own")).toEqual([]);
      expect(nodes(f, "var")).toEqual([]);
    }
  };

  it("terminals produce plain for loops over the source", () => {
    const p = ok(
      main(
        "let v = [3, 8, 1, 6];\nlet evens = v.iter().filter(|x| x % 2 == 0).map(|x| x * 10).collect();\nlet s = v.iter().sum();\nlet any = v.iter().any(|x| x > 7);\nlet pos = v.iter().position(|x| x == 1);\nlet prod = v.iter().fold(1, |acc, x| acc * x);\nlet n = (1..=4).sum();\nlet c = \"abc\".chars().count();\nlet f = v.iter().find(|x| x > 5);\nprintln(f\"{evens} {s} {any} {pos} {prod} {n} {c} {f}\");",
      ),
    );
    clean(p);
    expect(localType(p, "main", "evens")).toBe("Vec[i64]");
    expect(localType(p, "main", "pos")).toBe("Option[i64]");
    expect(localType(p, "main", "any")).toBe("bool");
    expect(localType(p, "main", "f")).toBe("Option[i64]");
    expect(localType(p, "main", "c")).toBe("i64");
    const kinds = (nodes(fn(p, "main"), "for") as { iter: { kind: string } }[]).map((x) => x.iter.kind);
    expect(kinds).toEqual(["seq", "seq", "seq", "seq", "seq", "range", "chars", "seq"]);
    // closures are called through their values; no iterator builtins reach codegen
    expect(nodes(fn(p, "main"), "callValue").length).toBeGreaterThanOrEqual(6);
  });

  it("for over enumerate binds the index and element", () => {
    const p = ok(main('let names = ["ann", "bo"];\nfor (i, n) in names.iter().enumerate() {\nif i > 5 { continue; }\nprintln(f"{i}:{n}");\n}\nfor x in (0..10).filter(|k| k % 3 == 0).take(2) { print(x); }'));
    clean(p);
    expect(localType(p, "main", "i")).toBe("i64");
    expect(localType(p, "main", "n")).toBe("String");
  });

  it("reports unsupported iterator methods once", () => {
    expect(errs(main("let v = [1];\nlet m = v.iter().intersperse(0);"))).toEqual(["E0223 4:18"]);
    expect(errs(main("let v = [1.5];\nlet m = v.iter().map(|x| x * 2).filter(|x| x).count();"))).toEqual(["E0200 4:44"]);
  });
});

describe("Map in-place mutation", () => {
  it("writes through the value's slot instead of a lost copy", () => {
    const p = ok(main("let mut m: Map[i64, Vec[i64]] = Map.new();\nm.insert(1, []);\nm[1].push(2);\nprintln(m);"));
    const push = nodes(fn(p, "main"), "builtin").find((b) => b.op === "vec.push") as { receiver: { place: { kind: string; coll: string } } };
    expect(push.receiver.place).toMatchObject({ kind: "index", coll: "map" });
  });
});

describe("generic functions are monomorphised", () => {
  it("instantiates once per distinct type argument list", () => {
    const p = ok(
      main(
        'println(larger(3, 9));\nprintln(larger("a", "b"));\nprintln(larger(1, 2));\nprintln(first[f64]([1.5]));',
        "fn larger[T: Ord](a: T, b: T) -> T { if a > b { a } else { b } }\nfn first[T: Copy](v: Vec[T]) -> T { v[0] }",
      ),
    );
    const names = p.functions.map((f) => f.name);
    expect(names).toContain("larger[i64]");
    expect(names).toContain("larger[String]");
    expect(names).toContain("first[f64]");
    expect(names.filter((n) => n.startsWith("larger")).length).toBe(2);
    const calls = nodes(fn(p, "main"), "call") as { fn: number }[];
    expect(calls.map((c) => p.functions[c.fn].name)).toEqual(["larger[i64]", "larger[String]", "larger[i64]", "first[f64]"]);
    expect(fn(p, "larger[String]").params.map((x) => x.type.kind)).toEqual(["string", "string"]);
  });

  it("checks bounds at instantiation and trait default methods", () => {
    expect(errs(main("println(larger(1.5, 2.5));", "fn larger[T: Ord](a: T, b: T) -> T { if a > b { a } else { b } }"))).toEqual(["E0232 3:9"]);
    ok(`trait Area { fn area(ref self) -> f64; fn twice(ref self) -> f64 { self.area() * 2.0 } }
struct Sq { s: f64 }
impl Area for Sq { fn area(ref self) -> f64 { self.s * self.s } }
fn report[T: Area](x: ref T) -> f64 { x.twice() }
fn main() { println(report(Sq { s: 1.5 })); }`);
  });

  it("needs the type parameters to be inferable", () => {
    expect(errs(main("let v = make();", "fn make[T]() -> Vec[T] { Vec.new() }"))).toEqual(["E0238 3:9"].concat(errs(main("let v = make();", "fn make[T]() -> Vec[T] { Vec.new() }")).slice(1)));
  });
});

describe("iterator max and min", () => {
  it("lower to loops over Option accumulators", () => {
    const p = ok(main('let v = [3, 8, 1];\nlet hi = v.iter().max();\nlet lo = v.iter().map(|x| x * 2).min();\nlet w = ["b", "a"].iter().max();\nprintln(f"{hi} {lo} {w}");'));
    expect(localType(p, "main", "hi")).toBe("Option[i64]");
    expect(localType(p, "main", "w")).toBe("Option[String]");
    expect(errs(main("let v = [1.5];\nlet m = v.iter().max();"))).toEqual(["E0208 4:9"]);
  });
});

describe("Option and Result combinators", () => {
  it("lower map / map_err / and_then / unwrap_or_else to matches", () => {
    const p = ok(
      main(
        'let a: Option[i64] = Some(4);\nlet m = a.map(|x| x * 10).unwrap_or(0);\nlet s = a.map(|x| f"<{x}>");\nlet t = a.and_then(|x| if x > 3 { Some(x) } else { None });\nlet r: Result[i64, String] = Err("bad");\nlet e = r.map_err(|msg| msg.len());\nlet u = r.unwrap_or_else(|msg| msg.len());\nprintln(f"{m} {s} {t} {e} {u}");',
      ),
    );
    expect(localType(p, "main", "s")).toBe("Option[String]");
    expect(localType(p, "main", "t")).toBe("Option[i64]");
    expect(localType(p, "main", "e")).toBe("Result[i64, i64]");
    expect(localType(p, "main", "u")).toBe("i64");
    expect(nodes(fn(p, "main"), "match").length).toBe(5);
  });
});

describe("String and char methods", () => {
  it("types the common T1 methods", () => {
    const p = ok(
      main(
        'let s = "a b  c";\nlet parts = s.split(" ");\nlet ws = s.split_whitespace();\nlet at = s.find(\'b\');\nlet c = s.char_at(0);\nlet cs: Vec[char] = s.chars().collect();\nlet up = \'x\'.to_ascii_uppercase();\nlet k = char.try_from(98);\nprintln(f"{parts} {ws} {at} {c} {cs} {up} {k} {s.replace("a", "z")} {s.substring(0, 1)}");',
      ),
    );
    expect(localType(p, "main", "parts")).toBe("Vec[String]");
    expect(localType(p, "main", "at")).toBe("Option[i64]");
    expect(localType(p, "main", "c")).toBe("Option[char]");
    expect(localType(p, "main", "cs")).toBe("Vec[char]");
    expect(localType(p, "main", "up")).toBe("char");
    expect(localType(p, "main", "k")).toBe("Result[char, i64]");
    expect(errs(main('let s = "a";\nlet p = s.split(1);'))).toEqual(["E0200 4:17"]);
  });
});

describe("drops of pattern bindings", () => {
  it("owned bindings of if-let and while-let die with their block", () => {
    const p = ok(main('let o: Option[String] = Some("x");\nif let Some(s) = o { println(s); }\nlet mut st = ["a"];\nwhile let Some(t) = st.pop() { println(t); }'));
    const main_ = fn(p, "main");
    const dropped = nodes(main_, "block").flatMap((b) => (b.drops as number[]).map((id) => main_.locals[id].name));
    expect(dropped).toContain("s");
    expect(dropped).toContain("t");
  });
});

describe("moves inside loops", () => {
  it("a move of an outer value in a loop body is reported on the next iteration", () => {
    const src = main("let v = [1];\nlet mut all: Vec[Vec[i64]] = Vec.new();\nfor i in 0..3 {\nall.push(v);\n}");
    expect(errs(src)).toEqual(["E0500 6:10"]);
    expect(messages(src)[0]).toContain("previous iteration");
  });

  it("fresh per-iteration bindings, reassignment and moves followed by break are fine", () => {
    ok(main("let mut all: Vec[Vec[i64]] = Vec.new();\nfor i in 0..3 {\nlet row = [i];\nall.push(row);\n}\nprintln(all);"));
    ok(main("let mut v = [1];\nlet mut all: Vec[Vec[i64]] = Vec.new();\nfor i in 0..3 {\nall.push(v);\nv = [i];\n}\nprintln(all);"));
    ok(main("let v = [1];\nlet mut all: Vec[Vec[i64]] = Vec.new();\nloop {\nall.push(v);\nbreak;\n}\nprintln(all);"));
    ok(main("let v = [1];\nlet mut all: Vec[Vec[i64]] = Vec.new();\nfor i in 0..3 {\nif i == 2 {\nall.push(v);\nbreak;\n}\n}\nprintln(all);"));
    ok(main("let names = [\"a\"];\nfor n in names { println(n); }\nfor n in names { println(n); }"));
  });
});

describe("comparisons on user types", () => {
  it("need a derive or an impl; user impls are called", () => {
    expect(errs(main("let a = P { x: 1 };\nprintln(a == a);", "struct P { x: i64 }"))).toEqual(["E0208 4:9"]);
    ok(main("let a = P { x: 1 };\nprintln(a == a);", "#[derive(PartialEq)]\nstruct P { x: i64 }"));
    const p = ok(`struct V { n: i64 }
impl PartialEq for V { fn eq(ref self, other: ref V) -> bool { self.n % 10 == other.n % 10 } }
impl Ord for V { fn cmp(ref self, other: ref V) -> Ordering { if self.n < other.n { Ordering.Less } else if self.n > other.n { Ordering.Greater } else { Ordering.Equal } } }
fn main() {
    let a = V { n: 3 };
    let b = V { n: 13 };
    println(a == b);
    println(a != b);
    println(a < b);
}`);
    const calls = (nodes(fn(p, "main"), "call") as { fn: number }[]).map((c) => p.functions[c.fn].name);
    expect(calls).toEqual(["V.eq", "V.eq", "V.cmp"]);
  });

  it("operator traits cannot be implemented", () => {
    expect(errs("struct P { x: i64 }\nimpl Add for P { fn add(self, o: P) -> P { o } }\nfn main() {}")).toEqual(["E0108 2:6"]);
  });
});

describe("generic structs with impl blocks", () => {
  const stack = `struct Stack[T] { items: Vec[T] }
impl[T] Stack[T] {
    fn new() -> Stack[T] { Stack { items: Vec.new() } }
    fn push(mut ref self, x: T) { self.items.push(x); }
    fn peek(ref self) -> Option[T] { self.items.last() }
    fn size(ref self) -> i64 { self.items.len() }
}`;
  it("instantiates methods per element type", () => {
    const p = ok(`${stack}
fn main() {
    let mut s: Stack[i64] = Stack.new();
    s.push(3);
    let mut t = Stack.new();
    t.push("x");
    println(s.peek());
    println(t.size());
}`);
    const names = p.functions.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(["Stack.new[i64]", "Stack.push[i64]", "Stack.new[String]", "Stack.push[String]", "Stack.peek[i64]", "Stack.size[String]"]));
    expect(fn(p, "Stack.push[String]").params.map((x) => [x.name, x.mode])).toEqual([
      ["self", "mutref"],
      ["x", "owned"],
    ]);
    expect(p.structs.get("Stack[String]")?.fields[0].type).toMatchObject({ kind: "vec", elem: { kind: "string" } });
  });

  it("checks arguments against the instantiated signature", () => {
    expect(errs(`${stack}
fn main() {
    let mut s: Stack[i64] = Stack.new();
    s.push("no");
}`)).toEqual(["E0200 10:12"]);
  });
});

describe("let else", () => {
  it("binds the pattern's names after the statement", () => {
    const p = ok(`fn first_even(v: Vec[i64]) -> i64 {
    let Some(x) = v.get(0) else { return -1; };
    let (a, b) = (x, x + 1);
    a + b
}
enum Shape { Rect(i64, i64), Dot }
fn area(s: Shape) -> i64 {
    let Shape.Rect(w, h) = s else { return 0; };
    w * h
}
fn main() { println(first_even([4])); println(area(Shape.Rect(2, 3))); println(area(Shape.Dot)); }`);
    expect(localType(p, "first_even", "x")).toBe("i64");
    expect(localType(p, "area", "h")).toBe("i64");
  });

  it("the else block must diverge", () => {
    expect(errs(main("let o: Option[i64] = None;\nlet Some(x) = o else { println(1); };\nprintln(x);"))).toEqual(["E0200 4:22"]);
  });
});

describe("one diagnostic per mistake", () => {
  it("a misspelt field is not also a missing one", () => {
    expect(errs(main("let p = P { x: 1, yy: 2 };", "struct P { x: i64, y: i64 }"))).toEqual(["E0204 3:19"]);
  });

  it("an undefined type does not cascade", () => {
    expect(errs(main("let p: Nope = 1;\nlet q = p + 1;\nprintln(q);"))).toEqual(["E0100 3:8"]);
  });

  it("a wrong call does not cascade into its arguments or result", () => {
    expect(errs(main("let v = nope(1, 2) + 3;\nprintln(v.len());"))).toEqual(["E0100 3:9"]);
  });
});

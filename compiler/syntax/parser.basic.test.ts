import { describe, it, expect } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "./parser.js";
import type * as A from "./ast.js";
import { parseOk, expr, stmts, show, showType, showEffect, showPat, allNodes, fnBody } from "./testutil.js";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

describe("chapter examples", () => {
  const dir = repoRoot + "examples/chapter/";
  const files = readdirSync(dir).filter((f) => f.endsWith(".kara"));
  it("finds the chapter programs", () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });
  for (const f of files) {
    it(`parses ${f} without diagnostics`, () => {
      const src = readFileSync(dir + f, "utf8");
      const r = parse(src, f);
      expect(r.diagnostics).toEqual([]);
      expect(r.program.file).toBe(f);
      expect(r.program.items.some((i) => i.kind === "fn" && i.name.name === "main")).toBe(true);
      const ids = allNodes(r.program).map((n) => n.id);
      expect(new Set(ids).size).toBe(ids.length);
    });
  }
});

describe("T0 items", () => {
  it("fn with params, return type and tail", () => {
    const p = parseOk("fn add(a: i64, b: i64) -> i64 { a + b }");
    const f = p.items[0] as A.FnDecl;
    expect(f.kind).toBe("fn");
    expect(f.name.name).toBe("add");
    expect(f.params.map((x) => [x.name.name, x.mode, showType(x.type)])).toEqual([
      ["a", "owned", "i64"],
      ["b", "owned", "i64"],
    ]);
    expect(showType(f.ret)).toBe("i64");
    expect(show(f.body!.tail)).toBe("(a + b)");
    expect(f.body!.stmts).toEqual([]);
  });

  it("struct, shared struct and par struct with mut/pub fields", () => {
    const p = parseOk("struct P { x: i64, pub y: i64, }\nshared struct N { val: i64, mut next: Option[N] }\npar struct C { count: Atomic[i64] }");
    const [a, b, c] = p.items as A.StructDecl[];
    expect([a.flavor, b.flavor, c.flavor]).toEqual(["plain", "shared", "par"]);
    expect(a.fields.map((f) => [f.name.name, f.pub, f.mut])).toEqual([
      ["x", false, false],
      ["y", true, false],
    ]);
    expect(b.fields[1].mut).toBe(true);
    expect(showType(b.fields[1].type)).toBe("Option[N]");
    expect(showType(c.fields[0].type)).toBe("Atomic[i64]");
  });

  it("impl with receivers and associated fns", () => {
    const p = parseOk(
      "impl Counter {\n fn new() -> Counter { Counter { hits: 0 } }\n fn tick(mut ref self, by: i64) { self.hits = self.hits + by; }\n fn value(ref self) -> i64 { self.hits }\n fn eat(self) {}\n}",
    );
    const im = p.items[0] as A.ImplDecl;
    expect(im.kind).toBe("impl");
    expect(showType(im.target)).toBe("Counter");
    expect(im.trait).toBeUndefined();
    expect(im.methods.map((m) => [m.name.name, m.receiver ?? "none", m.params.length])).toEqual([
      ["new", "none", 0],
      ["tick", "mutref", 1],
      ["value", "ref", 0],
      ["eat", "self", 0],
    ]);
    expect(show(im.methods[0].body!.tail)).toBe("Counter{hits: 0}");
  });

  it("parameter modes", () => {
    const f = parseOk("fn f(a: i64, b: ref Vec[i64], c: mut ref String, d: mut Slice[u8]) {}").items[0] as A.FnDecl;
    expect(f.params.map((p) => p.mode)).toEqual(["owned", "ref", "mutref", "mutslice"]);
    expect(showType(f.params[3].type)).toBe("Slice[u8]");
  });

  it("with-clause on a fn spanning lines", () => {
    const f = parseOk("fn b(u: u64) -> D\nwith reads(UserDB) reads(OrderDB)\n{\n 1\n}").items[0] as A.FnDecl;
    expect(f.effects!.withKeyword).toBe(true);
    expect(f.effects!.items.map(showEffect)).toEqual(["reads(UserDB)", "reads(OrderDB)"]);
  });
});

describe("T0 statements and control flow", () => {
  it("let forms", () => {
    const s = stmts("let x = 1;\nlet mut y: i64 = 2;\nlet z: i64;\nlet (a, b) = t;\nlet Some(v) = o else { return; };");
    expect(s.map((x) => x.kind)).toEqual(["let", "let", "let", "let", "let"]);
    const [l1, l2, l3, l4, l5] = s as Extract<A.Stmt, { kind: "let" }>[];
    expect(showPat(l1.pattern)).toBe("x");
    expect(showPat(l2.pattern)).toBe("mut y");
    expect(showType(l2.type)).toBe("i64");
    expect(l3.value).toBeUndefined();
    expect(showPat(l4.pattern)).toBe("(a, b)");
    expect(showPat(l5.pattern)).toBe("Some(v)");
    expect(l5.elseBlock!.stmts[0].kind).toBe("expr");
  });

  it("assignment and compound assignment are statements", () => {
    const s = stmts("x = 1;\ntotal += step;\nv[i] = 3;\np.a <<= 2;\n*r = 5;");
    expect(s.map((x) => (x.kind === "assign" ? x.op : x.kind))).toEqual(["=", "+=", "=", "<<=", "="]);
    const a = s[2] as Extract<A.Stmt, { kind: "assign" }>;
    expect(show(a.target)).toBe("v[i]");
    expect(show((s[4] as Extract<A.Stmt, { kind: "assign" }>).target)).toBe("(* r)");
  });

  it("if / else if / else as an expression", () => {
    const e = expr('if t >= 90 { "A" } else if t >= 80 { "B" } else { "C" }');
    expect(e.kind).toBe("if");
    if (e.kind !== "if") return;
    expect(show(e.cond)).toBe("(t >= 90)");
    expect(e.else!.kind).toBe("if");
  });

  it("while, loop with break value, for over range", () => {
    const s = stmts("while i < n { i += 1; }\nlet f = loop { break n; };\nfor i in 0..3 { print(i); }");
    expect(s[0].kind).toBe("expr");
    const w = (s[0] as Extract<A.Stmt, { kind: "expr" }>).expr;
    expect(w.kind).toBe("while");
    const l = (s[1] as Extract<A.Stmt, { kind: "let" }>).value!;
    expect(l.kind).toBe("loop");
    const fr = (s[2] as Extract<A.Stmt, { kind: "expr" }>).expr;
    expect(fr.kind).toBe("for");
    if (fr.kind === "for") {
      expect(showPat(fr.pattern)).toBe("i");
      expect(show(fr.iter)).toBe("(0..3)");
    }
  });

  it("block-like statements need no semicolon and the last expression is the tail", () => {
    const b = fnBody("fn f() -> i64 { if a { b(); } while c { } x }");
    expect(b.stmts.map((s) => (s.kind === "expr" ? s.expr.kind : s.kind))).toEqual(["if", "while"]);
    expect(show(b.tail)).toBe("x");
  });

  it("closures", () => {
    expect(show(expr("|x| x + 1"))).toBe("|x| (x + 1)");
    expect(show(expr("|| square(n)"))).toBe("|| square(n)");
    const c = expr("|a: i64, b| { a }");
    expect(c.kind).toBe("closure");
    if (c.kind === "closure") {
      expect(showType(c.params[0].type)).toBe("i64");
      expect(c.params[1].type).toBeUndefined();
      expect(c.body.kind).toBe("block");
    }
    const d = expr("|(a, b)| a + b");
    if (d.kind === "closure") expect(showPat(d.params[0].pattern)).toBe("(a, b)");
    expect(show(expr("pool.spawn(|| square(n))"))).toBe("pool.spawn(|| square(n))");
  });

  it("calls, method calls, field chains and Atomic ops", () => {
    expect(show(expr("counter.count.fetch_add(1, MemoryOrdering.Relaxed)"))).toBe(
      "counter.count.fetch_add(1, MemoryOrdering.Relaxed)",
    );
    expect(show(expr("Dashboard.new(p, o, s)"))).toBe("Dashboard.new(p, o, s)");
    expect(show(expr("bump(mut k)"))).toBe("bump(mut k)");
    expect(show(expr("f(width: 3, mut s.field)"))).toBe("f(width: 3, mut s.field)");
  });

  it("par and seq blocks", () => {
    const s = stmts("par {\n let a = work(1);\n let b = work(2);\n}\nseq { f(); }");
    const p = (s[0] as Extract<A.Stmt, { kind: "expr" }>).expr;
    expect(p.kind).toBe("par");
    if (p.kind === "par") expect(p.body.stmts.length).toBe(2);
    expect((s[1] as Extract<A.Stmt, { kind: "expr" }>).expr.kind).toBe("seq");
  });
});

describe("literals", () => {
  it("integer forms", () => {
    const cases: [string, bigint, string | undefined][] = [
      ["0b1010_0011", 0xa3n, undefined],
      ["0x7f", 127n, undefined],
      ["0o17", 15n, undefined],
      ["1_000_000i64", 1000000n, "i64"],
      ["10_i64", 10n, "i64"],
      ["255u8", 255n, "u8"],
      ["0xFF_FFu32", 65535n, "u32"],
      ["7usize", 7n, "usize"],
      ["340282366920938463463374607431768211455u128", (1n << 128n) - 1n, "u128"],
    ];
    for (const [src, value, suffix] of cases) {
      const e = expr(src);
      expect(e.kind, src).toBe("int");
      if (e.kind === "int") {
        expect(e.value, src).toBe(value);
        expect(e.suffix, src).toBe(suffix);
        expect(e.text).toBe(src);
      }
    }
  });

  it("float forms", () => {
    const cases: [string, number, string | undefined][] = [
      ["3.14", 3.14, undefined],
      ["1.5e-3", 1.5e-3, undefined],
      ["1e10", 1e10, undefined],
      ["2.5E+6", 2.5e6, undefined],
      ["1.0f32", 1, "f32"],
      ["3.14_f64", 3.14, "f64"],
      ["1f32", 1, "f32"],
      ["1_000.5", 1000.5, undefined],
    ];
    for (const [src, value, suffix] of cases) {
      const e = expr(src);
      expect(e.kind, src).toBe("float");
      if (e.kind === "float") {
        expect(e.value, src).toBe(value);
        expect(e.suffix, src).toBe(suffix);
      }
    }
  });

  it("`1.` is not a float and `0..n` is a range, `t.0.1` is tuple access", () => {
    expect(show(expr("2i64.pow(10u32)"))).toBe("2i64.pow(10u32)");
    expect(show(expr("0..n"))).toBe("(0..n)");
    expect(show(expr("1..=4"))).toBe("(1..=4)");
    expect(show(expr("t.0.1"))).toBe("t.0.1");
    expect(show(expr("t.0"))).toBe("t.0");
    const e = expr("(16.0f64).sqrt()");
    expect(e.kind).toBe("methodCall");
  });

  it("strings, escapes, raw newlines, multi-line strings", () => {
    const e = expr('"a\\n\\t\\r\\\\\\"\\0\\u{1F600}b"');
    expect(e.kind).toBe("str");
    if (e.kind === "str") expect(e.value).toBe('a\n\t\r\\"\0\u{1F600}b');
    const nl = expr('"line1\nline2"');
    if (nl.kind === "str") expect(nl.value).toBe("line1\nline2");
    const ml = expr('"""\n  raw \\n {x}\n"""');
    expect(ml.kind).toBe("str");
    if (ml.kind === "str") {
      expect(ml.multiline).toBe(true);
      expect(ml.value).toBe("\n  raw \\n {x}\n");
    }
  });

  it("chars, bytes and byte strings", () => {
    const c = expr("'a'");
    expect(c).toMatchObject({ kind: "char", value: 97 });
    expect(expr("'\\n'")).toMatchObject({ kind: "char", value: 10 });
    expect(expr("'\\''")).toMatchObject({ kind: "char", value: 39 });
    expect(expr("'\\u{e9}'")).toMatchObject({ kind: "char", value: 0xe9 });
    expect(expr("'é'")).toMatchObject({ kind: "char", value: 0xe9 });
    expect(expr("b'a'")).toMatchObject({ kind: "byte", value: 97 });
    expect(expr("b'\\x41'")).toMatchObject({ kind: "byte", value: 0x41 });
    expect(expr('b"hi\\x00"')).toMatchObject({ kind: "bytestr", value: [104, 105, 0] });
    expect(expr("true")).toMatchObject({ kind: "bool", value: true });
    expect(expr("()")).toMatchObject({ kind: "unit" });
  });
});

describe("f-strings", () => {
  it("splits text and holes with spans into the real source", () => {
    const src = 'fn t() {\nf"{label}: {w}x{h} = {w * h} \\{area\\}"\n}';
    const r = parse(src, "t.kara");
    expect(r.diagnostics).toEqual([]);
    const e = (r.program.items[0] as A.FnDecl).body!.tail!;
    expect(e.kind).toBe("fstr");
    if (e.kind !== "fstr") return;
    const shape = e.parts.map((p) => (typeof p === "string" ? p : `{${show(p.expr)}}`));
    expect(shape).toEqual(["{label}", ": ", "{w}", "x", "{h}", " = ", "{(w * h)}", " {area}"]);
    const hole = e.parts[6] as A.FStringHole;
    expect(src.slice(hole.expr.span.offset, hole.expr.span.offset + hole.expr.span.length)).toBe("w * h");
    expect(hole.expr.span.line).toBe(2);
    expect(src.slice(hole.span.offset, hole.span.offset + hole.span.length)).toBe("{w * h}");
  });

  it("format specs after the first top-level colon", () => {
    const e = expr('f"[{n:04}] [{pi:.2}] [{s:*^6}] [{m["k"]}] [{f(a, b):>8}]"');
    if (e.kind !== "fstr") throw new Error("not fstr");
    const holes = e.parts.filter((p): p is A.FStringHole => typeof p !== "string");
    expect(holes.map((h) => [show(h.expr), h.spec])).toEqual([
      ["n", "04"],
      ["pi", ".2"],
      ["s", "*^6"],
      ['m["k"]', undefined],
      ["f(a, b)", ">8"],
    ]);
  });

  it("nested quotes and nested f-strings inside holes", () => {
    const e = expr('f"{f("x")} and {g(f"{y}!")}"');
    if (e.kind !== "fstr") throw new Error("not fstr");
    const h0 = e.parts[0] as A.FStringHole;
    expect(show(h0.expr)).toBe('f("x")');
    const h1 = e.parts[2] as A.FStringHole;
    expect(h1.expr.kind).toBe("call");
    if (h1.expr.kind === "call") {
      const inner = h1.expr.args[0].value;
      expect(inner.kind).toBe("fstr");
      if (inner.kind === "fstr") expect(show((inner.parts[0] as A.FStringHole).expr)).toBe("y");
    }
  });

  it("hole node ids are unique across the program", () => {
    const p = parseOk('fn t() { let a = f"{x + 1}"; let b = f"{y}"; }');
    const ids = allNodes(p).map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

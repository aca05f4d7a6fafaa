import { describe, it, expect } from "vitest";
import type * as A from "./ast.js";
import { expr, stmts, show, showPat, showType, fnBody } from "./testutil.js";

describe("operator precedence (core.md F7)", () => {
  const cases: [string, string][] = [
    ["a + b * c", "(a + (b * c))"],
    ["a - b - c", "((a - b) - c)"],
    ["a * b % c", "((a * b) % c)"],
    ["-2.7 as i64", "((- 2.7) as i64)"],
    ["7 as f64 / 2 as f64", "((7 as f64) / (2 as f64))"],
    ["x as i64 + 1", "((x as i64) + 1)"],
    ["x as i64 < y", "((x as i64) < y)"],
    ["x as i64 < v[0]", "((x as i64) < v[0])"],
    ["user_id as i64 + 1", "((user_id as i64) + 1)"],
    ["x & 3 == 2", "((x & 3) == 2)"],
    ["1 << 4 | 1", "((1 << 4) | 1)"],
    ["a ^ b & c", "(a ^ (b & c))"],
    ["a | b ^ c", "(a | (b ^ c))"],
    ["a << b + c", "(a << (b + c))"],
    ["not a == b", "((not a) == b)"],
    ["x > 3 and not (x == 5) or false", "(((x > 3) and (not (x == 5))) or false)"],
    ["a or b and c", "(a or (b and c))"],
    ["a ?? b or c", "(a ?? (b or c))"],
    ["x |> f |> g", "((x |> f) |> g)"],
    ["a ?? b |> f", "((a ?? b) |> f)"],
    ["-x.abs()", "(- x.abs())"],
    ["*r.f", "(* r.f)"],
    ["~0", "(~ 0)"],
    ["not not a", "(not (not a))"],
    ["- -a", "(- (- a))"],
    ["f(x)?.y", "f(x)?.y"],
    ["a.b(c)?", "a.b(c)?"],
    ["-a?", "(- a?)"],
    ["a < b", "(a < b)"],
    ["a != b and c <= d", "((a != b) and (c <= d))"],
    ["(a + b) * c", "((a + b) * c)"],
  ];
  for (const [src, want] of cases) {
    it(src, () => expect(show(expr(src))).toBe(want));
  }
});

describe("ranges", () => {
  const cases: [string, string][] = [
    ["0..n", "(0..n)"],
    ["1..=9", "(1..=9)"],
    ["a..", "(a.._)"],
    ["..b", "(_..b)"],
    ["..=5", "(_..=5)"],
    ["a..b + 1", "(a..(b + 1))"],
    ["(0..3).rev()", "(0..3).rev()"],
    ["v[1..3]", "v[(1..3)]"],
    ["s[..b]", "s[(_..b)]"],
    ["s[a..]", "s[(a.._)]"],
  ];
  for (const [src, want] of cases) it(src, () => expect(show(expr(src))).toBe(want));

  it("`for i in 0.. {` keeps the block as the body", () => {
    const e = expr("for i in 0.. { f(i); }");
    expect(e.kind).toBe("for");
    if (e.kind === "for") {
      expect(show(e.iter)).toBe("(0.._)");
      expect(e.body.stmts.length).toBe(1);
    }
  });
});

describe("postfix forms", () => {
  it("field, tuple index, optional chaining", () => {
    expect(show(expr("a.b.c"))).toBe("a.b.c");
    expect(show(expr("t.0"))).toBe("t.0");
    expect(show(expr("t.0.1"))).toBe("t.0.1");
    const oc = expr("a?.b");
    expect(oc).toMatchObject({ kind: "field", optional: true });
    const om = expr("a?.m(1)");
    expect(om).toMatchObject({ kind: "methodCall", optional: true });
    const m = expr("a.m(1)");
    expect(m.kind === "methodCall" && m.optional).toBeFalsy();
  });

  it("calls with labels and mut markers", () => {
    const e = expr("f(width: 3, mut x, mut s.field, y)");
    if (e.kind !== "call") throw new Error("call");
    expect(e.args.map((a) => [a.label ?? "", a.mutMarker])).toEqual([
      ["width", false],
      ["", true],
      ["", true],
      ["", false],
    ]);
    expect(show(e.args[2].value)).toBe("s.field");
  });

  it("trailing commas in calls and lists", () => {
    expect(show(expr("f(1, 2,)"))).toBe("f(1, 2)");
    expect(show(expr("[1, 2,]"))).toBe("[1, 2]");
  });

  it("keywords are accepted as member names", () => {
    expect(show(expr("m.lock()"))).toBe("m.lock()");
    expect(show(expr("x.type"))).toBe("x.type");
  });
});

describe("list literals, prefix literals and generic application", () => {
  it("bare list forms", () => {
    expect(expr("[1, 2, 3]")).toMatchObject({ kind: "list", elems: [{ kind: "int" }, { kind: "int" }, { kind: "int" }] });
    expect(expr("[]")).toMatchObject({ kind: "list", elems: [] });
    const r = expr("[v; n]");
    expect(r).toMatchObject({ kind: "list", repeat: { value: { kind: "ident", name: "v" }, count: { kind: "ident", name: "n" } } });
    expect(r).not.toHaveProperty("prefix");
    const m = expr('["a": 1, "b": 2]');
    expect(show(m)).toBe('["a": 1, "b": 2]');
    expect(m.kind === "list" && m.entries?.length).toBe(2);
  });

  it("prefixed forms", () => {
    expect(show(expr("Array[0; 8]"))).toBe("Array[0; 8]");
    expect(expr("Array[0; 8]")).toMatchObject({ kind: "list", prefix: "Array" });
    expect(expr('Map["a": 1]')).toMatchObject({ kind: "list", prefix: "Map", entries: [[{ kind: "str" }, { kind: "int" }]] });
    expect(expr("Array[1, 2]")).toMatchObject({ kind: "index", object: { kind: "ident", name: "Array" } });
    expect(show(expr("Set[1, 2]"))).toBe("Set[1, 2]");
    expect(show(expr("Vec[i64]"))).toBe("Vec[i64]");
    expect(show(expr("Vec[Vec[i64]].new()"))).toBe("Vec[Vec[i64]].new()");
    expect(show(expr("f[i64](x)"))).toBe("f[i64](x)");
    expect(expr("f[i64](x)")).toMatchObject({ kind: "call", callee: { kind: "index" } });
    expect(show(expr("Map[String, i64].new()"))).toBe("Map[String, i64].new()");
  });
});

describe("struct literals and the condition restriction", () => {
  it("struct literal forms", () => {
    expect(show(expr("Point { x: 1, y }"))).toBe("Point{x: 1, y: y}");
    expect(show(expr("Name { a: 1, ..base }"))).toBe("Name{a: 1, ..base}");
    expect(show(expr("Cmd.Say { text: t }"))).toBe("Cmd.Say{text: t}");
    expect(show(expr("M {}"))).toBe("M{}");
    const g = expr('Pair[i64, String] { a: 1, b: "x" }');
    expect(g.kind).toBe("structLit");
    if (g.kind === "structLit") {
      expect(g.path).toEqual(["Pair"]);
      expect(g.typeArgs.map(showType)).toEqual(["i64", "String"]);
    }
  });

  it("`Name {` in an if condition is not a struct literal", () => {
    const e = expr("if x == P { 1 } else { 2 }");
    expect(e.kind).toBe("if");
    if (e.kind === "if") {
      expect(show(e.cond)).toBe("(x == P)");
      expect(show(e.then.tail)).toBe("1");
    }
  });

  it("parentheses or call arguments re-enable struct literals in conditions", () => {
    const e = expr("if p == (P { x: 1 }) { 1 } else { 2 }");
    if (e.kind === "if") expect(show(e.cond)).toBe("(p == P{x: 1})");
    const c = expr("if ok(P { x: 1 }) { 1 } else { 2 }");
    if (c.kind === "if") expect(show(c.cond)).toBe("ok(P{x: 1})");
  });

  it("while, match scrutinee and for iterable", () => {
    const w = expr("while going { step(); }");
    expect(w.kind === "while" && show(w.cond)).toBe("going");
    const m = expr("match v { P { x } => x, _ => 0 }");
    expect(m.kind === "match" && show(m.scrutinee)).toBe("v");
    if (m.kind === "match") expect(showPat(m.arms[0].pattern)).toBe("P {x: x}");
    const f = expr("for p in Pts { go(p); }");
    expect(f.kind === "for" && show(f.iter)).toBe("Pts");
  });

  it("a lowercase name before `{` is never a struct literal", () => {
    const s = stmts("lock m { m = m + 1; }");
    const l = (s[0] as Extract<A.Stmt, { kind: "expr" }>).expr;
    expect(l).toMatchObject({ kind: "lock", target: { kind: "ident", name: "m" } });
  });
});

describe("closures", () => {
  it("capture prefixes", () => {
    expect(expr("own |k: i64| k")).toMatchObject({ kind: "closure", capture: "own" });
    expect(expr("ref |k| k")).toMatchObject({ kind: "closure", capture: "ref" });
    expect(expr("mut ref |k| k")).toMatchObject({ kind: "closure", capture: "mutref" });
    const plain = expr("|k| k");
    expect(plain.kind === "closure" && plain.capture).toBeUndefined();
  });

  it("closures as arguments", () => {
    expect(show(expr("v.iter().filter(|x| x % 2 == 0).map(|x| x * 10)"))).toBe(
      "v.iter().filter(|x| ((x % 2) == 0)).map(|x| (x * 10))",
    );
    expect(show(expr("v.fold(1, |acc, x| acc * x)"))).toBe("v.fold(1, |acc, x| (acc * x))");
    expect(show(expr("f(mut ref |x| x)"))).toBe("f(|x| x)");
  });
});

describe("control flow expressions", () => {
  it("labels on loops and blocks, break/continue with labels and values", () => {
    const b = fnBody(
      "fn t() {\nouter: for a in 1..5 {\n for b in 1..5 {\n  if a == b { continue outer; }\n  if b > a { break; }\n }\n}\nlet pick = blk: { if h > 0 { break blk h * 10; } -1 };\nlet v = loop { break x; };\n}",
    );
    const outer = (b.stmts[0] as Extract<A.Stmt, { kind: "expr" }>).expr;
    expect(outer).toMatchObject({ kind: "for", label: "outer" });
    const pick = (b.stmts[1] as Extract<A.Stmt, { kind: "let" }>).value!;
    expect(pick).toMatchObject({ kind: "block", label: "blk" });
    if (pick.kind !== "block") return;
    const ifs = (pick.stmts[0] as Extract<A.Stmt, { kind: "expr" }>).expr;
    if (ifs.kind !== "if") throw new Error("if");
    const brk = (ifs.then.stmts[0] as Extract<A.Stmt, { kind: "expr" }>).expr;
    expect(brk).toMatchObject({ kind: "break", label: "blk" });
    expect(brk.kind === "break" && show(brk.value)).toBe("(h * 10)");
    expect(show(pick.tail)).toBe("(- 1)");
    const lp = (b.stmts[2] as Extract<A.Stmt, { kind: "let" }>).value!;
    if (lp.kind !== "loop") throw new Error("loop");
    const b2 = (lp.body.stmts[0] as Extract<A.Stmt, { kind: "expr" }>).expr;
    // `x` is not an enclosing label, so it is the break value
    expect(b2).toMatchObject({ kind: "break", value: { kind: "ident", name: "x" } });
    expect(b2).not.toHaveProperty("label", "x");
    const inner = outer.kind === "for" ? (outer.body.tail ?? (outer.body.stmts[0] as Extract<A.Stmt, { kind: "expr" }>).expr) : undefined;
    expect(inner?.kind).toBe("for");
  });

  it("while let and if let with or-patterns", () => {
    expect(expr("while let Some(x) = st.pop() { }")).toMatchObject({ kind: "whileLet", pattern: { kind: "variant", path: ["Some"] } });
    const il = expr("if let A(x) | B(x) = v { 1 } else { 2 }");
    expect(il.kind).toBe("ifLet");
    if (il.kind === "ifLet") {
      expect(showPat(il.pattern)).toBe("A(x) | B(x)");
      expect(il.else?.kind).toBe("block");
    }
  });

  it("return with and without value", () => {
    const s = stmts("return;\nreturn 1 + 2;");
    expect((s[0] as Extract<A.Stmt, { kind: "expr" }>).expr).toMatchObject({ kind: "return" });
    expect((s[0] as Extract<A.Stmt, { kind: "expr" }>).expr).not.toHaveProperty("value", expect.anything());
    expect(show(((s[1] as Extract<A.Stmt, { kind: "expr" }>).expr as Extract<A.Expr, { kind: "return" }>).value)).toBe("(1 + 2)");
  });

  it("defer, errdefer and errdefer(e)", () => {
    const s = stmts('defer { print("a"); }\nerrdefer { print("b"); }\nerrdefer(e) { print(e); }\ndefer close(f);');
    expect(s.map((x) => (x.kind === "defer" ? [x.err, x.binding ?? "", x.body.kind] : x.kind))).toEqual([
      [false, "", "block"],
      [true, "", "block"],
      [true, "e", "block"],
      [false, "", "call"],
    ]);
  });

  it("lock with an alias on a field target", () => {
    const e = expr("lock s.best b { if v > b { b = v; } }");
    expect(e).toMatchObject({ kind: "lock", target: { kind: "field" }, alias: { name: "b" } });
  });

  it("par and seq are expressions with a tail", () => {
    const e = expr("par { let a = f(); let b = g(); (a, b) }");
    expect(e.kind).toBe("par");
    if (e.kind === "par") expect(show(e.body.tail)).toBe("(a, b,)");
  });
});

describe("match arms and patterns", () => {
  const m = expr(`match n {
    0 => "zero",
    1 | 2 | 3 => "small",
    k @ 4..=9 => k,
    k if k < 0 => "negative",
    ..=-1 => "neg",
    10.. => "big",
    'a'..='z' => "c",
    Cmd.Say { text } => text,
    Pt { x: 0, y, .. } => "p",
    [first, .., last] => "s",
    [h, ..rest] => "r",
    [] => "e",
    (a, _) => { "t" }
    Some(Point { x, .. }) => "n",
    None => "none",
    Color.Red => "red",
    -1 => "m",
    "s" => "str",
    true => "b",
    mut z => "mz",
    _ => "big",
  }`);
  if (m.kind !== "match") throw new Error("match");
  const pats = m.arms.map((a) => showPat(a.pattern));

  it("every pattern form", () => {
    expect(pats).toEqual([
      "0",
      "1 | 2 | 3",
      "k @ 4..=9",
      "k",
      "..=(- 1)",
      "10..",
      "'a'..='z'",
      "Cmd.Say {text: text}",
      "Pt {x: 0, y: y, ..}",
      "[first, .., last]",
      "[h, ..rest]",
      "[]",
      "(a, _)",
      "Some(Point {x: x, ..})",
      "None",
      "Color.Red",
      "(- 1)",
      '"s"',
      "true",
      "mut z",
      "_",
    ]);
  });

  it("guards and bodies", () => {
    expect(show(m.arms[3].guard)).toBe("(k < 0)");
    expect(m.arms[12].body.kind).toBe("block");
    expect(m.arms.filter((a) => a.guard).length).toBe(1);
  });

  it("let patterns: tuple with mut applied to all bindings", () => {
    const s = stmts("let mut (a, b) = t;");
    expect(showPat((s[0] as Extract<A.Stmt, { kind: "let" }>).pattern)).toBe("(mut a, mut b)");
  });
});

describe("statements", () => {
  it("expression statements keep their semicolon flag", () => {
    const s = stmts("f();\nif a { }\nmatch x { _ => 1 }");
    expect(s.map((x) => (x.kind === "expr" ? x.semi : x.kind))).toEqual([true, false, false]);
  });

  it("compound assignment through deref of a method chain", () => {
    const s = stmts("*counts.entry(w).or_insert(0) += 1;");
    expect(s[0]).toMatchObject({ kind: "assign", op: "+=", target: { kind: "unary", op: "*" } });
  });

  it("empty statements", () => {
    const s = stmts(";;");
    expect(s.map((x) => x.kind)).toEqual(["empty", "empty"]);
  });

  it("nested blocks as statements and tails", () => {
    const b = fnBody("fn t() -> i64 { { let v = 0; println(v); } 3 }");
    expect((b.stmts[0] as Extract<A.Stmt, { kind: "expr" }>).expr.kind).toBe("block");
    expect(show(b.tail)).toBe("3");
  });
});

describe("match arms with block bodies", () => {
  it("a block body ends the arm even when the next arm starts with `(` or `[`", () => {
    const m = expr("match (a, b) {\n  (0, 0) => {}\n  (x, _) => { f(x); }\n  [y] => y,\n  _ => 0,\n}");
    if (m.kind !== "match") throw new Error("not a match");
    expect(m.arms.map((a) => showPat(a.pattern))).toEqual(["(0, 0)", "(x, _)", "[y]", "_"]);
    expect(m.arms[0].body.kind).toBe("block");
  });
});

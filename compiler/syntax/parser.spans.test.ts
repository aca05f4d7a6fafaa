import { describe, it, expect } from "vitest";
import { parse, tokenize } from "./parser.js";
import type * as A from "./ast.js";
import { allNodes, parseOk } from "./testutil.js";
import { KEYWORDS, RESERVED_WORDS } from "./tokens.js";

const text = (src: string, s: A.Span): string => src.slice(s.offset, s.offset + s.length);

describe("spans", () => {
  const src = [
    "struct P { x: i64 }", // 1
    "fn area(side: i64) -> i64 {", // 2
    "    let p = P { x: side };", // 3
    "    if side > 0 { side * side } else { 0 }", // 4
    "}", // 5
  ].join("\n");
  const p = parseOk(src);
  const f = p.items[1] as A.FnDecl;

  it("items start at their first token and end at their last", () => {
    expect(text(src, p.items[0].span)).toBe("struct P { x: i64 }");
    expect(f.span).toMatchObject({ line: 2, column: 1 });
    expect(text(src, f.span).endsWith("}")).toBe(true);
    expect(text(src, f.name.span)).toBe("area");
    expect(f.name.span).toMatchObject({ line: 2, column: 4, length: 4 });
  });

  it("statements and expressions", () => {
    const let1 = f.body!.stmts[0];
    expect(text(src, let1.span)).toBe("let p = P { x: side };");
    expect(let1.span).toMatchObject({ line: 3, column: 5 });
    const lit = (let1 as Extract<A.Stmt, { kind: "let" }>).value!;
    expect(text(src, lit.span)).toBe("P { x: side }");
    const tail = f.body!.tail!;
    expect(text(src, tail.span)).toBe("if side > 0 { side * side } else { 0 }");
    if (tail.kind !== "if") throw new Error("if");
    expect(text(src, tail.cond.span)).toBe("side > 0");
    expect(tail.cond.span).toMatchObject({ line: 4, column: 8 });
    expect(text(src, tail.then.tail!.span)).toBe("side * side");
    expect(text(src, tail.then.span)).toBe("{ side * side }");
  });

  it("every node span lies inside the source and ids are unique", () => {
    const nodes = allNodes(p);
    expect(nodes.length).toBeGreaterThan(20);
    const ids = new Set(nodes.map((n) => n.id));
    expect(ids.size).toBe(nodes.length);
    for (const n of nodes) {
      expect(n.span.offset + n.span.length).toBeLessThanOrEqual(src.length);
      // line/column agree with the offset
      const before = src.slice(0, n.span.offset).split("\n");
      expect(n.span.line).toBe(before.length);
      expect(n.span.column).toBe(before[before.length - 1].length + 1);
    }
  });

  it("binary, call, method, index and cast spans", () => {
    const s = "fn t() -> i64 {\n  a.b(1, 2)[3] as i64 + f(x) * 2\n}";
    const e = (parseOk(s).items[0] as A.FnDecl).body!.tail!;
    expect(text(s, e.span)).toBe("a.b(1, 2)[3] as i64 + f(x) * 2");
    if (e.kind !== "binary") throw new Error("binary");
    expect(text(s, e.left.span)).toBe("a.b(1, 2)[3] as i64");
    expect(text(s, e.right.span)).toBe("f(x) * 2");
    if (e.left.kind !== "cast") throw new Error("cast");
    expect(text(s, e.left.expr.span)).toBe("a.b(1, 2)[3]");
    expect(text(s, e.left.type.span)).toBe("i64");
  });

  it("spans count UTF-16 code units across non-ASCII text", () => {
    const s = 'fn t() {\n  let a = "héllo 🙂";\n  let b = 1;\n}';
    const b = (parseOk(s).items[0] as A.FnDecl).body!.stmts[1];
    expect(text(s, b.span)).toBe("let b = 1;");
    expect(b.span).toMatchObject({ line: 3, column: 3 });
  });

  it("f-string hole spans across lines", () => {
    const s = 'fn t() {\n  f"a\n{x +\n  y} b"\n}';
    const r = parse(s, "t.kara");
    expect(r.diagnostics).toEqual([]);
    const fs = (r.program.items[0] as A.FnDecl).body!.tail!;
    if (fs.kind !== "fstr") throw new Error("fstr");
    const hole = fs.parts[1] as A.FStringHole;
    expect(text(s, hole.span)).toBe("{x +\n  y}");
    expect(hole.expr.span).toMatchObject({ line: 3, column: 2 });
    if (hole.expr.kind !== "binary") throw new Error("binary");
    expect(hole.expr.right.span).toMatchObject({ line: 4, column: 3 });
  });

  it("diagnostic spans in f-string holes point into the real source", () => {
    const s = 'fn t() {\n  let v = f"{a.}";\n}';
    const [d] = parse(s, "t.kara").diagnostics;
    expect(d.span.line).toBe(2);
    expect(d.span.column).toBeGreaterThanOrEqual(14);
    expect(d.span.column).toBeLessThanOrEqual(16);
  });
});

describe("tokenize", () => {
  it("returns tokens and comments in order", () => {
    const src = 'fn main() { // hi\n let x = f"{a}" + 0x1F; /* c */ }';
    const toks = tokenize(src);
    expect(toks.map((t) => t.type)).toEqual([
      "Kw_fn", "Identifier", "LParen", "RParen", "LBrace", "LineComment", "Kw_let", "Identifier", "Eq", "FStringLit", "Plus", "IntLit",
      "Semi", "BlockComment", "RBrace",
    ]);
    for (const t of toks) expect(t.length).toBeGreaterThan(0);
    const fstr = toks.find((t) => t.type === "FStringLit")!;
    expect(src.slice(fstr.offset, fstr.offset + fstr.length)).toBe('f"{a}"');
  });

  it("lexes the tricky number/range/tuple cases", () => {
    const kinds = (s: string) => tokenize(s).map((t) => `${t.type}:${s.slice(t.offset, t.offset + t.length)}`);
    expect(kinds("0..n")).toEqual(["IntLit:0", "DotDot:..", "Identifier:n"]);
    expect(kinds("t.0.1")).toEqual(["Identifier:t", "Dot:.", "IntLit:0", "Dot:.", "IntLit:1"]);
    expect(kinds("1.5 1e3 1.")).toEqual(["FloatLit:1.5", "FloatLit:1e3", "IntLit:1", "Dot:."]);
    expect(kinds(".5")).toEqual(["Dot:.", "IntLit:5"]);
    expect(kinds("1..=2")).toEqual(["IntLit:1", "DotDotEq:..=", "IntLit:2"]);
    expect(kinds("x.0.0.1")).toEqual(["Identifier:x", "Dot:.", "IntLit:0", "Dot:.", "IntLit:0", "Dot:.", "IntLit:1"]);
    expect(kinds("invariant in inx")).toEqual(["Kw_invariant:invariant", "Kw_in:in", "Identifier:inx"]);
    expect(kinds("_ _x r#fn")).toEqual(["Underscore:_", "Identifier:_x", "RawIdent:r#fn"]);
    expect(kinds("b'a' b\"x\" f\"y\" c\"z\" bx fx")).toEqual([
      "ByteLit:b'a'", 'ByteStringLit:b"x"', 'FStringLit:f"y"', 'CStringLit:c"z"', "Identifier:bx", "Identifier:fx",
    ]);
  });

  it("gives each token a highlighting category", () => {
    const src = 'fn f(x: i64) { let s = "a" + f"{x}"; /* c */ true }';
    const cats = tokenize(src).map((t) => `${t.category}:${src.slice(t.offset, t.offset + t.length)}`);
    expect(cats).toEqual([
      "keyword:fn", "identifier:f", "punctuation:(", "identifier:x", "punctuation::", "identifier:i64", "punctuation:)", "punctuation:{",
      "keyword:let", "identifier:s", "punctuation:=", 'string:"a"', "punctuation:+", 'string:f"{x}"', "punctuation:;", "comment:/* c */",
      "number:true", "punctuation:}",
    ]);
  });

  it("every keyword lexes as a keyword and reserved words are lex errors", () => {
    for (const k of KEYWORDS) {
      const toks = tokenize(k);
      expect(toks.map((t) => t.type), k).toEqual([`Kw_${k}`]);
      expect(tokenize(k + "x")[0].type, k).toBe("Identifier");
    }
    for (const w of RESERVED_WORDS) {
      const ds = parse(`fn f() { let ${w} = 1; }`, "t.kara").diagnostics;
      expect(ds.map((d) => `${d.code}:${d.phase}`), w).toEqual(["E0007:lex"]);
    }
  });

  it("never throws and skips what it cannot lex", () => {
    const toks = tokenize("a $ é \u0000 \"open");
    expect(toks.map((t) => t.type)).toEqual(["Identifier", "StringLit"]);
    expect(tokenize("")).toEqual([]);
  });

  it("nested block comments are one comment", () => {
    const toks = tokenize("/* a /* b */ c */ x");
    expect(toks.map((t) => t.type)).toEqual(["BlockComment", "Identifier"]);
  });
});

// Parsing time and its growth with program size are measured by the bench (bench/compile-latency.ts,
// "parse per 1k lines" at 1k / 10k / 50k lines); here a long program must parse with the
// same spans as a short one.
describe("long programs", () => {
  const FN_LINES = 7;
  function program(lines: number): string {
    const out: string[] = ["struct P { x: i64, y: i64 }"];
    let k = 0;
    while (out.length < lines) {
      out.push(
        `fn f${k}(a: i64, b: ref Vec[i64]) -> i64 with reads(R) {`,
        `    let mut acc = a * 2 + b[0] as i64;`,
        `    for i in 0..10 { acc += i; }`,
        `    let p = P { x: acc, y: 1 };`,
        `    if acc > 3 and p.x != 0 { println(f"v={acc:>4} {p.y}"); }`,
        `    match acc { 0 => 1, k @ 1..=9 => k, _ => { acc } }`,
        `}`,
      );
      k++;
    }
    return out.join("\n");
  }

  it("a generated 20 000-line program parses, every item and f-string hole at its own line", () => {
    const src = program(20000);
    const r = parse(src, "big.kara");
    expect(r.diagnostics).toEqual([]);
    const fns = r.program.items.slice(1) as A.FnDecl[];
    expect(fns.length).toBe(Math.ceil((20000 - 1) / FN_LINES));
    for (const [k, f] of fns.entries()) {
      const first = 2 + k * FN_LINES;
      expect(f.span.line).toBe(first);
      expect(f.span.column).toBe(1);
      expect(text(src, f.name.span)).toBe(`f${k}`);
      expect(text(src, f.span).endsWith("}")).toBe(true);
      expect(text(src, f.span).split("\n").length).toBe(FN_LINES);
    }
    const last = fns[fns.length - 1];
    // The `{p.y}` hole of the last function's f-string (parsed as a separate token stream).
    const holeLine = last.span.line + 4;
    const hole = allNodes(last).filter((n) => (n as A.Expr).kind === "field" && text(src, n.span) === "p.y");
    expect(hole.map((n) => [n.span.line, n.span.column])).toEqual([[holeLine, src.split("\n")[holeLine - 1].indexOf("p.y") + 1]]);
  });
});

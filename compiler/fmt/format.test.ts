import { describe, expect, it } from "vitest";
import { formatSource } from "./index.js";
import { parse } from "../syntax/parser.js";
import { shape } from "./corpus-check.js";

// Formats `input` (which must parse) and checks the result is a fixpoint with the same tree.
function fmt(input: string): string {
  const r = formatSource(input, "t.kara");
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.code} ${d.message}`).join("\n"));
  const again = formatSource(r.text, "t.kara");
  expect(again.ok && again.text).toBe(r.text);
  expect(shape(parse(r.text, "t.kara").program)).toBe(shape(parse(input, "t.kara").program));
  return r.text;
}

const lines = (...ls: string[]): string => ls.join("\n") + "\n";

describe("indentation", () => {
  it("indents four spaces per open brace, whatever the input used", () => {
    expect(fmt("fn main() {\n\tlet x = 1;\n  if x > 0 {\n println(x);\n        }\n}\n")).toBe(
      lines("fn main() {", "    let x = 1;", "    if x > 0 {", "        println(x);", "    }", "}"),
    );
  });

  it("gives continuation lines of a statement one extra level", () => {
    expect(fmt("fn main() {\nlet v = xs\n.iter()\n.map(|a| a * 2);\nlet s = 1 +\n2;\n}\n")).toBe(
      lines("fn main() {", "    let v = xs", "        .iter()", "        .map(|a| a * 2);", "    let s = 1 +", "        2;", "}"),
    );
  });

  it("indents arguments inside a bracket left open at the end of a line once, and closes at the opener's level", () => {
    expect(fmt("fn main() {\nprintln(max(\n1,\n2));\n}\n")).toBe(lines("fn main() {", "    println(max(", "        1,", "        2));", "}"));
  });
});

describe("spacing", () => {
  it("puts one space around binary operators and none after unary ones", () => {
    expect(fmt("fn f(a: i64, b: i64) -> i64 {\n(a+b)*-a%b - ~b\n}\n")).toBe(lines("fn f(a: i64, b: i64) -> i64 {", "    (a + b) * -a % b - ~b", "}"));
  });

  it("writes comparisons, logic words, assignment forms and arrows with spaces", () => {
    expect(fmt("fn main() {\nlet mut x=1;\nx+=2;\nif x>=1 and not(x==3){x<<=1;}\n}\n")).toBe(
      lines("fn main() {", "    let mut x = 1;", "    x += 2;", "    if x >= 1 and not (x == 3) {", "        x <<= 1;", "    }", "}"),
    );
  });

  it("hugs commas, colons, semicolons, dots, calls, indexing and generic brackets", () => {
    expect(fmt("fn f [T : Ord] ( v : ref Vec [T] , i : i64 ) -> T { v [i] . clone ( ) }\n")).toBe(
      lines("fn f[T: Ord](v: ref Vec[T], i: i64) -> T {", "    v[i].clone()", "}"),
    );
  });

  it("writes ranges without spaces and keeps `..` tight in patterns", () => {
    expect(fmt("fn main() {\nfor i in 0 .. 3 { println(i); }\nlet s = [1, 2, 3];\nmatch s { [a, .. ] => println(a), _ => {} }\n}\n")).toContain(
      "for i in 0..3 {",
    );
  });

  it("spaces closures as |params| body, including empty parameter lists", () => {
    expect(fmt("fn main() {\nlet f = | a , b |a+b;\nlet g = ||  1;\n}\n")).toBe(lines("fn main() {", "    let f = |a, b| a + b;", "    let g = || 1;", "}"));
  });

  it("treats a keyword after `.` as a method name", () => {
    expect(fmt("fn main() {\nlet a: Option[i64] = None;\nprintln(a.or (Some(1)));\n}\n")).toContain("println(a.or(Some(1)));");
  });

  it("spaces `@` bindings and `??`, hugs `?` and `?.`", () => {
    const out = fmt(
      "fn f(x: i64) -> i64 {\nmatch x { n@1..=5 => n, _ => 0 }\n}\nfn g(v: Option[i64]) -> Option[i64] {\nlet a = v ? ;\nlet b = v ?. abs() ?? 0;\nSome(a + b)\n}\n",
    );
    expect(out).toContain("n @ 1..=5 => n,");
    expect(out).toContain("let a = v?;");
    expect(out).toContain("let b = v?.abs() ?? 0;");
  });

  it("keeps effect verbs next to their parentheses", () => {
    expect(fmt("effect resource Db;\nfn f() with reads (Db) writes (Db) {\n}\n")).toContain("fn f() with reads(Db) writes(Db) {}");
  });

  it("writes `impl[T]` and attributes without inner spaces", () => {
    const out = fmt("struct W[T] { v: T }\nimpl [T] W[T] {\nfn get(self) -> T { self.v }\n}\n# [derive(Eq)]\nstruct P { x: i64 }\n");
    expect(out).toContain("impl[T] W[T] {");
    expect(out).toContain("#[derive(Eq)]\nstruct P {");
  });
});

describe("blocks and line structure", () => {
  it("opens a one-line block onto separate lines, one statement per line", () => {
    expect(fmt("fn main() { let a = 1; let b = 2; println(a + b); }\n")).toBe(
      lines("fn main() {", "    let a = 1;", "    let b = 2;", "    println(a + b);", "}"),
    );
  });

  it("keeps an opening brace on the line of its construct; a wrapped signature's body indents from the signature", () => {
    expect(fmt("effect resource A;\nfn f(x: i64) -> i64\nwith reads(A)\n{\nmatch x\n{\n_ => 1,\n}\n}\n")).toBe(
      lines("effect resource A;", "", "fn f(x: i64) -> i64", "    with reads(A) {", "    match x {", "        _ => 1,", "    }", "}"),
    );
  });

  it("indents a body from the line its construct starts on", () => {
    expect(fmt("fn f(x: i64) -> i64 {\nlet v = match x {\n0 =>\nif x > 0 { 1 } else { 2 },\n_ => 0,\n};\nif v > 0\nand v < 10 { v } else { 0 }\n}\n")).toBe(
      lines(
        "fn f(x: i64) -> i64 {", "    let v = match x {", "        0 =>", "            if x > 0 {", "                1", "            } else {", "                2", "            },",
        "        _ => 0,", "    };", "    if v > 0", "        and v < 10 {", "        v", "    } else {", "        0", "    }", "}",
      ),
    );
  });

  it("leaves a bare block statement on its own line", () => {
    expect(fmt("fn main() {\nlet a = 1;\n{\nprintln(a);\n}\n}\n")).toBe(lines("fn main() {", "    let a = 1;", "    {", "        println(a);", "    }", "}"));
  });

  it("writes an empty block as {}", () => {
    expect(fmt("fn main() {\n\n}\nfn g() { }\n")).toBe(lines("fn main() {}", "", "fn g() {}"));
  });

  it("puts `else` on the line of the closing brace", () => {
    expect(fmt("fn f(x: i64) -> i64 {\nif x > 0 { 1 }\nelse if x < 0 { 2 }\nelse { 3 }\n}\n")).toBe(
      lines("fn f(x: i64) -> i64 {", "    if x > 0 {", "        1", "    } else if x < 0 {", "        2", "    } else {", "        3", "    }", "}"),
    );
  });

  it("puts each match arm on its own line with a trailing comma, block bodies included", () => {
    expect(fmt("fn f(x: i64) -> i64 {\nmatch x { 0 => 1, 1 => { 2 } _ => 3 }\n}\n")).toBe(
      lines("fn f(x: i64) -> i64 {", "    match x {", "        0 => 1,", "        1 => {", "            2", "        },", "        _ => 3,", "    }", "}"),
    );
  });

  it("writes struct and enum declarations one field or variant per line with trailing commas", () => {
    expect(fmt("struct P { x: i64, mut y: i64 }\nenum S { A, B(i64), C { r: i64 } }\n")).toBe(
      lines("struct P {", "    x: i64,", "    mut y: i64,", "}", "", "enum S {", "    A,", "    B(i64),", "    C {", "        r: i64,", "    },", "}"),
    );
  });

  it("writes struct literals one field per line; a `..base` gets no comma", () => {
    const out = fmt("struct P { x: i64, y: i64 }\nfn main() {\nlet p = P { x: 1, y: 2 };\nlet q = P { x: 3, ..p };\n}\n");
    expect(out).toContain(lines("    let p = P {", "        x: 1,", "        y: 2,", "    };"));
    expect(out).toContain(lines("    let q = P {", "        x: 3,", "        ..p", "    };"));
  });

  it("separates top-level items and impl methods by one blank line, trait methods by none", () => {
    expect(fmt("trait T { fn a(self) -> i64; fn b(self) -> i64; }\nstruct S { v: i64 }\nimpl T for S { fn a(self) -> i64 { 1 } fn b(self) -> i64 { 2 } }\n")).toBe(
      lines(
        "trait T {", "    fn a(self) -> i64;", "    fn b(self) -> i64;", "}", "",
        "struct S {", "    v: i64,", "}", "",
        "impl T for S {", "    fn a(self) -> i64 {", "        1", "    }", "", "    fn b(self) -> i64 {", "        2", "    }", "}",
      ),
    );
  });

  it("keeps single blank lines between statements, collapses longer runs, and drops them just inside braces", () => {
    expect(fmt("fn main() {\n\n    let a = 1;\n\n\n\n    let b = 2;\n\n}\n\n\n\nfn g() {}\n")).toBe(
      lines("fn main() {", "    let a = 1;", "", "    let b = 2;", "}", "", "fn g() {}"),
    );
  });

  it("removes trailing whitespace and leading blank lines, and ends the file with one newline", () => {
    expect(fmt("\n\n\nfn main() {   \n    println(1);   \n}\n\n\n")).toBe(lines("fn main() {", "    println(1);", "}"));
    expect(fmt("fn main() {}")).toBe("fn main() {}\n");
  });

  it("leaves an already formatted program unchanged", () => {
    const src = lines("// A program.", "fn main() {", "    let v = [1, 2, 3];", "    for x in v {", "        println(x);", "    }", "}");
    const r = formatSource(src);
    expect(r.ok && !r.changed && r.text).toBe(src);
  });
});

describe("comments", () => {
  it("keeps every comment: trailing ones on their line, own-line ones indented with the code after them", () => {
    const out = fmt(
      "// head\nfn main() { // opens\n// inside\n  let x = 1;    // one\n    /* block */ let y = 2;\n        // before end\n}\n/* multi\n   line */\nfn g() {}\n",
    );
    expect(out).toBe(
      lines(
        "// head", "fn main() { // opens", "    // inside", "    let x = 1; // one", "    /* block */ let y = 2;", "    // before end", "}", "",
        "/* multi", "   line */", "fn g() {}",
      ),
    );
  });

  it("adds a trailing comma before a trailing comment, not after it", () => {
    expect(fmt("enum C { A, B // last\n}\n")).toBe(lines("enum C {", "    A,", "    B, // last", "}"));
  });

  it("keeps a block comment that follows code on that code's line when opening up a construct", () => {
    expect(fmt("struct P { x: i64 /* x */, y: i64 /* y */ }\nfn f() -> i64 { /* why */ 1 }\n")).toBe(
      lines("struct P {", "    x: i64 /* x */,", "    y: i64, /* y */", "}", "", "fn f() -> i64 { /* why */", "    1", "}"),
    );
  });

  it("keeps the text of multi-line strings and comments byte for byte", () => {
    const src = 'fn main() {\n        let s = """\n  keep   this\n""";\n    println(s);\n}\n';
    expect(fmt(src)).toContain('let s = """\n  keep   this\n""";');
  });
});

describe("imports", () => {
  it("sorts a run of imports by path and keeps no blank line between them", () => {
    expect(fmt("import std.io;\n\nimport std.collections;\nfn main() {}\n")).toBe(lines("import std.collections;", "import std.io;", "", "fn main() {}"));
  });

  it("does not move imports across a comment", () => {
    const src = lines("import std.io;", "// why collections", "import std.collections;", "", "fn main() {}");
    expect(fmt(src)).toBe(src);
  });
});

describe("safety", () => {
  it("never glues tokens that would lex differently", () => {
    expect(fmt("fn main() {\nlet x = 5;\nprintln(- -x);\nprintln(1 < -1);\n}\n")).toContain("println(1 < -1);");
  });

  it("refuses a file that does not parse and reports its diagnostics", () => {
    const r = formatSource("fn main( {\n", "bad.kara");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostics.length).toBeGreaterThan(0);
  });

  it("formats an empty file to an empty file", () => {
    expect(fmt("")).toBe("");
    expect(fmt("\n\n")).toBe("");
  });
});

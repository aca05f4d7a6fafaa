import { describe, it, expect } from "vitest";
import { parse } from "./parser.js";
import { SyntaxCodes as C } from "./codes.js";
import { diags, where, allNodes } from "./testutil.js";

// Each malformed program must give exactly one diagnostic, with this code, at this
// line:column.
const ONE_MISTAKE: [string, string, string][] = [
  // lex
  ['fn main() { let s = "a\\\'b"; }', C.BadEscape, "1:23"],
  ['fn main() { let s = "\\x41"; }', C.BadEscape, "1:22"],
  ["fn main() { let c = '\\\"'; }", C.BadEscape, "1:22"],
  ['fn main() { let s = "\\u{110000}"; }', C.BadEscape, "1:22"],
  ['fn main() { let s = f"\\q"; }', C.BadEscape, "1:23"],
  ["fn main() { let c = 'ab'; }", C.BadChar, "1:21"],
  ["fn main() { let c = ''; }", C.BadChar, "1:21"],
  ["fn main() { let b = b'é'; }", C.BadChar, "1:21"],
  ["fn main() { let x = 12abc; }", C.BadNumber, "1:21"],
  ["fn main() { let x = 300u8; }", C.BadNumber, "1:21"],
  ["fn main() { let x = 0b102; }", C.BadNumber, "1:21"],
  ['fn main() { let s = "abc\n}', C.UnterminatedString, "1:21"],
  ['fn main() { let s = """abc\n}', C.UnterminatedString, "1:21"],
  ['fn main() { let s = f"{a"; }', C.UnterminatedString, "1:21"],
  ["/* unterminated /* nested */\nfn main() {}", C.UnterminatedComment, "1:1"],
  ["fn main() { let gen = 1; }", C.ReservedWord, "1:17"],
  ["fn main() { let x = async; }", C.ReservedWord, "1:21"],
  ["fn main() { let héllo = 1; }", C.UnexpectedChar, "1:17"],
  ["fn main() { let x = 1 $ 2; }", C.UnexpectedChar, "1:23"],
  ["fn main() { let x = `a`; }", C.UnexpectedChar, "1:21"],
  // identifier classes
  ["fn Main() {}", C.IdentClass, "1:4"],
  ["struct point { x: i64 }", C.IdentClass, "1:8"],
  ["enum Color { red, Green }", C.IdentClass, "1:14"],
  ["enum color { Red }", C.IdentClass, "1:6"],
  ["const max: i64 = 1;", C.IdentClass, "1:7"],
  ["trait shape {}", C.IdentClass, "1:7"],
  ["fn f(X: i64) {}", C.IdentClass, "1:6"],
  ["let limit: i64 = 1;", C.IdentClass, "1:5"],
  ["struct HTTP_CLIENT { x: i64 }", C.IdentClass, "1:8"],
  ["effect resource ledger;", C.IdentClass, "1:17"],
  ["effect group Bad = reads(A);", C.IdentClass, "1:14"],
  // operators
  ["fn main() { if a < b < c { } }", C.ChainedComparison, "1:22"],
  ["fn main() { let x = a == b != c; }", C.ChainedComparison, "1:28"],
  ["fn main() { if a && b { } }", C.LogicalOperator, "1:18"],
  ["fn main() { if a || b { } }", C.LogicalOperator, "1:18"],
  ["fn main() { if !a { } }", C.LogicalOperator, "1:16"],
  ["fn main() { Vec::new(); }", C.PathSeparator, "1:16"],
  // effects
  ["fn f() with reads(A), writes(B) {}", C.EffectComma, "1:21"],
  ["fn f() -> i64\nwith reads(A) , panics { 1 }", C.EffectComma, "2:15"],
  ["fn f() with _ reads(A) {}", C.EffectClause, "1:15"],
  ["fn f() with reads(A) _ {}", C.EffectClause, "1:22"],
  ["fn f() panics() {}", C.EffectClause, "1:14"],
  ["fn f() with panics(X) {}", C.EffectClause, "1:19"],
  ["fn f() with reads() {}", C.EffectClause, "1:13"],
  ["fn f() with {}", C.EffectClause, "1:8"],
  ["fn f() writes io_ops {}", C.Syntax, "1:15"],
  // statements and expressions
  ["fn main() { match x { Some(q) => total = total + q, None => {} } }", C.AssignInExpr, "1:34"],
  ["fn main() { match x { 1 => a 2 => b } }", C.MissingComma, "1:29"],
  ["fn main() { foo() bar(); }", C.MissingSemicolon, "1:18"],
  ["fn f() {\n  let a = 1\n  let b = 2;\n}", C.MissingSemicolon, "2:12"],
  ["fn main() { let x = (1 + ; }", C.Syntax, "1:26"],
  ["fn f() { 1 +; }", C.Syntax, "1:13"],
  ["fn f() { x = y = 1; }", C.MissingSemicolon, "1:15"],
  ["fn f() { let x = [1, 2; }", C.Syntax, "1:23"],
  ["fn f() { let v = Vec[1, 2; }", C.Syntax, "1:26"],
  ["struct S { a: i64 b: i64 }", C.MissingComma, "1:18"],
  ["fn f(a: i64 b: i64) {}", C.Syntax, "1:13"],
  ["fn f( {\n}\nstruct S { a: i64 }", C.Syntax, "1:7"],
  ["}\nfn g() {}", C.BadItem, "1:1"],
  ["mod x;\nfn g() {}", C.BadItem, "1:1"],
  ["fn f() { if x { } else }", C.Syntax, "1:24"],
  ["fn f() { if x = 5 { } }", C.Syntax, "1:15"],
  ["fn f() { let s = 'hello'; }", C.BadChar, "1:18"],
  ["fn f() { let = 3; }", C.Syntax, "1:14"],
  ["fn f() { g(,); }", C.Syntax, "1:12"],
  ["fn f() { let p = P { a: 1 b: 2 }; }", C.MissingComma, "1:26"],
  ["enum E { A B }", C.MissingComma, "1:11"],
  ["fn f() { match p { P { a b } => 1 } }", C.MissingComma, "1:25"],
  // Rust spellings
  ["fn main() { println!(x); }", C.ForeignSyntax, "1:20"],
  ["fn main() { let v = vec![1, 2]; }", C.ForeignSyntax, "1:21"],
  ["impl S { fn f(&self) {} }", C.ForeignSyntax, "1:15"],
  ["impl S { fn f(&mut self) {} }", C.ForeignSyntax, "1:15"],
  ["fn f(v: &Vec[i64]) {}", C.ForeignSyntax, "1:9"],
  ["fn main() { f(&x); }", C.ForeignSyntax, "1:15"],
  ["fn main() { let v: Vec<i64> = Vec.new(); }", C.ForeignSyntax, "1:23"],
  ['fn main() {\n    let s = "hi";\n    show(ref s);\n}', C.RefAtCallSite, "3:10"],
  ["impl S { fn f(x: i64 y) {} }\nfn g() {}", C.Syntax, "1:22"],
  ["fn f() {} } }\nfn g() {}", C.BadItem, "1:11"],
  // f-strings
  ['fn f() { let x = f"{}"; }', C.Syntax, "1:20"],
  ['fn f() { let x = f"a}b"; }', C.Syntax, "1:21"],
  ['fn f() { let x = f"{a +}"; }', C.Syntax, "1:24"],
  ['fn f() { let x = f"{a b}"; }', C.Syntax, "1:23"],
];

describe("one diagnostic per mistake, at the right place", () => {
  for (const [src, code, pos] of ONE_MISTAKE) {
    it(JSON.stringify(src), () => {
      expect(where(src)).toEqual([`${code} ${pos}`]);
    });
  }
});

describe("diagnostic details", () => {
  it("the effect comma carries a machine fix deleting the comma", () => {
    const src = "fn f() with reads(A), writes(B) {}";
    const [d] = diags(src);
    expect(d.message).toBe("effect items are space-separated, not comma-separated; remove the `,`");
    expect(d.fixes).toHaveLength(1);
    const fix = d.fixes![0];
    expect(fix.replacement).toBe("");
    expect(src.slice(fix.span.offset, fix.span.offset + fix.span.length)).toBe(",");
    const fixed = src.slice(0, fix.span.offset) + fix.replacement + src.slice(fix.span.offset + fix.span.length);
    expect(diags(fixed)).toEqual([]);
  });

  it("word operators come with replacement fixes", () => {
    for (const [src, repl] of [
      ["fn f() { if a && b { } }", "and"],
      ["fn f() { if a || b { } }", "or"],
      ["fn f() { if !a { } }", "not "],
      ["fn f() { Vec::new(); }", "."],
    ] as const) {
      const [d] = diags(src);
      const fix = d.fixes![0];
      const fixed = src.slice(0, fix.span.offset) + repl + src.slice(fix.span.offset + fix.span.length);
      expect(fix.replacement).toBe(repl);
      expect(diags(fixed)).toEqual([]);
    }
  });

  it("Rust spellings come with fixes that produce valid Kāra", () => {
    for (const src of [
      "fn main() { println!(x); }",
      "fn main() { let v = vec![1, 2]; }",
      "impl S { fn f(&self) {} fn g(&mut self) {} }",
      "fn f(v: &Vec[i64], w: &mut String) {}",
      "fn main() { f(&x); g(&mut y); }",
      "fn f(m: Map<String, i64>) -> Option<i64> { None }",
    ]) {
      let fixed = src;
      const all = diags(src).flatMap((d) => d.fixes ?? []);
      expect(all.length).toBeGreaterThan(0);
      for (const f of [...all].sort((a, b) => b.span.offset - a.span.offset)) {
        fixed = fixed.slice(0, f.span.offset) + f.replacement + fixed.slice(f.span.offset + f.span.length);
      }
      expect(diags(fixed), fixed).toEqual([]);
    }
  });

  it("phases: literal problems are lex errors, the rest parse errors", () => {
    expect(diags('fn f() { let s = "\\x41"; }')[0].phase).toBe("lex");
    expect(diags("fn f() { let gen = 1; }")[0].phase).toBe("lex");
    expect(diags("fn f() { let x = 1 + ; }")[0].phase).toBe("parse");
    expect(diags("fn F() {}")[0].phase).toBe("parse");
    for (const d of diags('fn F() { let s = "\\q"; a && b }')) expect(d.severity).toBe("error");
  });

  it("messages name what was expected and found", () => {
    expect(diags("fn f() { let x = ; }")[0].message).toBe("expected an expression, found `;`");
    expect(diags("fn f(a: i64 b: i64) {}")[0].message).toBe("expected `)`, found `b`");
    expect(diags('fn f() { let s = "\\x41"; }')[0].message).toContain("Unknown escape sequence");
  });

  it("top-level statements get a hint", () => {
    const [d] = diags('println("hi");');
    expect(d.code).toBe(C.BadItem);
    expect(d.notes?.[0]).toContain("fn main()");
    expect(diags("} fn f() {}")[0].notes).toBeUndefined();
  });

  it("independent mistakes are each reported", () => {
    const src = "fn f() {\n  let a = 1 +;\n  let b = 2;\n  if x && y { }\n}\nfn G() {}\nstruct s {}";
    expect(where(src)).toEqual([`${C.Syntax} 2:14`, `${C.LogicalOperator} 4:8`, `${C.IdentClass} 6:4`, `${C.IdentClass} 7:8`]);
  });

  it("a missing token is inserted and parsing goes on", () => {
    const r = parse("fn f( {\n}\nfn g() -> i64 { 1 }\nstruct S { a: i64 }", "t.kara");
    expect(r.diagnostics).toHaveLength(1);
    expect(r.program.items.map((i) => i.kind)).toEqual(["fn", "fn", "struct"]);
  });

  it("items after a broken item signature still parse", () => {
    const r = parse("fn f(a: i64 = = = { }\nfn g() -> i64 { 1 }\nstruct S { a: i64 }", "t.kara");
    expect(r.diagnostics).toHaveLength(1);
    expect(r.program.items.map((i) => (i.kind === "fn" || i.kind === "struct" ? i.name.name : i.kind))).toEqual(["g", "S"]);
  });

  it("recovery keeps the following statements and items", () => {
    const cases: [string, string][] = [
      ["fn f() {\n  if x {\n    let a = ;\n  }\n  let b = 2;\n}\nfn g() {}", "3:13"],
      ["fn f() {\n  let v = [1, 2,\n  let b = 2;\n}\nfn g() {}", "3:3"],
      ["fn f() {\n  foo(1, 2;\n  let b = 2;\n}\nfn g() {}", "2:11"],
      ["fn f() {\n  match x {\n    A => 1,\n    B => ,\n    C => 3,\n  }\n}\nfn g() {}", "4:10"],
      ["struct S {\n  a: i64,\n  b: ,\n  c: i64,\n}\nfn g() {}", "3:6"],
      ["fn f() {\n  while x < { }\n}\nfn g() {}", "2:13"],
    ];
    for (const [src, pos] of cases) {
      const r = parse(src, "t.kara");
      expect(r.diagnostics.map((d) => `${d.span.line}:${d.span.column}`), src).toEqual([pos]);
      const names = r.program.items.map((i) => (i.kind === "fn" || i.kind === "struct" ? i.name.name : i.kind));
      expect(names[names.length - 1], src).toBe("g");
      expect(names.length, src).toBe(2);
    }
  });

  it("statements after a broken statement still parse", () => {
    const r = parse("fn f() {\n  let x = ;\n  let y = 2;\n  y\n}", "t.kara");
    expect(r.diagnostics).toHaveLength(1);
    const f = r.program.items[0];
    if (f.kind !== "fn") throw new Error("fn");
    expect(f.body!.stmts.map((s) => s.kind)).toEqual(["let", "let"]);
    expect(f.body!.stmts[0]).toMatchObject({ kind: "let", value: { kind: "error" } });
    expect(f.body!.tail).toMatchObject({ kind: "ident", name: "y" });
  });
});

// ------------------------------------------------------------------ robustness

const SEED_PROGRAM = `#[derive(Display)]
struct Point { x: i64, mut y: i64 }
enum Cmd { Quit, Move(i64, i64), Say { text: String } }
effect resource Ledger;
fn run(c: Cmd, p: ref Point) -> String with reads(Ledger) panics {
    let mut total = 0;
    for (i, n) in [1, 2, 3].iter().enumerate() { total += n * i; }
    let v = match c {
        Cmd.Quit => "bye",
        Move(dx, dy) if dx > 0 => f"move {dx + dy:>3}",
        Cmd.Say { text } => { text }
        _ => "?",
    };
    while total > 0 and not done { total = total - 1; }
    let q = Point { x: 1, y: p.y };
    par { let a = f(1); let b = g(mut q); }
    lock m { m = m + 1; }
    outer: loop { break outer; }
    let c = |a: i64, b| a * b as i64;
    if let Some(z) = opt { z } else { v }
}
`;

// Deterministic pseudo-random numbers (xorshift) so failures reproduce.
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

const PIECES = ["{", "}", "(", ")", "[", "]", ";", ",", "fn", "let", "=", "|", "..", "f\"{", "\"", "'", "::", "&&", "with", "match", "=>", "#[", "@", "?", ".", "0x", "1.", "/*", "r#", "\\"];

// Collects every violation and asserts once (per-node expect() calls are slow).
function checkWellFormed(src: string): void {
  let r: ReturnType<typeof parse> | undefined;
  expect(() => (r = parse(src, "fuzz.kara"))).not.toThrow();
  const { program, diagnostics } = r!;
  const problems: string[] = [];
  if (!Array.isArray(program.items)) problems.push("items is not an array");
  const ids = new Set<number>();
  for (const n of allNodes(program)) {
    if (ids.has(n.id)) problems.push(`duplicate id ${n.id}`);
    ids.add(n.id);
    const { offset, length, line, column } = n.span;
    if (!(offset >= 0 && offset + length <= src.length && line >= 1 && column >= 1)) problems.push(`bad span ${JSON.stringify(n.span)}`);
  }
  // no undefined entries inside arrays, anywhere in the tree
  const seen = new Set<unknown>();
  const walk = (v: unknown): void => {
    if (v === null || typeof v !== "object" || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) {
      for (const x of v) {
        if (x === undefined) problems.push("undefined array element");
        walk(x);
      }
    } else for (const x of Object.values(v)) walk(x);
  };
  walk(program);
  for (const d of diagnostics) {
    if (!/^E00\d\d$/.test(d.code)) problems.push(`bad code ${d.code}`);
    if (d.phase !== "lex" && d.phase !== "parse") problems.push(`bad phase ${d.phase}`);
    if (d.span.offset + d.span.length > src.length) problems.push(`diagnostic span out of range: ${d.message}`);
    if (d.code === "E0059") problems.push(`internal error: ${d.message}`);
  }
  expect(problems, src).toEqual([]);
}

describe("robustness", () => {
  it("the seed program is clean", () => {
    expect(where(SEED_PROGRAM)).toEqual([]);
  });

  it("never throws and keeps the tree well-formed under random edits", () => {
    const rand = rng(12345);
    for (let round = 0; round < 300; round++) {
      let src = SEED_PROGRAM;
      const edits = 1 + Math.floor(rand() * 4);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rand() * src.length);
        const kind = rand();
        if (kind < 0.4) src = src.slice(0, at) + src.slice(at + 1 + Math.floor(rand() * 6));
        else if (kind < 0.8) src = src.slice(0, at) + PIECES[Math.floor(rand() * PIECES.length)] + src.slice(at);
        else src = src.slice(0, at) + src.slice(at).split("").reverse().join("").slice(0, 3) + src.slice(at);
      }
      checkWellFormed(src);
    }
  });

  it("handles degenerate inputs", () => {
    for (const src of ["", " ", "\n\n", "fn", "{", "}", "((((((((((", "f\"", "\"", "'", "/*", "#[", "fn f() {", "fn f() { let x = f\"{f\"{f\"{", "\u0000", "é", "🙂"]) {
      checkWellFormed(src);
    }
  });

  it("deeply nested expressions parse", () => {
    const depth = 150;
    checkWellFormed(`fn f() -> i64 { ${"(".repeat(depth)}1${")".repeat(depth)} }`);
    expect(where(`fn f() -> i64 { ${"(".repeat(depth)}1${")".repeat(depth)} }`)).toEqual([]);
  });

  it("absurd nesting gives a diagnostic instead of a crash", () => {
    // (E0059 is acceptable here: the input exceeds the call stack, not the grammar)
    const depth = 20000;
    const r = parse(`fn f() -> i64 { ${"(".repeat(depth)}1${")".repeat(depth)} }\nfn g() -> i64 { 2 }`, "t.kara");
    expect(r.diagnostics.map((d) => [d.code, d.span.line])).toEqual([[C.Internal, 1]]);
    expect(r.diagnostics[0].message).toContain("nested too deeply");
    // the next item is still parsed
    expect(r.program.items.map((i) => (i.kind === "fn" ? i.name.name : i.kind))).toEqual(["g"]);
    // the parser still works afterwards
    expect(where("fn g() -> i64 { 1 }")).toEqual([]);
  });
});

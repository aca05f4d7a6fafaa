// Parallel assignment, negated minimum literals, half-open range patterns and keywords used as
// names: what the parser builds and what it reports.

import { describe, expect, it } from "vitest";
import { parse, SyntaxCodes as C } from "./parser.js";
import type { Expr, FnDecl, Pattern, Stmt } from "./ast.js";

function body(src: string): { stmts: Stmt[]; diags: string[] } {
  const r = parse(`fn main() {\n${src}\n}\n`, "t.kara");
  const f = r.program.items[0] as FnDecl;
  return { stmts: f.body?.stmts ?? [], diags: r.diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.column} ${d.message}`) };
}

describe("parallel assignment", () => {
  it("is a tuple of targets assigned a tuple of values", () => {
    const { stmts, diags } = body("a, v[i] = v[i], a;");
    expect(diags).toEqual([]);
    const s = stmts[0] as Stmt & { kind: "assign" };
    expect(s.kind).toBe("assign");
    expect(s.target.kind).toBe("tuple");
    expect((s.target as Expr & { kind: "tuple" }).elems.map((e) => e.kind)).toEqual(["ident", "index"]);
    expect((s.value as Expr & { kind: "tuple" }).elems.map((e) => e.kind)).toEqual(["index", "ident"]);
  });

  it("needs as many values as targets", () => {
    expect(body("a, b = b, a, c;").diags).toEqual([`${C.Syntax} 2:1 parallel assignment has 2 targets but 3 values; both sides must list the same number of elements`]);
    expect(body("a, b = pair;").diags).toEqual([`${C.Syntax} 2:1 parallel assignment has 2 targets but 1 value; both sides must list the same number of elements`]);
  });
});

describe("negated literals at a signed type's minimum", () => {
  it("are accepted directly after a unary minus, in expressions and patterns", () => {
    expect(body("let a = -2147483648i32; let b = -128i8; let c = -32768i16; let d = -9223372036854775808i64;").diags).toEqual([]);
    expect(body("match x { -128i8 => 1, _ => 2 };").diags).toEqual([]);
  });

  it("are still out of range without the minus, under another operator, or one further", () => {
    const d = body("let a = 128i8; let b = 2i8 - 128i8; let c = -128i8.abs(); let e = -129i8;").diags;
    expect(d.map((x) => x.split(" ")[0])).toEqual([C.BadNumber, C.BadNumber, C.BadNumber, C.BadNumber]);
  });
});

describe("half-open range patterns", () => {
  function armPatterns(src: string): Pattern[] {
    const s = body(`match x { ${src} };`);
    expect(s.diags).toEqual([]);
    const m = (s.stmts[0] as Stmt & { kind: "expr" }).expr as Expr & { kind: "match" };
    return m.arms.map((a) => a.pattern);
  }

  it("parse with either bound left out", () => {
    const [a, b, c] = armPatterns("..10 => 0, ..=-1 => 1, 5.. => 2, _ => 3");
    expect(a).toMatchObject({ kind: "range", inclusive: false, hi: { kind: "int" } });
    expect(b).toMatchObject({ kind: "range", inclusive: true, hi: { kind: "unary" } });
    expect(c).toMatchObject({ kind: "range", inclusive: false, lo: { kind: "int" } });
    expect([(a as { lo?: unknown }).lo, (b as { lo?: unknown }).lo, (c as { hi?: unknown }).hi]).toEqual([undefined, undefined, undefined]);
  });

  it("leave slice rest patterns alone", () => {
    const [a] = armPatterns("[h, ..rest] => 0, _ => 1");
    expect(a.kind).toBe("slice");
  });
});

describe("a keyword used as a name", () => {
  it("is reported as a keyword", () => {
    expect(body("let group = 5;").diags).toEqual([`${C.Syntax} 2:5 \`group\` is a keyword and cannot be used as a name`]);
    const r = parse("fn layout() {}\nfn main() {}\n", "t.kara");
    expect(r.diagnostics.map((d) => d.message)).toEqual(["`layout` is a keyword and cannot be used as a name"]);
  });

  it("does not change messages where the keyword itself fits", () => {
    expect(body("let x = 1 +;").diags.join()).not.toContain("keyword");
  });
});

describe("ref bindings", () => {
  const lets = (stmts: Stmt[]) => stmts.filter((s): s is Stmt & { kind: "let" } => s.kind === "let").map((s) => [s.byRef === true, s.value?.kind]);

  it("`let x = ref <place>` borrows; `ref |..|` after `=` is still a closure's capture mode", () => {
    const { stmts, diags } = body("let t = ref v[i];\nlet f = ref |k| k;\nlet g = ref || 1;\nlet u: String = ref self.items[0];");
    expect(diags).toEqual([]);
    expect(lets(stmts)).toEqual([[true, "index"], [false, "closure"], [false, "closure"], [true, "index"]]);
  });

  it("parses the same way when the parser recovers from an error elsewhere", () => {
    const { stmts, diags } = body("let t = ref v[i];\nlet f = ref |k| k;\nlet = ;");
    expect(diags.length).toBeGreaterThan(0);
    expect(lets(stmts).slice(0, 2)).toEqual([[true, "index"], [false, "closure"]]);
  });
});

describe("provider scopes as statements", () => {
  it("end at the body's `}` and need no `;`, like the keyword-led block forms", () => {
    const { stmts, diags } = body("providers { R => a } in { f(); }\n[1, 2].len();\nproviders { R => b } in { g() }\n(x);");
    expect(diags).toEqual([]);
    expect(stmts.map((s) => s.kind)).toEqual(["expr", "expr", "expr", "expr"]);
    expect(stmts.map((s) => (s as Stmt & { kind: "expr" }).expr.kind)).toEqual(["call", "methodCall", "call", "ident"]);
  });

  it("is the block's value when last without `;`, and still an operand in expressions", () => {
    const r = parse("fn f() -> i64 {\n providers { R => a } in { 1 }\n}\nfn g() -> i64 { let v = providers { R => a } in { 2 } + 1; v }\n", "t.kara");
    expect(r.diagnostics).toEqual([]);
    expect((r.program.items[0] as FnDecl).body?.tail?.kind).toBe("call");
  });
});
